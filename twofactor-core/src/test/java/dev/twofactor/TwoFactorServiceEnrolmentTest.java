package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwoFactorServiceEnrolmentTest {

    private final Fixture f = new Fixture();

    @Test
    void statusWhenNothingStoredThenNotConfigured() {
        TwoFactorStatus status = f.service.status("alice");

        assertThat(status).isEqualTo(new TwoFactorStatus(TwoFactorState.NOT_CONFIGURED, null, null, false, 0, false));
    }

    @Test
    void startEnrolmentThenPendingWithSecretUriQrAndTenMinuteExpiry() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));

        assertThat(enrolment.expiresAt()).isEqualTo(Fixture.START.plus(Duration.ofMinutes(10)));
        assertThat(enrolment.keyUri().issuer()).isEqualTo("ACME Corp");
        assertThat(enrolment.keyUri().accountName()).isEqualTo("alice@example.com");
        assertThat(enrolment.keyUri().secret()).isEqualTo(enrolment.secret());
        assertThat(enrolment.secret().bits()).isEqualTo(160);
        assertThat(enrolment.qrCode().svg()).contains("<svg");
        TwoFactorStatus status = f.service.status("alice");
        assertThat(status.state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(status.pendingExpiresAt()).isEqualTo(enrolment.expiresAt());
        assertThat(status.enabledAt()).isNull();
        assertThat(f.events.types()).containsExactly(TwoFactorEventType.ENROLMENT_STARTED);
    }

    @Test
    void startEnrolmentAgainThenEarlierSecretIsReplaced() {
        Enrolment first = success(f.service.startEnrolment("alice", "alice@example.com"));
        Enrolment second = success(f.service.startEnrolment("alice", "alice@example.com"));

        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(reason(f.service.confirmEnrolment("alice", f.code(first.secret())))).isEqualTo(Reason.WRONG_CODE);
        assertThat(success(f.service.confirmEnrolment("alice", f.code(second.secret()))).state())
                .isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void startEnrolmentWhenEnabledThenAlreadyEnabled() {
        f.enable("alice");

        assertThat(reason(f.service.startEnrolment("alice", "alice@example.com"))).isEqualTo(Reason.ALREADY_ENABLED);
        assertThat(f.store.findCredential("alice").orElseThrow().pending()).isNull();
    }

    @Test
    void startEnrolmentWithColonInAccountNameThenRejectedAndNothingStored() {
        assertThatThrownBy(() -> f.service.startEnrolment("alice", "alice:evil"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(f.store.findCredential("alice")).isEmpty();
    }

    @Test
    void confirmWhenNoPendingEnrolmentThenRejectedWithoutCountingAFailure() {
        Outcome<Confirmation> outcome = f.service.confirmEnrolment("alice", "123456");

        assertThat(reason(outcome)).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        assertThat(outcome.message()).isEqualTo("No pending enrollment. Click \"Enable\" to start over");
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @Test
    void confirmOneMillisecondBeforeTtlThenEnabled() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(10).minusMillis(1));

        assertThat(success(f.service.confirmEnrolment("alice", f.code(enrolment.secret()))).state())
                .isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void confirmAtExactlyTheTtlThenNoPendingEnrolmentAndStatusNotConfigured() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(10));

        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(reason(f.service.confirmEnrolment("alice", f.code(enrolment.secret()))))
                .isEqualTo(Reason.NO_PENDING_ENROLMENT);
    }

    @Test
    void confirmWithCustomTtlHonoursIt() {
        Fixture custom = new Fixture(b -> b.pendingEnrolmentTtl(Duration.ofMinutes(1)));
        Enrolment enrolment = success(custom.service.startEnrolment("alice", "alice@example.com"));
        assertThat(enrolment.expiresAt()).isEqualTo(Fixture.START.plusSeconds(60));
        custom.clock.advance(Duration.ofSeconds(60));

        assertThat(reason(custom.service.confirmEnrolment("alice", custom.code(enrolment.secret()))))
                .isEqualTo(Reason.NO_PENDING_ENROLMENT);
    }

    @Test
    void confirmWithWrongCodeThenWrongCodeCountedAndStillPending() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));

        Outcome<Confirmation> outcome = f.service.confirmEnrolment("alice", f.wrongCode(enrolment.secret()));

        assertThat(reason(outcome)).isEqualTo(Reason.WRONG_CODE);
        assertThat(outcome.message()).isEqualTo("That code did not match");
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(f.events.last(TwoFactorEventType.VERIFICATION_FAILED).details())
                .containsEntry("check", "CONFIRMATION");
    }

    @Test
    void confirmWithLettersThenMalformedAndCounted() {
        success(f.service.startEnrolment("alice", "alice@example.com"));

        assertThat(reason(f.service.confirmEnrolment("alice", "12345a"))).isEqualTo(Reason.MALFORMED_CODE);
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void confirmThenEnabledWithEightFreshRecoveryCodesAndTheCodeCountsAsUsed() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        String code = f.code(enrolment.secret());

        Confirmation confirmation = success(f.service.confirmEnrolment("alice", code));

        assertThat(confirmation.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(confirmation.enabledAt()).isEqualTo(Fixture.START);
        assertThat(confirmation.newRecoveryCodes()).get().extracting(codes -> codes.codes().size()).isEqualTo(8);
        TwoFactorStatus status = f.service.status("alice");
        assertThat(status).isEqualTo(new TwoFactorStatus(TwoFactorState.ENABLED, Fixture.START, null, false, 8, false));
        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(f.step());
        assertThat(reason(f.service.verifyCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);
        assertThat(f.events.types()).containsExactly(TwoFactorEventType.ENROLMENT_STARTED,
                TwoFactorEventType.ENABLED, TwoFactorEventType.VERIFICATION_FAILED);
    }

    @Test
    void confirmTwiceThenSecondHasNoPendingEnrolment() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        success(f.service.confirmEnrolment("alice", f.code(enrolment.secret())));

        assertThat(reason(f.service.confirmEnrolment("alice", f.code(enrolment.secret()))))
                .isEqualTo(Reason.NO_PENDING_ENROLMENT);
    }

    @Test
    void cancelWhenPendingThenNotConfiguredAndSecretGone() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));

        TwoFactorStatus status = success(f.service.cancelEnrolment("alice"));

        assertThat(status.state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(reason(f.service.confirmEnrolment("alice", f.code(enrolment.secret()))))
                .isEqualTo(Reason.NO_PENDING_ENROLMENT);
        assertThat(f.events.types()).containsExactly(TwoFactorEventType.ENROLMENT_STARTED,
                TwoFactorEventType.ENROLMENT_CANCELLED);
    }

    @Test
    void cancelWhenNothingPendingThenNoPendingEnrolment() {
        assertThat(reason(f.service.cancelEnrolment("alice"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        f.enable("alice");
        assertThat(reason(f.service.cancelEnrolment("alice"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void cancelWhenPendingExpiredThenNoPendingEnrolmentAndTheLeftoverIsRemoved() {
        success(f.service.startEnrolment("alice", "alice@example.com"));
        f.clock.advance(Duration.ofMinutes(10));

        assertThat(reason(f.service.cancelEnrolment("alice"))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        assertThat(f.store.findCredential("alice")).isEmpty();
    }

    @Test
    void changeAuthenticatorWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.changeAuthenticator("alice", "alice@example.com"))).isEqualTo(Reason.NOT_ENABLED);
        success(f.service.startEnrolment("alice", "alice@example.com"));
        assertThat(reason(f.service.changeAuthenticator("alice", "alice@example.com"))).isEqualTo(Reason.NOT_ENABLED);
    }

    @Test
    void changeAuthenticatorKeepsOldSecretWorkingUntilTheNewOneIsConfirmed() {
        Fixture.Enabled alice = f.enable("alice");
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));
        TwoFactorStatus during = f.service.status("alice");
        assertThat(during.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(during.hasPendingEnrolment()).isTrue();

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();
        f.clock.advance(Duration.ofSeconds(30));
        Confirmation confirmation = success(f.service.confirmEnrolment("alice", f.code(change.secret())));

        assertThat(confirmation.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(confirmation.newRecoveryCodes()).isEmpty();
        assertThat(confirmation.enabledAt()).isEqualTo(f.clock.instant());
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret())))).isEqualTo(Reason.WRONG_CODE);
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(f.service.verifyCode("alice", f.code(change.secret())).succeeded()).isTrue();
        // The recovery codes issued at the first enrolment still work.
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded()).isTrue();
        assertThat(f.events.count(TwoFactorEventType.AUTHENTICATOR_CHANGED)).isEqualTo(1);
    }

    @Test
    void changeAuthenticatorWhenTheNewSecretIsStillPendingThenItsCodesDoNotSignIn() {
        Fixture.Enabled alice = f.enable("alice");
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));

        assertThat(reason(f.service.verifyCode("alice", f.code(change.secret())))).isEqualTo(Reason.WRONG_CODE);
        assertThat(f.service.stepUpWithCode("alice", f.code(change.secret()))).isInstanceOf(Outcome.Rejected.class);

        assertThat(f.backoff("alice").failures()).isEqualTo(2);
    }

    @Test
    void changeAuthenticatorWhenTheConfirmationCodeIsReusedAtSignInThenCodeAlreadyUsed() {
        Fixture.Enabled alice = f.enable("alice");
        Enrolment change = success(f.service.changeAuthenticator("alice", "alice@example.com"));
        String confirmationCode = f.code(change.secret());
        success(f.service.confirmEnrolment("alice", confirmationCode));

        assertThat(reason(f.service.verifyCode("alice", confirmationCode))).isEqualTo(Reason.CODE_ALREADY_USED);
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(reason(f.service.verifyCode("alice", confirmationCode))).isEqualTo(Reason.CODE_ALREADY_USED);
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret())))).isEqualTo(Reason.WRONG_CODE);
    }

    @Test
    void changeAuthenticatorThenCancelKeepsTheOldSecret() {
        Fixture.Enabled alice = f.enable("alice");
        success(f.service.changeAuthenticator("alice", "alice@example.com"));

        TwoFactorStatus status = success(f.service.cancelEnrolment("alice"));

        assertThat(status.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(status.hasPendingEnrolment()).isFalse();
        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();
    }

    @Test
    void acknowledgementModeConfirmKeepsStatePendingUntilAcknowledged() {
        Fixture ack = new Fixture(b -> b.requireRecoveryCodeAcknowledgement(true));
        Enrolment enrolment = success(ack.service.startEnrolment("alice", "alice@example.com"));
        String code = ack.code(enrolment.secret());

        Confirmation confirmation = success(ack.service.confirmEnrolment("alice", code));

        assertThat(confirmation.state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(confirmation.enabledAt()).isNull();
        RecoveryCodes codes = confirmation.newRecoveryCodes().orElseThrow();
        assertThat(codes.codes()).hasSize(8);
        TwoFactorStatus waiting = ack.service.status("alice");
        assertThat(waiting.state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(waiting.awaitingAcknowledgement()).isTrue();
        assertThat(reason(ack.service.verifyCode("alice", code))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(reason(ack.service.confirmEnrolment("alice", code))).isEqualTo(Reason.NO_PENDING_ENROLMENT);
        assertThat(ack.events.count(TwoFactorEventType.ENABLED)).isZero();

        assertThat(confirmation.acknowledgementToken()).isNotBlank();
        assertThat(confirmation.toString()).doesNotContain(confirmation.acknowledgementToken());
        TwoFactorStatus enabled = success(ack.service.acknowledgeRecoveryCodes("alice",
                confirmation.acknowledgementToken()));

        assertThat(enabled.state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(enabled.enabledAt()).isEqualTo(ack.clock.instant());
        assertThat(enabled.remainingRecoveryCodes()).isEqualTo(8);
        assertThat(ack.events.count(TwoFactorEventType.ENABLED)).isEqualTo(1);
        // The confirming code still counts as used once enabled, and the codes shown at confirmation work.
        assertThat(reason(ack.service.verifyCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);
        assertThat(ack.service.redeemRecoveryCode("alice", codes.codes().get(3)).succeeded()).isTrue();
        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", confirmation.acknowledgementToken())))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
    }

    @Test
    void acknowledgeWithoutTheTokenThatCameWithTheCodesThenRefusedAndStillPending() {
        Fixture ack = new Fixture(b -> b.requireRecoveryCodeAcknowledgement(true));
        Enrolment enrolment = success(ack.service.startEnrolment("alice", "alice@example.com"));
        Confirmation confirmation = success(ack.service.confirmEnrolment("alice", ack.code(enrolment.secret())));
        String token = confirmation.acknowledgementToken();

        // A reload lost the codes and with them the token: no acknowledgement for codes nobody saw.
        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", null)))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", "")))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", token.substring(1) + "x")))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        assertThat(ack.service.status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(ack.events.count(TwoFactorEventType.ENABLED)).isZero();
        // The way on: start over, which mints a new secret; the old token no longer acknowledges anything.
        Enrolment again = success(ack.service.startEnrolment("alice", "alice@example.com"));
        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", token)))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        ack.clock.advance(Duration.ofSeconds(30));
        Confirmation second = success(ack.service.confirmEnrolment("alice", ack.code(again.secret())));
        assertThat(second.acknowledgementToken()).isNotEqualTo(token);
        assertThat(success(ack.service.acknowledgeRecoveryCodes("alice", second.acknowledgementToken())).state())
                .isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void acknowledgeWhenNothingAwaitsThenNothingToAcknowledge() {
        assertThat(reason(f.service.acknowledgeRecoveryCodes("alice", "t"))).isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        success(f.service.startEnrolment("alice", "alice@example.com"));
        assertThat(reason(f.service.acknowledgeRecoveryCodes("alice", "t"))).isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        f.enable("bob");
        assertThat(reason(f.service.acknowledgeRecoveryCodes("bob", "t"))).isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
    }

    @Test
    void acknowledgeAfterThePendingEnrolmentExpiredThenNothingToAcknowledge() {
        Fixture ack = new Fixture(b -> b.requireRecoveryCodeAcknowledgement(true));
        Enrolment enrolment = success(ack.service.startEnrolment("alice", "alice@example.com"));
        Confirmation confirmation = success(ack.service.confirmEnrolment("alice", ack.code(enrolment.secret())));
        ack.clock.advance(Duration.ofMinutes(10));

        assertThat(reason(ack.service.acknowledgeRecoveryCodes("alice", confirmation.acknowledgementToken())))
                .isEqualTo(Reason.NOTHING_TO_ACKNOWLEDGE);
        assertThat(ack.service.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(success(ack.service.startEnrolment("alice", "alice@example.com"))).isNotNull();
    }

    @Test
    void disableWithCorrectPasswordThenNotConfiguredAndSecretAndCodesRemoved() {
        Fixture.Enabled alice = f.enable("alice");
        char[] password = Fixture.password();

        TwoFactorStatus status = success(f.service.disable("alice", password));

        assertThat(status.state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(password).containsOnly('\0');
        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(f.store.countUnused("alice")).isZero();
        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret())))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(f.events.count(TwoFactorEventType.DISABLED)).isEqualTo(1);
    }

    @Test
    void disableWithWrongPasswordThenStillEnabledAndCountedForBackoff() {
        f.enable("alice");
        char[] password = "wrong".toCharArray();

        Outcome<TwoFactorStatus> outcome = f.service.disable("alice", password);

        assertThat(reason(outcome)).isEqualTo(Reason.WRONG_PASSWORD_DISABLE);
        assertThat(outcome.message()).isEqualTo("Password did not match. Two-factor remains enabled.");
        assertThat(password).containsOnly('\0');
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void disableWhenNotEnabledThenNotEnabledAndPasswordNotChecked() {
        success(f.service.startEnrolment("alice", "alice@example.com"));
        char[] password = Fixture.password();

        assertThat(reason(f.service.disable("alice", password))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(password).containsOnly('\0');
        assertThat(f.passwordChecks).hasValue(0);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
    }

    @Test
    void disableWithoutPasswordVerifierThenIllegalStateAndPasswordWiped() {
        TwoFactorService service = TwoFactorService.builder().issuer("ACME").store(f.store)
                .secretCipher(SecretCipher.aesGcm(Fixture.ring())).clock(f.clock).listener(f.events).build();
        char[] password = Fixture.password();

        assertThatThrownBy(() -> service.disable("alice", password)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PasswordVerifier");
        assertThat(password).containsOnly('\0');
    }

    @Test
    void disableWhileChangingAuthenticatorRemovesBothSecrets() {
        f.enable("alice");
        success(f.service.changeAuthenticator("alice", "alice@example.com"));

        success(f.service.disable("alice", Fixture.password()));

        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(f.service.status("alice").hasPendingEnrolment()).isFalse();
    }

    @Test
    void regenerateWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.regenerateRecoveryCodes("alice"))).isEqualTo(Reason.NOT_ENABLED);
        success(f.service.startEnrolment("alice", "alice@example.com"));
        assertThat(reason(f.service.regenerateRecoveryCodes("alice"))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.store.countUnused("alice")).isZero();
    }

    @Test
    void enableAfterDisableStartsFromScratch() {
        f.enable("alice");
        success(f.service.disable("alice", Fixture.password()));

        Fixture.Enabled again = f.enable("alice");

        Credential credential = f.store.findCredential("alice").orElseThrow();
        assertThat(credential.enabled()).isTrue();
        assertThat(f.service.verifyCode("alice", f.code(again.secret())).succeeded()).isTrue();
    }
}
