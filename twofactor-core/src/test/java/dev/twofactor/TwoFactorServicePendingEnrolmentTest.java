package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 13: a reload of the enrolment screen within the pending TTL shows the same secret and QR code again. */
class TwoFactorServicePendingEnrolmentTest {

    private final Fixture f = new Fixture();

    @Test
    void pendingEnrolmentWithinItsTtlThenTheSameSecretKeyUriAndQrAndTheScannedAppConfirms() {
        Enrolment started = success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(9));
        int events = f.events.types().size();

        Enrolment again = success(f.service.pendingEnrolment("alice", "alice@example.com"));

        assertThat(again.secret().base32()).isEqualTo(started.secret().base32());
        assertThat(again.keyUri().toUriString()).isEqualTo(started.keyUri().toUriString());
        assertThat(again.qrCode().svg()).isEqualTo(started.qrCode().svg());
        assertThat(again.expiresAt()).isEqualTo(started.expiresAt());
        assertThat(f.events.types()).hasSize(events); // nothing minted, nothing started
        assertThat(f.service.confirmEnrolment("alice", f.code(started.secret())).succeeded()).isTrue();
    }

    @Test
    void pendingEnrolmentWhenNoneExpiredOrConfirmedThenNoPendingEnrolment() {
        assertThat(reason(f.service.pendingEnrolment("alice", "a"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(10));
        assertThat(reason(f.service.pendingEnrolment("alice", "a"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);

        Fixture ack = new Fixture(b -> b.requireRecoveryCodeAcknowledgement(true));
        Enrolment enrolment = success(ack.service.startEnrolment("bob", "bob@example.com"));
        success(ack.service.confirmEnrolment("bob", ack.code(enrolment.secret())));
        assertThat(reason(ack.service.pendingEnrolment("bob", "b"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
    }

    @Test
    void pendingEnrolmentOfAChangeOfAppThenTheNewSecretNotTheActiveOne() {
        Fixture.Enabled alice = f.enable("alice");
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));

        Enrolment again = success(f.service.pendingEnrolment("alice", "alice@example.com"));

        assertThat(again.secret().base32()).isEqualTo(change.secret().base32())
                .isNotEqualTo(alice.secret().base32());
    }
}
