package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.internal.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No secret, code, recovery code or password reaches an event or a log line, whatever the flow. */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class NoSecretLeakTest {

    private final RecordingListener recorder = new RecordingListener();
    private final AuditLog auditLog = new AuditLog();
    private final List<String> secrets = new ArrayList<>();

    @Test
    void aFullLifeOfEnrolmentSignInRecoveryAndDisableLeaksNothing() {
        Fixture f = new Fixture(b -> b.listener(event -> {
            recorder.onEvent(event);
            auditLog.onEvent(event);
        }));

        String log = LogCapture.during(() -> runEveryFlow(f));

        assertThat(recorder.events).extracting(TwoFactorEvent::type).contains(TwoFactorEventType.ENROLMENT_STARTED,
                TwoFactorEventType.ENABLED, TwoFactorEventType.VERIFIED, TwoFactorEventType.VERIFICATION_FAILED,
                TwoFactorEventType.BACKOFF_STARTED, TwoFactorEventType.RECOVERY_CODE_USED,
                TwoFactorEventType.RECOVERY_CODES_REGENERATED, TwoFactorEventType.AUTHENTICATOR_CHANGED,
                TwoFactorEventType.DISABLED);
        assertThat(log).contains("INFO dev.twofactor.audit - ENABLED user=alice")
                .contains("WARN dev.twofactor.audit - VERIFICATION_FAILED user=alice")
                .contains("WARN dev.twofactor.audit - BACKOFF_STARTED user=alice")
                .contains("UNENCRYPTED");
        assertThat(secrets).hasSizeGreaterThan(20);
        String events = recorder.events.toString();
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(events).as("events").doesNotContain(secret);
        }
    }

    @Test
    void stepUpAdministrationAppPasswordsAndTrustedDevicesLeakNothing() {
        Fixture f = new Fixture(b -> b.trustedDevices(true).listener(event -> {
            recorder.onEvent(event);
            auditLog.onEvent(event);
        }));

        String log = LogCapture.during(() -> {
            f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(1));
            Fixture.Enabled admin = f.enable("root");
            Fixture.Enabled alice = f.enable("alice");
            secrets.add(admin.secret().base32());
            secrets.add(alice.secret().base32());
            remember(alice.recoveryCodes());
            secrets.add("wrong-password-1");
            f.service.stepUpWithPassword("alice", "wrong-password-1".toCharArray());
            f.service.stepUpWithPassword("alice", Fixture.password());
            String stepUpCode = f.code(alice.secret());
            secrets.add(stepUpCode);
            f.service.stepUpWithCode("alice", stepUpCode);
            NewAppPassword app = success(f.service.createAppPassword("alice", "Thunderbird", java.util.Set.of()));
            secrets.add(app.code());
            secrets.add(app.code().replace(" ", ""));
            f.clock.advance(Duration.ofMinutes(1));
            f.service.verifyAppPassword("alice", app.code());
            f.service.verifyAppPassword("alice", "9999 9999 9999 9999 9999");
            f.service.revokeAppPassword("alice", app.appPassword().id());
            String signInCode = f.code(alice.secret(), 1);
            secrets.add(signInCode);
            NewTrustedDevice device = success(f.service.trustedDevices().remember("alice",
                    f.service.verifyCode("alice", signInCode), "Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0"));
            secrets.add(device.token());
            secrets.add(device.token().substring(37));
            secrets.add(f.store.findTrustedDevices("alice").get(0).tokenHash());
            f.service.trustedDevices().recognise("alice", device.token());
            String forged = device.token().substring(0, 37) + "A".repeat(43);
            secrets.add(forged.substring(37));
            f.service.trustedDevices().recognise("alice", forged);
            f.service.trustedDevices().recognise("root", device.token());
            NewTrustedDevice second = success(f.service.trustedDevices().remember("alice",
                    Outcome.success(new RecoveryCodeAccepted(9, null)), null));
            secrets.add(second.token().substring(37));
            f.service.trustedDevices().revoke("alice", device.device().id());
            String wrongAdmin = f.wrongCode(admin.secret());
            secrets.add(wrongAdmin);
            f.service.adminUnenrol("root", wrongAdmin, "alice");
            f.clock.advance(Duration.ofMinutes(1));
            String adminCode = f.code(admin.secret());
            secrets.add(adminCode);
            f.service.adminUnenrol("root", adminCode, "alice");
        });

        assertThat(recorder.types()).contains(TwoFactorEventType.POLICY_CHANGED, TwoFactorEventType.STEP_UP,
                TwoFactorEventType.APP_PASSWORD_CREATED, TwoFactorEventType.APP_PASSWORD_USED,
                TwoFactorEventType.APP_PASSWORD_REVOKED, TwoFactorEventType.ADMIN_RESET,
                TwoFactorEventType.DEVICE_TRUSTED, TwoFactorEventType.TRUSTED_DEVICE_USED,
                TwoFactorEventType.TRUSTED_DEVICE_REVOKED);
        assertThat(recorder.events).filteredOn(e -> e.type() == TwoFactorEventType.TRUSTED_DEVICE_REVOKED)
                .extracting(e -> e.details().get("cause")).containsExactly("USER", "ADMIN_UNENROL");
        assertThat(log).contains("ADMIN_RESET user=alice actor=root").contains("APP_PASSWORD_USED user=alice");
        String events = recorder.events.toString();
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(events).as("events").doesNotContain(secret);
        }
    }

    @Test
    void backoffLockAdminResetAndAppPasswordFailuresLeakNothingAtAnyLogLevel() {
        Fixture f = new Fixture(b -> b.backoffPolicy(BackoffPolicy.builder().lockAfter(4).build())
                .appPasswordPermissions(java.util.Set.of("mail"))
                .listener(event -> {
                    recorder.onEvent(event);
                    auditLog.onEvent(event);
                }));

        String log = LogCapture.during(() -> {
            Fixture.Enabled admin = f.enable("root");
            Fixture.Enabled alice = f.enable("alice");
            secrets.add(admin.secret().base32());
            secrets.add(HexFormat.of().formatHex(alice.secret().bytes()));
            secrets.add(HexFormat.of().formatHex(Fixture.KEY_1));
            secrets.add(java.util.Base64.getEncoder().encodeToString(Fixture.KEY_1));
            remember(alice.recoveryCodes());
            NewAppPassword app = success(f.service.createAppPassword("alice", "Phone", java.util.Set.of("mail")));
            secrets.add(app.code().replace(" ", ""));
            for (int i = 0; i < 5; i++) {
                String wrong = f.wrongCode(alice.secret());
                secrets.add(wrong);
                f.service.verifyCode("alice", wrong);
                f.service.verifyAppPassword("alice", "1111 2222 3333 4444 555" + i);
                f.clock.advance(Duration.ofHours(2));
            }
            String adminCode = f.code(admin.secret());
            secrets.add(adminCode);
            f.service.adminResetBackoff("root", adminCode, "alice");
            f.clock.advance(Duration.ofMinutes(1));
            String good = f.code(alice.secret());
            secrets.add(good);
            assertThat(f.service.verifyCode("alice", good).succeeded()).isTrue();
        });

        assertThat(recorder.types()).contains(TwoFactorEventType.BACKOFF_STARTED, TwoFactorEventType.LOCKED,
                TwoFactorEventType.ADMIN_RESET, TwoFactorEventType.VERIFIED);
        assertThat(log).contains("LOCKED user=alice").contains("ADMIN_RESET user=alice actor=root");
        String events = recorder.events.toString();
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(events).as("events").doesNotContain(secret);
        }
    }

    @Test
    void lineBreaksInEventValuesCannotForgeAuditLines() {
        TwoFactorEvent event = new TwoFactorEvent(TwoFactorEventType.APP_PASSWORD_USED,
                "alice\nINFO dev.twofactor.audit - ENABLED user=mallory", null, Fixture.START,
                java.util.Map.of("appPassword", "a\rb\u2028c"));

        String forged = LogCapture.during(() -> auditLog.onEvent(event));

        assertThat(forged.lines()).hasSize(1);
        assertThat(forged).contains("user=alice?INFO").contains("appPassword=a?b?c");
    }

    @Test
    void aFailingListenerIsLoggedWithoutSecretsAndNeverFailsTheOperation() {
        Fixture f = new Fixture(b -> b.listener(event -> {
            throw new IllegalStateException("mail server down");
        }));
        Enrolment[] enrolment = new Enrolment[1];

        String log = LogCapture.during(() -> {
            enrolment[0] = success(f.service.startEnrolment("alice", "alice@example.com"));
            String code = f.code(enrolment[0].secret());
            secrets.add(code);
            assertThat(f.service.confirmEnrolment("alice", code).succeeded()).isTrue();
        });

        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(log).contains("failed on event ENABLED; the operation stands").contains("mail server down");
        assertThat(log).doesNotContain(enrolment[0].secret().base32()).doesNotContain(secrets.get(0));
    }

    private void runEveryFlow(Fixture f) {
        TwoFactorService plain = f.builder().secretCipher(SecretCipher.plaintext()).build();
        Enrolment first = success(plain.startEnrolment("alice", "alice@example.com"));
        remember(first);
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        remember(enrolment);
        String wrong = f.wrongCode(enrolment.secret());
        secrets.add(wrong);
        f.service.confirmEnrolment("alice", wrong);
        String confirmCode = f.code(enrolment.secret());
        secrets.add(confirmCode);
        Confirmation confirmation = success(f.service.confirmEnrolment("alice", confirmCode));
        remember(confirmation.recoveryCodes());
        f.clock.advance(Duration.ofSeconds(30));
        String signIn = f.code(enrolment.secret());
        secrets.add(signIn);
        f.service.verifyCode("alice", signIn);
        f.service.verifyCode("alice", signIn);
        f.service.verifyCode("alice", f.wrongCode(enrolment.secret()));
        f.service.verifyCode("alice", "12ab56");
        f.clock.advance(Duration.ofMinutes(1));
        f.service.redeemRecoveryCode("alice", confirmation.recoveryCodes().codes().get(0));
        f.service.redeemRecoveryCode("alice", "ZZZZ-ZZZZ");
        RecoveryCodes regenerated = success(f.service.regenerateRecoveryCodes("alice"));
        remember(regenerated);
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));
        remember(change);
        f.clock.advance(Duration.ofMinutes(1));
        String changeCode = f.code(change.secret());
        secrets.add(changeCode);
        f.service.confirmEnrolment("alice", changeCode);
        f.clock.advance(Duration.ofMinutes(1));
        char[] wrongPassword = "hunter2-wrong".toCharArray();
        secrets.add("hunter2-wrong");
        f.service.disable("alice", wrongPassword);
        f.clock.advance(Duration.ofMinutes(1));
        secrets.add(Fixture.PASSWORD);
        f.service.disable("alice", Fixture.password());
    }

    private void remember(Enrolment enrolment) {
        secrets.add(enrolment.secret().base32());
        secrets.add(enrolment.secret().grouped());
        secrets.add(HexFormat.of().formatHex(enrolment.secret().bytes()));
        secrets.add(enrolment.keyUri().toUriString());
        secrets.add(enrolment.qrCode().pngDataUri(4));
    }

    private void remember(RecoveryCodes codes) {
        for (String code : codes.codes()) {
            secrets.add(code);
            secrets.add(code.replace("-", ""));
        }
    }
}
