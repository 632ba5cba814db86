package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwoFactorServiceStepUpTest {

    private final Fixture f = new Fixture();

    @Test
    void windowIsFiveMinutesByDefaultAndConfigurable() {
        assertThat(f.service.stepUpWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.builder().stepUpWindow(Duration.ofMinutes(1)).build().stepUpWindow())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void stepUpIsRequiredWithoutAVerificationAndFromTheEndOfTheWindowOn() {
        Instant verified = f.clock.instant();

        assertThat(f.service.stepUpRequired(null)).isTrue();
        assertThat(f.service.stepUpRequired(verified)).isFalse();
        f.clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(f.service.stepUpRequired(verified)).isFalse();
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.service.stepUpRequired(verified)).isTrue();
    }

    @Test
    void stepUpWithCorrectPasswordReturnsNowAndWipesTheArray() {
        char[] password = Fixture.password();

        Instant at = success(f.service.stepUpWithPassword("alice", password));

        assertThat(at).isEqualTo(f.clock.instant());
        assertThat(f.service.stepUpRequired(at)).isFalse();
        assertThat(password).containsOnly('\0');
        assertThat(f.events.last(TwoFactorEventType.STEP_UP).details()).containsEntry("check", "STEP_UP_PASSWORD");
    }

    @Test
    void stepUpWithWrongPasswordIsRejectedAndCountsTowardBackoff() {
        char[] password = "wrong".toCharArray();

        Outcome<Instant> outcome = f.service.stepUpWithPassword("alice", password);

        assertThat(reason(outcome)).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(outcome.message()).isEqualTo("Password did not match.");
        assertThat(password).containsOnly('\0');
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
        f.service.stepUpWithPassword("alice", "wrong".toCharArray());
        int checks = f.passwordChecks.get();
        assertThat(f.service.stepUpWithPassword("alice", Fixture.password())).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.passwordChecks).hasValue(checks);
    }

    @Test
    void stepUpWithPasswordWithoutVerifierThrowsAndWipes() {
        TwoFactorService service = TwoFactorService.builder().issuer("ACME").store(f.store)
                .secretCipher(SecretCipher.aesGcm(Fixture.ring())).listener(TwoFactorListener.NONE).build();
        char[] password = Fixture.password();

        assertThatThrownBy(() -> service.stepUpWithPassword("alice", password))
                .isInstanceOf(IllegalStateException.class);
        assertThat(password).containsOnly('\0');
    }

    @Test
    void stepUpWithCodeAcceptsACurrentCodeWhichThenCountsAsUsed() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());

        Instant at = success(f.service.stepUpWithCode("alice", code));

        assertThat(at).isEqualTo(f.clock.instant());
        assertThat(reason(f.service.verifyCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);
        assertThat(f.events.last(TwoFactorEventType.STEP_UP).details()).containsEntry("check", "STEP_UP_CODE");
    }

    @Test
    void stepUpWithTheCodeJustUsedToSignInIsRejected() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());
        assertThat(f.service.verifyCode("alice", code).succeeded()).isTrue();

        assertThat(reason(f.service.stepUpWithCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);
    }

    @Test
    void stepUpWithWrongCodeCountsTowardBackoffAndThenIsRateLimited() {
        Fixture.Enabled alice = f.enable("alice");

        assertThat(reason(f.service.stepUpWithCode("alice", f.wrongCode(alice.secret())))).isEqualTo(Reason.WRONG_CODE);
        assertThat(reason(f.service.stepUpWithCode("alice", "abcdef"))).isEqualTo(Reason.MALFORMED_CODE);

        assertThat(f.backoff("alice").failures()).isEqualTo(2);
        assertThat(f.service.stepUpWithCode("alice", f.code(alice.secret()))).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.events.last(TwoFactorEventType.VERIFICATION_FAILED).details())
                .containsEntry("check", "STEP_UP_CODE");
    }

    @Test
    void stepUpWithCodeWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.stepUpWithCode("alice", "123456"))).isEqualTo(Reason.NOT_ENABLED);
    }
}
