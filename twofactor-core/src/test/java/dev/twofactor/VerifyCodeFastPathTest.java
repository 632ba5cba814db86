package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the allocation-free sign-in path computes without the objects it used to build: the refusal and the time step
 * from a millisecond count instead of an instant, the event of an accepted code, the per-scope backoff maps of the
 * in-memory store, and its step advance as a compare-and-set of the whole credential.
 */
class VerifyCodeFastPathTest {

    @Test
    void refusalAtMillisAgreesWithRefusalAtTheInstantAtEveryEdge() {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-5_000_000L, 5_000_000L);
            Instant now = Instant.ofEpochMilli(millis);
            // Blocked until near now: the same millisecond, one nanosecond either side, or a few seconds away.
            long offsetNanos = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> -1;
                case 3 -> random.nextLong(-1_000_000L, 1_000_000L);
                default -> random.nextLong(-5_000_000_000L, 5_000_000_000L);
            };
            Instant until = now.plusNanos(offsetNanos);
            BackoffState state = new BackoffState(random.nextInt(4), until, random.nextInt(8) == 0);

            Outcome<Object> atInstant = BackoffGate.refusal(state, now);
            Outcome<Object> atMillis = BackoffGate.refusal(state, millis);

            assertThat(atMillis).as("now %s, blocked until %s", now, until).isEqualTo(atInstant);
        }
        Instant now = Instant.ofEpochMilli(1_000);
        assertThat(BackoffGate.<Object>refusal(new BackoffState(1, now, false), 1_000L)).isNull();
        assertThat(BackoffGate.<Object>refusal(new BackoffState(1, now.plusNanos(1), false), 1_000L))
                .isEqualTo(new Outcome.RateLimited<>(Duration.ofSeconds(1)));
        assertThat(BackoffGate.<Object>refusal(new BackoffState(9, Instant.EPOCH, true), 1_000L))
                .isInstanceOf(Outcome.Locked.class);
    }

    @Test
    void timeStepOfMillisAgreesWithTheEngineForEveryPeriod() {
        SplittableRandom random = new SplittableRandom(30);
        for (long period : new long[] {1, 7, 30, 60, 3_600}) {
            Fixture f = new Fixture();
            Totp totp = Totp.builder().period(Duration.ofSeconds(period)).build();
            Context context = new Context(f.builder().totp(totp));
            for (int i = 0; i < 20_000; i++) {
                long millis = i < 10 ? (i - 5) * 500L : random.nextLong(-10_000_000_000L, 10_000_000_000_000L);
                assertThat(context.timeStep(millis)).as("period %d, %d ms", period, millis)
                        .isEqualTo(totp.timeStep(Instant.ofEpochMilli(millis)));
            }
        }
    }

    @Test
    void acceptedCodeEmitsTheVerifiedEventWithEveryFieldAtTheWholeMillisecond() {
        Fixture f = new Fixture();
        Fixture.Enabled alice = f.enable("alice");
        f.clock.advance(Duration.ofNanos(1_234_567)); // a clock finer than a millisecond
        f.events.clear();

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();

        assertThat(f.events.events).containsExactly(new TwoFactorEvent(TwoFactorEventType.VERIFIED, "alice", null,
                Instant.ofEpochMilli(f.clock.millis()), Map.of("check", "TOTP", "drift", "0")));
    }

    @Test
    void codeCheckedDuringABackoffOfSubMillisecondEndIsRefusedUntilItsEnd() {
        Fixture f = new Fixture();
        Fixture.Enabled alice = f.enable("alice");
        Instant now = Instant.ofEpochMilli(f.clock.millis());
        // Ends half a millisecond after now: a comparison of whole milliseconds would let this check through.
        assertThat(f.store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE,
                new BackoffState(3, now.plusNanos(500_000), false))).isTrue();

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())))
                .isEqualTo(new Outcome.RateLimited<>(Duration.ofSeconds(1)));
        assertThat(f.events.count(TwoFactorEventType.VERIFIED)).isZero();
    }

    @Test
    void backoffScopesOfTheInMemoryStoreAreIndependent() {
        InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
        BackoffState one = new BackoffState(1, Instant.ofEpochSecond(5), false);
        BackoffState two = new BackoffState(2, Instant.ofEpochSecond(9), true);

        assertThat(store.compareAndSet("alice", BackoffScope.APP_PASSWORD, BackoffState.NONE, one)).isTrue();
        assertThat(store.findBackoff("alice", BackoffScope.SECOND_FACTOR)).isEqualTo(BackoffState.NONE);
        assertThat(store.findCredentialWithBackoff("alice").backoff()).isEqualTo(BackoffState.NONE);
        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, one, two)).isFalse();
        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE, two)).isTrue();
        assertThat(store.findBackoff("bob", BackoffScope.SECOND_FACTOR)).isEqualTo(BackoffState.NONE);

        store.resetBackoff("alice", BackoffScope.SECOND_FACTOR);

        assertThat(store.findBackoff("alice", BackoffScope.SECOND_FACTOR)).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff("alice", BackoffScope.APP_PASSWORD)).isEqualTo(one);
        assertThatNullPointerException().isThrownBy(() -> store.findBackoff(null, BackoffScope.APP_PASSWORD));
        assertThatNullPointerException().isThrownBy(() -> store.findBackoff("alice", null));
        assertThatNullPointerException().isThrownBy(() -> store.compareAndSet("alice", null, one, two));
        assertThatNullPointerException().isThrownBy(() -> store.compareAndSet(null, BackoffScope.APP_PASSWORD,
                one, two));
        assertThatNullPointerException().isThrownBy(() -> store.resetBackoff("alice", null));
    }

    @Test
    void stepAdvanceLosesNoConcurrentChangeOfTheCredentialAndEndsAtTheHighestStep() throws Exception {
        InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
        EncryptedSecret secret = SecretCipher.plaintext().seal("alice", new byte[20]);
        Instant at = Instant.ofEpochSecond(100);
        store.savePending("alice", new PendingEnrolment("p0", secret, at, at.plusSeconds(600),
                PendingEnrolment.UNCONFIRMED));
        assertThat(store.activatePending("alice", "p0", 0, at)).isTrue();
        int steps = 4_000;
        int pendings = 500;
        AtomicInteger advanced = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int first = t + 1;
                work.add(pool.submit(() -> {
                    start.await();
                    for (long step = first; step <= steps; step += 3) {
                        long last = store.findCredential("alice").orElseThrow().lastUsedStep();
                        boolean done = step % 2 == 0 ? store.advanceLastUsedStep("alice", step)
                                : store.advanceLastUsedStep("alice", step, BackoffState.NONE);
                        if (done) {
                            advanced.incrementAndGet();
                        } else {
                            // Refused only because the stored step already reached it.
                            assertThat(store.findCredential("alice").orElseThrow().lastUsedStep())
                                    .isGreaterThanOrEqualTo(Math.max(step, last));
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 1; i <= pendings; i++) {
                    store.savePending("alice", new PendingEnrolment("p" + i, secret, at, at.plusSeconds(600),
                            PendingEnrolment.UNCONFIRMED));
                }
                return null;
            }));
            start.countDown();
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Credential credential = store.findCredential("alice").orElseThrow();
        assertThat(credential.lastUsedStep()).isEqualTo(steps);
        assertThat(credential.pending().id()).isEqualTo("p" + pendings); // no advance put back an older value
        assertThat(credential.secret()).isEqualTo(secret);
        assertThat(credential.enabledAt()).isEqualTo(at);
        assertThat(advanced.get()).isBetween(1, steps);
        assertThat(store.advanceLastUsedStep("alice", steps)).isFalse();
        assertThat(store.advanceLastUsedStep("nobody", 1)).isFalse();
        assertThat(store.advanceLastUsedStep("nobody", 1, BackoffState.NONE)).isFalse();
    }
}
