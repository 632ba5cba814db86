package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.TwoFactorServiceTrustedDeviceTest.CHROME_LINUX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.TrustedDeviceRecord;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refusals of {@link TrustedDevices} that a passed challenge alone does not reach: the second factor removed or a
 * backoff started between the challenge and {@code remember}, and tokens or stored records that cannot be decoded.
 * Each refusal stores nothing and counts nothing.
 */
class TrustedDeviceRefusalTest {

    private static final String DEVICE_ID = "00000000-0000-4000-8000-000000000000";

    private final Fixture f = new Fixture(b -> b.trustedDevices(true));
    private Fixture.Enabled alice;

    @BeforeEach
    void enableAlice() {
        alice = f.enable("alice");
    }

    @Test
    void rememberAfterTheSecondFactorWasRemovedIsRefusedAndStoresNothing() {
        Outcome<CodeAccepted> passed = f.service.verifyCode("alice", f.code(alice.secret()));
        assertThat(passed.succeeded()).isTrue();
        assertThat(f.store.removeSecondFactor("alice")).isTrue();

        assertThat(reason(f.service.trustedDevices().remember("alice", passed, CHROME_LINUX)))
                .isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.store.findTrustedDevices("alice")).isEmpty();
    }

    @Test
    void rememberWhileABackoffRunsIsRateLimitedAndStoresNothing() {
        Outcome<CodeAccepted> passed = f.service.verifyCode("alice", f.code(alice.secret()));
        assertThat(passed.succeeded()).isTrue();
        BackoffState blocked = new BackoffState(3, f.clock.instant().plusSeconds(60), false);
        assertThat(f.store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE, blocked)).isTrue();

        Outcome<NewTrustedDevice> refused = f.service.trustedDevices().remember("alice", passed, CHROME_LINUX);

        assertThat(refused).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.store.findTrustedDevices("alice")).isEmpty();
        assertThat(f.backoff("alice")).isEqualTo(blocked);
    }

    @Test
    void aTokenOfTheRightShapeWhoseSecretIsNotBase64IsNotRecognisedAndCountsNothing() {
        String token = DEVICE_ID + "." + "*".repeat(43);
        assertThat(token).hasSize(TrustedDevices.TOKEN_LENGTH);

        assertThat(f.service.trustedDevices().recognise("alice", token)).isEmpty();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @Test
    void aStoredRecordWithAnUnreadableHashIsNotRecognisedAndDoesNotThrow() {
        f.store.insertTrustedDevice(new TrustedDeviceRecord(DEVICE_ID, "alice", "Chrome on Linux", "not base64 !",
                f.clock.instant(), null, f.clock.instant().plus(Duration.ofDays(1))));
        String token = DEVICE_ID + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertThat(token).hasSize(TrustedDevices.TOKEN_LENGTH);

        assertThat(f.service.trustedDevices().recognise("alice", token)).isEmpty();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(f.store.findTrustedDevices("alice").get(0).lastUsedAt()).isNull();
    }
}
