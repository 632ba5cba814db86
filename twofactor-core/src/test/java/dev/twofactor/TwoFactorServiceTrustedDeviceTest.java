package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.TrustedDeviceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Trusted devices through the service on the in-memory store: remember, recognise, list, revoke, and the lock. */
class TwoFactorServiceTrustedDeviceTest {

    static final String CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0.0.0 Safari/537.36";

    private final Fixture f = new Fixture(b -> b.trustedDevices(true));
    private Fixture.Enabled alice;

    @BeforeEach
    void enableAlice() {
        alice = f.enable("alice");
    }

    private NewTrustedDevice remember(String userId, Fixture.Enabled enabled) {
        Outcome<CodeAccepted> passed = f.service.verifyCode(userId, f.code(enabled.secret()));
        return success(f.service.trustedDevices().remember(userId, passed, CHROME_LINUX));
    }

    @Test
    void offByDefaultAndRememberingThenThrows() {
        Fixture plain = new Fixture();
        Fixture.Enabled bob = plain.enable("bob");
        Outcome<CodeAccepted> passed = plain.service.verifyCode("bob", plain.code(bob.secret()));

        assertThat(plain.service.trustedDevices().enabled()).isFalse();
        assertThat(plain.service.trustedDevices().lifetime()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> plain.service.trustedDevices().remember("bob", passed, CHROME_LINUX))
                .isInstanceOf(IllegalStateException.class);
        assertThat(plain.service.trustedDevices().recognise("bob", "x".repeat(80))).isEmpty();
    }

