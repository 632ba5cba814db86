package dev.twofactor;

import static dev.twofactor.Fixture.password;
import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.BackoffState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: step-up with a recovery code ("Unlock settings" after losing the phone), a zero step-up window ("ask
 * every time"), and disabling after a recent step-up instead of a password (hosts on single sign-on).
 */
class TwoFactorServiceStepUpFlowsTest {

    private final Fixture f = new Fixture(b -> b.disableAfterStepUp(true));

    // ---------------------------------------------------------------- step-up with a recovery code

    @Test
    void stepUpWithRecoveryCodeThenAcceptedTheCodeUsedUpAndAStepUpEvent() {
        Fixture.Enabled alice = f.enable("alice");
        String code = alice.recoveryCodes().codes().get(2);

        RecoveryCodeAccepted accepted = success(f.service.stepUpWithRecoveryCode("alice", code.toLowerCase()));

        assertThat(accepted.remaining()).isEqualTo(7);
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isEqualTo(7);
        assertThat(f.events.last(TwoFactorEventType.STEP_UP).details())
                .containsEntry("check", "STEP_UP_RECOVERY_CODE").containsEntry("remaining", "7");
        assertThat(f.events.last(TwoFactorEventType.STEP_UP).toString()).doesNotContain(code);
        // Used up: neither a second step-up nor a sign-in takes it again.
        assertThat(reason(f.service.stepUpWithRecoveryCode("alice", code))).isEqualTo(Reason.WRONG_RECOVERY_CODE);
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(reason(f.service.redeemRecoveryCode("alice", code))).isEqualTo(Reason.WRONG_RECOVERY_CODE);
    }

    @Test
    void stepUpWithWrongRecoveryCodeThenCountedByTheBackoffAndRefusedUncheckedDuringIt() {
        Fixture.Enabled alice = f.enable("alice");

        assertThat(reason(f.service.stepUpWithRecoveryCode("alice", "AAAA-AAAA")))
                .isEqualTo(Reason.WRONG_RECOVERY_CODE);
        assertThat(reason(f.service.stepUpWithRecoveryCode("alice", "AAAA-AAAB")))
                .isEqualTo(Reason.WRONG_RECOVERY_CODE);

        assertThat(f.backoff("alice").failures()).isEqualTo(2);
        assertThat(f.events.last(TwoFactorEventType.VERIFICATION_FAILED).details())
                .containsEntry("check", "STEP_UP_RECOVERY_CODE");
        // During the backoff even the right code is refused and not consumed.
        Outcome<RecoveryCodeAccepted> refused =
                f.service.stepUpWithRecoveryCode("alice", alice.recoveryCodes().codes().get(0));
        assertThat(refused).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        // The backoff is the one of every other second-factor check.
        assertThat(f.service.verifyCode("alice", f.code(alice.secret()))).isInstanceOf(Outcome.RateLimited.class);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(success(f.service.stepUpWithRecoveryCode("alice", alice.recoveryCodes().codes().get(0)))
                .remaining()).isEqualTo(7);
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @Test
    void stepUpWithOneRecoveryCodeFromManyThreadsThenExactlyOneSucceeds() throws Exception {
        Fixture tolerant = new Fixture(b -> b.backoffPolicy(BackoffPolicy.builder().toleratedFailures(100)
                .lockAfter(1000).build()));
        Fixture.Enabled alice = tolerant.enable("alice");
        String code = alice.recoveryCodes().codes().get(5);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome<RecoveryCodeAccepted>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return tolerant.service.stepUpWithRecoveryCode("alice", code);
                }));
            }
            go.countDown();
            int succeeded = 0;
            for (Future<Outcome<RecoveryCodeAccepted>> answer : answers) {
                succeeded += answer.get().succeeded() ? 1 : 0;
            }
            assertThat(succeeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tolerant.service.status("alice").remainingRecoveryCodes()).isEqualTo(7);
    }

    @Test
    void stepUpWithRecoveryCodeWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.stepUpWithRecoveryCode("nobody", "AAAA-AAAA"))).isEqualTo(Reason.NOT_ENABLED);
    }

    // ---------------------------------------------------------------- a zero window

    @Test
    void zeroWindowThenEveryActionNeedsAStepUpButAFreshStepUpAuthorisesOneAction() {
        Fixture zero = new Fixture(b -> b.stepUpWindow(Duration.ZERO).disableAfterStepUp(true));
        zero.enable("alice");
        Instant stepUp = success(zero.service.stepUpWithPassword("alice", password()));

        assertThat(zero.service.stepUpRequired(stepUp)).isTrue();
        // The caller that consumed the one-time grant may act on it, within the one-time TTL only.
        zero.clock.advance(TwoFactorService.ONE_TIME_STEP_UP_TTL);
        assertThat(reason(zero.service.disableAfterStepUp("alice", stepUp))).isEqualTo(Reason.STEP_UP_REQUIRED);
        Instant fresh = success(zero.service.stepUpWithPassword("alice", password()));
        assertThat(success(zero.service.disableAfterStepUp("alice", fresh)).state())
                .isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    // ---------------------------------------------------------------- disable after a step-up

    @Test
    void disableAfterStepUpWithinTheWindowThenRemovesEverythingWithoutAPassword() {
        Fixture.Enabled alice = f.enable("alice");
        success(f.service.createAppPassword("alice", "Mail", AppPasswordScope.FULL));
        Instant stepUp = success(f.service.stepUpWithCode("alice", f.code(alice.secret())));
        f.clock.advance(Duration.ofMinutes(4));
        int passwordChecks = f.passwordChecks.get();

        TwoFactorStatus status = success(f.service.disableAfterStepUp("alice", stepUp));

        assertThat(status.state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        assertThat(f.passwordChecks.get()).isEqualTo(passwordChecks);
        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(f.store.countUnused("alice")).isZero();
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
        assertThat(f.events.last(TwoFactorEventType.DISABLED).details()).containsEntry("check", "STEP_UP");
    }

    @Test
    void disableAfterStepUpWhenStaleMissingOrFutureThenStepUpRequiredAndStillEnabled() {
        f.enable("alice");
        Instant stepUp = success(f.service.stepUpWithPassword("alice", password()));
        f.clock.advance(f.service.stepUpWindow());

        for (Instant given : List.of(stepUp, f.clock.instant().plusSeconds(60))) {
            assertThat(reason(f.service.disableAfterStepUp("alice", given))).isEqualTo(Reason.STEP_UP_REQUIRED);
        }
        assertThat(reason(f.service.disableAfterStepUp("alice", null))).isEqualTo(Reason.STEP_UP_REQUIRED);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(f.events.count(TwoFactorEventType.DISABLED)).isZero();
    }

    @Test
    void disableAfterStepUpWhenLockedThenLocked() {
        f.enable("alice");
        Instant stepUp = success(f.service.stepUpWithPassword("alice", password()));
        f.store.compareAndSet("alice", BackoffState.NONE, new BackoffState(100, Instant.EPOCH, true));

        assertThat(f.service.disableAfterStepUp("alice", stepUp)).isInstanceOf(Outcome.Locked.class);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void disableAfterStepUpWhenNotConfiguredOnTheBuilderThenMisuseAndThePasswordPathStaysTheDefault() {
        Fixture plain = new Fixture();
        plain.enable("alice");
        Instant stepUp = success(plain.service.stepUpWithPassword("alice", password()));

        assertThatThrownBy(() -> plain.service.disableAfterStepUp("alice", stepUp))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disableAfterStepUp(true)");
        assertThat(plain.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(success(plain.service.disable("alice", password())).state())
                .isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void disableAfterStepUpWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.disableAfterStepUp("bob", f.clock.instant()))).isEqualTo(Reason.NOT_ENABLED);
    }
}
