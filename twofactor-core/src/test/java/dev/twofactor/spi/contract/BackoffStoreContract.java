package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BackoffStore}: every method, and a compare-and-set that loses no failure under
 * concurrency, including the race to create a user's first record. Subclass it and return a new, empty store from
 * {@link #createBackoffStore()}; or subclass {@link TwoFactorStoreContract}.
 */
public abstract class BackoffStoreContract {

    private BackoffStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract BackoffStore createBackoffStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createBackoffStore();
    }

    /**
     * @return the store under test in the current test
     */
    protected BackoffStore backoffStore() {
        return store;
    }

    /** The state after {@code failures} failures, each field a function of the count. */
    private static BackoffState after(int failures) {
        return new BackoffState(failures, T0.plusMillis(1000L * failures + 1), failures >= 100);
    }

    // ------------------------------------------------------------------ scopes

    @Test
    void compareAndSetInOneScopeThenTheOtherScopeStaysNone() {
        String userId = newUserId();

        assertThat(store.compareAndSet(userId, BackoffScope.APP_PASSWORD, BackoffState.NONE, after(3))).isTrue();

        assertThat(store.findBackoff(userId, BackoffScope.APP_PASSWORD)).isEqualTo(after(3));
        assertThat(store.findBackoff(userId, BackoffScope.SECOND_FACTOR)).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff(userId)).as("the one-argument read is the second factor's")
                .isEqualTo(BackoffState.NONE);
        assertThat(store.compareAndSet(userId, BackoffScope.SECOND_FACTOR, BackoffState.NONE, after(1))).isTrue();
        assertThat(store.findBackoff(userId, BackoffScope.APP_PASSWORD)).isEqualTo(after(3));
    }

    @Test
    void compareAndSetExpectingTheOtherScopesStateThenFalse() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffScope.SECOND_FACTOR, BackoffState.NONE, after(2));

        assertThat(store.compareAndSet(userId, BackoffScope.APP_PASSWORD, after(2), after(3))).isFalse();

        assertThat(store.findBackoff(userId, BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
    }

    @Test
    void resetOfOneScopeKeepsTheOther() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffScope.SECOND_FACTOR, BackoffState.NONE, after(2));
        store.compareAndSet(userId, BackoffScope.APP_PASSWORD, BackoffState.NONE, after(5));

        store.resetBackoff(userId, BackoffScope.APP_PASSWORD);

        assertThat(store.findBackoff(userId, BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff(userId, BackoffScope.SECOND_FACTOR)).isEqualTo(after(2));
        store.resetBackoff(userId);
        assertThat(store.findBackoff(userId, BackoffScope.SECOND_FACTOR)).isEqualTo(BackoffState.NONE);
    }

    @Test
    void concurrentFirstFailuresInBothScopesThenEachScopeCountsItsOwn() {
        String userId = newUserId();

        List<Boolean> results = Race.run(concurrency(), i -> {
            BackoffScope scope = i % 2 == 0 ? BackoffScope.SECOND_FACTOR : BackoffScope.APP_PASSWORD;
            return store.compareAndSet(userId, scope, BackoffState.NONE, after(1));
        });

        assertThat(Race.winners(results)).isEqualTo(2);
        assertThat(store.findBackoff(userId, BackoffScope.SECOND_FACTOR)).isEqualTo(after(1));
        assertThat(store.findBackoff(userId, BackoffScope.APP_PASSWORD)).isEqualTo(after(1));
    }

    // ------------------------------------------------------------------ plain behaviour

    @Test
    void findBackoffWhenUserUnknownThenNone() {
        assertThat(store.findBackoff(newUserId())).isEqualTo(BackoffState.NONE);
    }

    @Test
    void compareAndSetFromNoneWhenNoRecordThenTrueAndStored() {
        String userId = newUserId();
        BackoffState next = new BackoffState(1, T0, false);

        assertThat(store.compareAndSet(userId, BackoffState.NONE, next)).isTrue();

        assertThat(store.findBackoff(userId)).isEqualTo(next);
    }

    @Test
    void compareAndSetWhenExpectedMatchesThenReplaced() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffState.NONE, after(1));

        assertThat(store.compareAndSet(userId, after(1), after(2))).isTrue();
        assertThat(store.compareAndSet(userId, after(2), after(3))).isTrue();

        assertThat(store.findBackoff(userId)).isEqualTo(after(3));
    }

    @Test
    void compareAndSetWhenAnyExpectedFieldDiffersThenFalseAndUnchanged() {
        String userId = newUserId();
        BackoffState current = new BackoffState(5, T0, false);
        store.compareAndSet(userId, BackoffState.NONE, current);
        BackoffState next = new BackoffState(6, T0.plusSeconds(16), false);

        assertThat(store.compareAndSet(userId, new BackoffState(4, T0, false), next)).as("failures").isFalse();
        assertThat(store.compareAndSet(userId, new BackoffState(5, T0.plusMillis(1), false), next))
                .as("blockedUntil").isFalse();
        assertThat(store.compareAndSet(userId, new BackoffState(5, T0, true), next)).as("locked").isFalse();
        assertThat(store.compareAndSet(userId, BackoffState.NONE, next)).as("none").isFalse();

        assertThat(store.findBackoff(userId)).isEqualTo(current);
    }

    @Test
    void compareAndSetWhenExpectedStateIsForAnotherUserThenFalse() {
        String alice = newUserId();
        String bob = newUserId();
        store.compareAndSet(alice, BackoffState.NONE, after(3));

        assertThat(store.compareAndSet(bob, after(3), after(4))).isFalse();

        assertThat(store.findBackoff(bob)).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff(alice)).isEqualTo(after(3));
    }

    @Test
    void compareAndSetToNoneThenNoneAndCountingStartsAgain() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffState.NONE, after(2));

        assertThat(store.compareAndSet(userId, after(2), BackoffState.NONE)).isTrue();
        assertThat(store.findBackoff(userId)).isEqualTo(BackoffState.NONE);

        assertThat(store.compareAndSet(userId, BackoffState.NONE, after(1))).isTrue();
        assertThat(store.findBackoff(userId)).isEqualTo(after(1));
    }

    @Test
    void compareAndSetFromNoneToNoneWhenNoRecordThenTrue() {
        String userId = newUserId();

        assertThat(store.compareAndSet(userId, BackoffState.NONE, BackoffState.NONE)).isTrue();

        assertThat(store.findBackoff(userId)).isEqualTo(BackoffState.NONE);
    }

    @Test
    void lockedStateAndFarInstantsRoundTrip() {
        String userId = newUserId();
        BackoffState locked = new BackoffState(100, Instant.parse("2999-12-31T23:59:59.999Z"), true);

        assertThat(store.compareAndSet(userId, BackoffState.NONE, locked)).isTrue();

        assertThat(store.findBackoff(userId)).isEqualTo(locked);
        BackoffState maxFailures = new BackoffState(Integer.MAX_VALUE, Instant.EPOCH, true);
        assertThat(store.compareAndSet(userId, locked, maxFailures)).isTrue();
        assertThat(store.findBackoff(userId)).isEqualTo(maxFailures);
    }

    @Test
    void resetBackoffReturnsToNone() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffState.NONE, new BackoffState(100, T0, true));

        store.resetBackoff(userId);

        assertThat(store.findBackoff(userId)).isEqualTo(BackoffState.NONE);
        assertThat(store.compareAndSet(userId, BackoffState.NONE, after(1))).isTrue();
    }

    @Test
    void resetBackoffWhenUserUnknownThenStillNone() {
        String userId = newUserId();

        store.resetBackoff(userId);

        assertThat(store.findBackoff(userId)).isEqualTo(BackoffState.NONE);
    }

    @Test
    void usersAreIsolated() {
        String alice = newUserId();
        String bob = newUserId();
        store.compareAndSet(alice, BackoffState.NONE, after(7));
        store.compareAndSet(bob, BackoffState.NONE, after(2));

        store.resetBackoff(bob);

        assertThat(store.findBackoff(alice)).isEqualTo(after(7));
        assertThat(store.findBackoff(bob)).isEqualTo(BackoffState.NONE);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void compareAndSetFromNoneWhenRacedWithoutARecordThenExactlyOneWins() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();

            List<Boolean> results = Race.run(concurrency(), i -> store.compareAndSet(userId, BackoffState.NONE,
                    new BackoffState(1, T0.plusMillis(i), false)));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.findBackoff(userId))
                    .isEqualTo(new BackoffState(1, T0.plusMillis(results.indexOf(true)), false));
        }
    }

    @Test
    void compareAndSetWhenRacedFromTheSameStateThenExactlyOneWins() {
        String userId = newUserId();
        store.compareAndSet(userId, BackoffState.NONE, after(4));

        for (int round = 0; round < Race.ROUNDS; round++) {
            BackoffState expected = store.findBackoff(userId);
            int failures = expected.failures() + 1;
            List<Boolean> results = Race.run(concurrency(), i -> store.compareAndSet(userId, expected,
                    new BackoffState(failures, T0.plusMillis(i), false)));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.findBackoff(userId))
                    .isEqualTo(new BackoffState(failures, T0.plusMillis(results.indexOf(true)), false));
        }
    }

    @Test
    void compareAndSetFromNoneWhenRacedWithResetsThenNeverFailsAndEndsInAStateSomeoneWrote() {
        // A correct code (reset) on one node while wrong codes (first failure) arrive on others: the store must
        // neither throw (MySQL/MariaDB pick one of such racing inserts as a deadlock victim) nor invent a state.
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            store.compareAndSet(userId, BackoffState.NONE, after(1));

            List<Boolean> results = Race.run(concurrency(), i -> {
                if (i % 4 == 0) {
                    store.resetBackoff(userId);
                    return false;
                }
                return store.compareAndSet(userId, BackoffState.NONE, new BackoffState(1, T0.plusMillis(i), false));
            });

            BackoffState last = store.findBackoff(userId);
            if (!last.equals(BackoffState.NONE)) {
                assertThat(results.get((int) last.blockedUntil().minusMillis(T0.toEpochMilli()).toEpochMilli()))
                        .as("round %d: the stored state was written by a call that returned true", round).isTrue();
            }
        }
    }

    @Test
    void failuresCountedWithReadAndCompareAndSetRetryWhenRacedThenEveryFailureCounts() {
        for (int round = 0; round < Race.ROUNDS / 2; round++) {
            countFailuresInParallel(newUserId());
        }
    }

    private void countFailuresInParallel(String userId) {
        // Each thread counts one failure the way the service does: read, increment, compare-and-set, retry.
        // The retries are bounded so that a store whose compare-and-set never succeeds fails instead of hanging.
        List<Boolean> counted = Race.run(concurrency(), i -> {
            for (int tries = 0; tries < 100 * concurrency(); tries++) {
                BackoffState seen = store.findBackoff(userId);
                if (store.compareAndSet(userId, seen, after(seen.failures() + 1))) {
                    return true;
                }
            }
            return false;
        });

        assertThat(counted).containsOnly(true);
        assertThat(store.findBackoff(userId)).isEqualTo(after(concurrency()));
    }
}