    @Test
    void rememberReturnsTheTokenOnceAndStoresOnlyTheHashOfItsSecret() throws Exception {
        NewTrustedDevice created = remember("alice", alice);

        String token = created.token();
        assertThat(token).hasSize(TrustedDevices.TOKEN_LENGTH).matches("[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}");
        TrustedDevice device = created.device();
        assertThat(token).startsWith(device.id() + ".");
        assertThat(device.name()).isEqualTo("Chrome on Linux");
        assertThat(device.createdAt()).isEqualTo(f.clock.instant());
        assertThat(device.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(30)));
        assertThat(device.lastUsed()).isEmpty();
        TrustedDeviceRecord stored = f.store.findTrustedDevices("alice").get(0);
        String secret = token.substring(37);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(Base64.getUrlDecoder().decode(secret));
        assertThat(stored.tokenHash()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected))
                .doesNotContain(secret);
        assertThat(created.toString()).doesNotContain(secret).doesNotContain(token);
        assertThat(stored.toString()).doesNotContain(stored.tokenHash()).doesNotContain(secret);
        TwoFactorEvent event = f.events.last(TwoFactorEventType.DEVICE_TRUSTED);
        assertThat(event.details()).containsEntry("deviceId", device.id()).containsEntry("device", "Chrome on Linux");
        assertThat(event.toString()).doesNotContain(secret);
    }

    @Test
    void recognisesTheTokenOfItsOwnUserOnlyUntilItExpires() {
        f.enable("bob");
        NewTrustedDevice created = remember("alice", alice);

        assertThat(f.service.trustedDevices().recognise("alice", created.token())).map(TrustedDevice::id)
                .contains(created.device().id());
        assertThat(f.events.last(TwoFactorEventType.TRUSTED_DEVICE_USED).details())
                .containsEntry("deviceId", created.device().id());
        assertThat(f.service.trustedDevices().recognise("bob", created.token())).isEmpty();
        f.clock.advance(Duration.ofDays(30).minusMillis(1));
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isPresent();
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isEmpty();
        assertThat(f.service.trustedDevices().list("alice")).isEmpty();
    }

    @Test
    void aWrongSecretForARealDeviceIdIsNotRecognisedAndCountsNothing() {
        NewTrustedDevice created = remember("alice", alice);
        String token = created.token();
        char last = token.charAt(token.length() - 2);
        String wrong = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(79);

        assertThat(f.service.trustedDevices().recognise("alice", wrong)).isEmpty();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "not-a-token", "00000000-0000-4000-8000-000000000000.short"})
    void malformedTokensAreJustNotRecognised(String token) {
        remember("alice", alice);

        assertThat(f.service.trustedDevices().recognise("alice", token)).isEmpty();
        assertThat(f.service.trustedDevices().recognise("alice", null)).isEmpty();
        assertThat(f.service.trustedDevices().recognise("alice", "a".repeat(1 << 20))).isEmpty();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @Test
    void lastUseIsRecordedAtMostOnceAnHour() {
        NewTrustedDevice created = remember("alice", alice);

        f.service.trustedDevices().recognise("alice", created.token());
        var first = f.clock.instant();
        f.clock.advance(Duration.ofMinutes(59));
        f.service.trustedDevices().recognise("alice", created.token());
        assertThat(f.service.trustedDevices().list("alice").get(0).lastUsedAt()).isEqualTo(first);
        f.clock.advance(Duration.ofMinutes(1));
        f.service.trustedDevices().recognise("alice", created.token());
        assertThat(f.service.trustedDevices().list("alice").get(0).lastUsedAt()).isEqualTo(f.clock.instant());
    }

    @Test
    void neverBypassesALockOrARunningBackoff() {
        NewTrustedDevice created = remember("alice", alice);
        BackoffState blocked = new BackoffState(3, f.clock.instant().plusSeconds(60), false);
        assertThat(f.store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE, blocked)).isTrue();

        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isEmpty();
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isPresent();
        BackoffState locked = new BackoffState(10, f.clock.instant(), true);
        assertThat(f.store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, blocked, locked)).isTrue();
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isEmpty();
    }

    @Test
    void rememberingNeedsAPassedChallenge() {
        Outcome<CodeAccepted> failed = f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        assertThatThrownBy(() -> f.service.trustedDevices().remember("alice", failed, CHROME_LINUX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.trustedDevices().remember("alice", Outcome.success("x"), CHROME_LINUX))
                .isInstanceOf(IllegalArgumentException.class);
        Outcome<CodeAccepted> stale = Outcome.success(new CodeAccepted(f.step() - 40, 0));
        assertThat(reason(f.service.trustedDevices().remember("alice", stale, CHROME_LINUX)))
                .isEqualTo(Reason.TRUSTED_DEVICE_CHALLENGE_REQUIRED);
        Outcome<RecoveryCodeAccepted> recovered =
                f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0));
        assertThat(f.service.trustedDevices().remember("alice", recovered, null).succeeded()).isTrue();
        assertThat(f.store.findTrustedDevices("alice")).hasSize(1);
    }

    @Test
    void aCodeProofIsAcceptedFromTenMinutesAndTheWindowBeforeNowUpToTheWindowAfterAndNotBeyond() {
        // Ten minutes are 20 steps of 30 s; the window adds one step on either side.
        long now = f.step();
        for (long step : new long[] {now - 21, now - 20, now, now + 1}) {
            Outcome<CodeAccepted> proof = Outcome.success(new CodeAccepted(step, 0));
            assertThat(f.service.trustedDevices().remember("alice", proof, null).succeeded())
                    .as("step now%+d", step - now).isTrue();
        }
        for (long step : new long[] {now - 22, now + 2}) {
            Outcome<CodeAccepted> proof = Outcome.success(new CodeAccepted(step, 0));
            assertThat(reason(f.service.trustedDevices().remember("alice", proof, null)))
                    .as("step now%+d", step - now).isEqualTo(Reason.TRUSTED_DEVICE_CHALLENGE_REQUIRED);
        }
        assertThat(f.store.findTrustedDevices("alice")).hasSize(4);
    }

    @Test
    void everyTokenCarriesItsOwnRandomSecret() {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            secrets.add(remember("alice", alice).token().substring(37));
            f.clock.advance(Duration.ofSeconds(30));
        }

        assertThat(secrets).doesNotHaveDuplicates()
                .noneMatch(secret -> Arrays.equals(Base64.getUrlDecoder().decode(secret), new byte[32]));
    }

    @Test
    void listsRevokesOneAndAll() {
        NewTrustedDevice first = remember("alice", alice);
        f.clock.advance(Duration.ofSeconds(30));
        NewTrustedDevice second = remember("alice", alice);
        f.enable("bob");

        assertThat(f.service.trustedDevices().list("alice")).extracting(TrustedDevice::id)
                .containsExactly(first.device().id(), second.device().id());
        assertThat(reason(f.service.trustedDevices().revoke("bob", first.device().id())))
                .isEqualTo(Reason.TRUSTED_DEVICE_NOT_FOUND);
        assertThat(success(f.service.trustedDevices().revoke("alice", first.device().id())).id())
                .isEqualTo(first.device().id());
        assertThat(f.service.trustedDevices().recognise("alice", first.token())).isEmpty();
        assertThat(f.service.trustedDevices().recognise("alice", second.token())).isPresent();
        assertThat(f.service.trustedDevices().revokeAll("alice")).isEqualTo(1);
        assertThat(f.service.trustedDevices().recognise("alice", second.token())).isEmpty();
        assertThat(f.events.count(TwoFactorEventType.TRUSTED_DEVICE_REVOKED)).isEqualTo(2);
    }

    @Test
    void disablingRevokesAllDevices() {
        NewTrustedDevice created = remember("alice", alice);

        success(f.service.disable("alice", Fixture.password()));

        assertRevoked(created, "DISABLED");
    }

    @Test
    void regeneratingRecoveryCodesRevokesDevicesUnlessTurnedOff() {
        NewTrustedDevice created = remember("alice", alice);
        success(f.service.regenerateRecoveryCodes("alice"));
        assertRevoked(created, "RECOVERY_CODES_REGENERATED");

        Fixture kept = new Fixture(b -> b.trustedDevices(true).regeneratingRecoveryCodesRevokesTrustedDevices(false));
        Fixture.Enabled bob = kept.enable("bob");
        NewTrustedDevice bobs = success(kept.service.trustedDevices().remember("bob",
                kept.service.verifyCode("bob", kept.code(bob.secret())), CHROME_LINUX));
        success(kept.service.regenerateRecoveryCodes("bob"));
        assertThat(kept.service.trustedDevices().recognise("bob", bobs.token())).isPresent();
    }

    @Test
    void confirmingANewAuthenticatorRevokesDevicesButStartingTheChangeDoesNot() {
        NewTrustedDevice created = remember("alice", alice);
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isPresent();

        success(f.service.confirmEnrolment("alice", f.code(change.secret())));

        assertRevoked(created, "AUTHENTICATOR_CHANGED");
    }

    @Test
    void aPasswordChangeRevokesAllDevices() {
        NewTrustedDevice created = remember("alice", alice);

        assertThat(f.service.trustedDevices().passwordChanged("alice")).isEqualTo(1);

        assertRevoked(created, "PASSWORD_CHANGED");
    }

    @Test
    void anAdminUnenrolRevokesAllDevices() {
        Fixture.Enabled admin = f.enable("admin");
        NewTrustedDevice created = remember("alice", alice);

        success(f.service.adminUnenrol("admin", f.code(admin.secret()), "alice"));

        assertRevoked(created, "ADMIN_UNENROL");
        assertThat(f.store.findTrustedDevices("alice")).isEmpty();
    }

    @Test
    void deviceNamesAreShortAndKnown() {
        assertThat(DeviceNames.of(null)).isEqualTo("Web browser on unknown system");
        assertThat(DeviceNames.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")).isEqualTo("Safari on iOS");
        assertThat(DeviceNames.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"))
                .isEqualTo("Firefox on Windows");
        assertThat(DeviceNames.of("Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36 Edg/126.0"))
                .isEqualTo("Edge on Windows");
        String hostile = "\u0000\n<script>" + "x".repeat(1 << 20);
        assertThat(DeviceNames.of(hostile)).isEqualTo("Web browser on unknown system");
        assertThat(new String(DeviceNames.of(hostile).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .doesNotContainPattern("\\p{Cntrl}");
    }

    private void assertRevoked(NewTrustedDevice created, String cause) {
        assertThat(f.service.trustedDevices().recognise("alice", created.token())).isEmpty();
        assertThat(f.service.trustedDevices().list("alice")).isEmpty();
        List<TwoFactorEvent> revoked = f.events.events.stream()
                .filter(e -> e.type() == TwoFactorEventType.TRUSTED_DEVICE_REVOKED).toList();
        assertThat(revoked).hasSize(1);
        assertThat(revoked.get(0).details()).containsEntry("deviceId", created.device().id())
                .containsEntry("cause", cause);
    }
}
