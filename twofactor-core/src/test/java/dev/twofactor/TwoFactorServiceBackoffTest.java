package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TwoFactorServiceBackoffTest {

    private final Fixture f = new Fixture();

    @Test
    void firstFailureIsToleratedWithoutDelay() {
        Fixture.Enabled alice = f.enable("alice");

        assertThat(reason(f.service.verifyCode("alice", f.wrongCode(alice.secret())))).isEqualTo(Reason.WRONG_CODE);

        assertThat(f.backoff("alice")).isEqualTo(new BackoffState(1, BackoffState.NONE.blockedUntil(), false));
        assertThat(reason(f.service.verifyCode("alice", f.wrongCode(alice.secret())))).isEqualTo(Reason.WRONG_CODE);
        assertThat(f.events.count(TwoFactorEventType.BACKOFF_STARTED)).isEqualTo(1);
    }

    @Test
    void backoffDoublesFromOneSecondUpToAnHour() {
        Fixture.Enabled alice = f.enable("alice");
        long[] expectedSeconds = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600};

        for (int i = 0; i < expectedSeconds.length; i++) {
            assertThat(reason(f.service.verifyCode("alice", f.wrongCode(alice.secret()))))
                    .as("failure %d", i + 1).isEqualTo(Reason.WRONG_CODE);
            BackoffState state = f.backoff("alice");
            assertThat(state.failures()).isEqualTo(i + 1);
            Outcome<CodeAccepted> next = f.service.verifyCode("alice", f.wrongCode(alice.secret()));
            if (expectedSeconds[i] == 0) {
                assertThat(next).isNotInstanceOf(Outcome.RateLimited.class);
                f.store.compareAndSet("alice", f.backoff("alice"), state); // undo that probe's count
            } else {
                assertThat(next).as("failure %d", i + 1).isInstanceOf(Outcome.RateLimited.class);
                assertThat(((Outcome.RateLimited<CodeAccepted>) next).retryAfter())
                        .isEqualTo(Duration.ofSeconds(expectedSeconds[i]));
                assertThat(state.blockedUntil()).isEqualTo(f.clock.instant().plusSeconds(expectedSeconds[i]));
                f.clock.advance(Duration.ofSeconds(expectedSeconds[i]));
            }
        }
        assertThat(f.events.last(TwoFactorEventType.BACKOFF_STARTED).details())
                .containsEntry("retryAfterSeconds", "3600").containsEntry("failures", "16");
    }

    @Test
    void duringBackoffACorrectCodeIsRefusedWithoutBeingCheckedOrConsumed() {
        Fixture.Enabled alice = f.enable("alice");
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        BackoffState blocked = f.backoff("alice");
        long lastUsed = f.store.findCredential("alice").orElseThrow().lastUsedStep();
        String correct = f.code(alice.secret());

        Outcome<CodeAccepted> refused = f.service.verifyCode("alice", correct);

        assertThat(refused).isInstanceOf(Outcome.RateLimited.class);
        assertThat(((Outcome.RateLimited<CodeAccepted>) refused).retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.message()).isEqualTo("Too many failed attempts. Try again in 1 second.");
        // Not consumed, not counted, and the store saw no write.
        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(lastUsed);
        assertThat(f.backoff("alice")).isEqualTo(blocked);

        f.clock.advance(Duration.ofMillis(999));
        assertThat(f.service.verifyCode("alice", correct)).isInstanceOf(Outcome.RateLimited.class);
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.service.verifyCode("alice", correct).succeeded()).isTrue();
    }

    @Test
    void aSuccessResetsTheBackoffToItsStart() {
        Fixture.Enabled alice = f.enable("alice");
        for (int i = 0; i < 3; i++) {
            f.service.verifyCode("alice", f.wrongCode(alice.secret()));
            f.clock.advance(Duration.ofSeconds(2));
        }
        assertThat(f.backoff("alice").failures()).isEqualTo(3);
        f.clock.advance(Duration.ofSeconds(30));

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();

        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        assertThat(f.service.verifyCode("alice", f.wrongCode(alice.secret()))).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void hundredConsecutiveFailuresLockUntilAnAdministratorResets() {
        Fixture.Enabled alice = f.enable("alice");
        for (int i = 1; i <= 99; i++) {
            assertThat(reason(f.service.verifyCode("alice", f.wrongCode(alice.secret())))).isEqualTo(Reason.WRONG_CODE);
            f.clock.advance(Duration.ofSeconds(3600));
        }
        assertThat(f.backoff("alice").locked()).isFalse();
        assertThat(f.service.status("alice").locked()).isFalse();

        assertThat(reason(f.service.verifyCode("alice", f.wrongCode(alice.secret())))).isEqualTo(Reason.WRONG_CODE);

        assertThat(f.backoff("alice").locked()).isTrue();
        assertThat(f.backoff("alice").failures()).isEqualTo(100);
        assertThat(f.service.status("alice").locked()).isTrue();
        assertThat(f.events.count(TwoFactorEventType.LOCKED)).isEqualTo(1);
        f.clock.advance(Duration.ofDays(30));
        Outcome<CodeAccepted> locked = f.service.verifyCode("alice", f.code(alice.secret()));
        assertThat(locked).isInstanceOf(Outcome.Locked.class);
        assertThat(locked.message()).contains("Contact an administrator");
        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)))
                .isInstanceOf(Outcome.Locked.class);
        assertThat(f.service.disable("alice", Fixture.password())).isInstanceOf(Outcome.Locked.class);
        assertThat(f.backoff("alice").failures()).isEqualTo(100);
        assertThat(f.store.countUnused("alice")).isEqualTo(8);
    }

    @Test
    void lockAfterIsConfigurable() {
        Fixture three = new Fixture(b -> b.backoffPolicy(BackoffPolicy.builder().lockAfter(3).build()));
        Fixture.Enabled alice = three.enable("alice");
        for (int i = 0; i < 3; i++) {
            three.service.verifyCode("alice", three.wrongCode(alice.secret()));
            three.clock.advance(Duration.ofHours(1));
        }

        assertThat(three.service.verifyCode("alice", three.code(alice.secret()))).isInstanceOf(Outcome.Locked.class);
    }

    @Test
    void backoffIsSharedByEveryKindOfCheck() {
        Fixture.Enabled alice = f.enable("alice");
        f.service.redeemRecoveryCode("alice", "AAAA-AAAA");
        assertThat(reason(f.service.disable("alice", "nope".toCharArray()))).isEqualTo(Reason.WRONG_PASSWORD_DISABLE);

        assertThat(f.backoff("alice").failures()).isEqualTo(2);
        assertThat(f.service.verifyCode("alice", f.code(alice.secret()))).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)))
                .isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.store.countUnused("alice")).isEqualTo(8);
        int checks = f.passwordChecks.get();
        assertThat(f.service.disable("alice", Fixture.password())).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.passwordChecks).hasValue(checks);
        assertThat(f.service.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void confirmationFailuresStartABackoffToo() {
        Enrolment enrolment = Fixture.success(f.service.startEnrolment("alice", "alice@example.com"));
        f.service.confirmEnrolment("alice", f.wrongCode(enrolment.secret()));
        f.service.confirmEnrolment("alice", f.wrongCode(enrolment.secret()));

        assertThat(f.service.confirmEnrolment("alice", f.code(enrolment.secret())))
                .isInstanceOf(Outcome.RateLimited.class);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(f.service.confirmEnrolment("alice", f.code(enrolment.secret())).succeeded()).isTrue();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    @Test
    void failureEventsNameTheCheckAndTheBackoff() {
        Fixture.Enabled alice = f.enable("alice");
        f.events.clear();
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));

        assertThat(f.events.types()).containsExactly(TwoFactorEventType.VERIFICATION_FAILED,
                TwoFactorEventType.VERIFICATION_FAILED, TwoFactorEventType.BACKOFF_STARTED);
        assertThat(f.events.last(TwoFactorEventType.VERIFICATION_FAILED).details())
                .containsEntry("check", "TOTP").containsEntry("reason", "WRONG_CODE").containsEntry("failures", "2");
        assertThat(f.events.last(TwoFactorEventType.BACKOFF_STARTED).details())
                .containsEntry("retryAfterSeconds", "1");
    }

    @Test
    void verifyCodeWhenAnotherNodeLocksTheUserBetweenTheReadAndTheResetThenTheLockStands() {
        Fixture.Enabled alice = f.enable("alice");
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        AtomicBoolean armed = new AtomicBoolean();
        f.service = f.builder().backoffStore(lockLandsBeforeNextWrite(f.store, armed)).build();
        armed.set(true);

        // This request read one tolerated failure; the failure that locks the user lands before it writes.
        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();

        assertThat(armed).isFalse();
        assertThat(f.backoff("alice").locked()).isTrue();
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(f.service.verifyCode("alice", f.code(alice.secret()))).isInstanceOf(Outcome.Locked.class);
    }

    @Test
    void verifyCodeWhenAnotherFailureLandsBetweenTheReadAndTheResetThenTheBackoffStillReturnsToItsStart() {
        Fixture.Enabled alice = f.enable("alice");
        f.service.verifyCode("alice", f.wrongCode(alice.secret()));
        AtomicBoolean armed = new AtomicBoolean();
        f.service = f.builder().backoffStore(failureLandsBeforeNextWrite(f.store, armed)).build();
        armed.set(true);

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();

        assertThat(armed).isFalse();
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }

    /** The backoff store of a node that another node races: on the first write after arming, a lock lands first. */
    private static BackoffStore lockLandsBeforeNextWrite(InMemoryTwoFactorStore store, AtomicBoolean armed) {
        return racedBackoffStore(store, armed,
                seen -> new BackoffState(seen.failures() + 1, seen.blockedUntil(), true));
    }

    /** As {@link #lockLandsBeforeNextWrite}, but what lands first is an ordinary failure. */
    private static BackoffStore failureLandsBeforeNextWrite(InMemoryTwoFactorStore store, AtomicBoolean armed) {
        return racedBackoffStore(store, armed,
                seen -> new BackoffState(seen.failures() + 1, seen.blockedUntil(), false));
    }

    private static BackoffStore racedBackoffStore(InMemoryTwoFactorStore store, AtomicBoolean armed,
                                                  UnaryOperator<BackoffState> other) {
        return new BackoffStore() {
            @Override
            public BackoffState findBackoff(String userId, BackoffScope scope) {
                return store.findBackoff(userId, scope);
            }

            @Override
            public boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected,
                                         BackoffState next) {
                land(userId, scope);
                return store.compareAndSet(userId, scope, expected, next);
            }

            @Override
            public void resetBackoff(String userId, BackoffScope scope) {
                land(userId, scope);
                store.resetBackoff(userId, scope);
            }

            private void land(String userId, BackoffScope scope) {
                if (armed.getAndSet(false)) {
                    BackoffState seen = store.findBackoff(userId, scope);
                    assertThat(store.compareAndSet(userId, scope, seen, other.apply(seen))).isTrue();
                }
            }
        };
    }
}
