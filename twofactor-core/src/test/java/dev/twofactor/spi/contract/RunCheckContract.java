package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.enable;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.TwoFactorStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TwoFactorStore#runCheck}: it runs the check once and returns its result; every call inside keeps its duties
 * and commits as it would alone (another thread sees a write before the check ends, and a replay inside the same check
 * is refused); a failure inside propagates as it is and releases what the check took (many failed checks in a row
 * leave the store working); a check inside a check joins it; and concurrent checks of one step accept it once.
 */
public abstract class RunCheckContract {

    private TwoFactorStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract TwoFactorStore createStore();

    /**
     * @return how many threads the concurrency test releases together
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void runCheckRunsTheCheckOnceAndReturnsItsResult() {
        String userId = newUserId();
        enable(store, userId, 42, "k1");
        int[] runs = new int[1];

        CredentialWithBackoff read = store.runCheck(() -> {
            runs[0]++;
            return store.findCredentialWithBackoff(userId);
        });

        assertThat(runs[0]).isEqualTo(1);
        assertThat(read.credential().lastUsedStep()).isEqualTo(42);
        assertThat(read.backoff()).isEqualTo(BackoffState.NONE);
    }

    @Test
    void runCheckWhenTheStepAdvancesInsideThenOtherThreadsSeeItBeforeTheCheckEndsAndAReplayInsideIsRefused() {
        String userId = newUserId();
        enable(store, userId, 42, "k1");

        List<Object> seen = store.runCheck(() -> {
            BackoffState gate = store.findCredentialWithBackoff(userId).backoff();
            boolean advanced = store.advanceLastUsedStep(userId, 43, gate);
            long seenElsewhere = CompletableFuture.supplyAsync(() -> store.findCredential(userId).orElseThrow()
                    .lastUsedStep()).orTimeout(30, TimeUnit.SECONDS).join();
            boolean replayed = store.advanceLastUsedStep(userId, 43, gate);
            return List.of(advanced, seenElsewhere, replayed);
        });

        assertThat(seen).as("advanced, last used step seen by another thread inside the check, replay")
                .containsExactly(true, 43L, false);
        assertThat(store.findCredential(userId).orElseThrow().lastUsedStep()).isEqualTo(43);
    }

    @Test
    void runCheckWhenTheCheckThrowsThenTheSameExceptionAndTheStoreStillWorksAfterManyOfThem() {
        String userId = newUserId();
        enable(store, userId, 42, "k1");
        IllegalStateException failure = new IllegalStateException("the check failed");

        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> store.runCheck(() -> {
                store.findCredentialWithBackoff(userId);
                throw failure;
            })).isSameAs(failure);
        }

        assertThat(store.advanceLastUsedStep(userId, 43, BackoffState.NONE)).isTrue();
        assertThat(store.runCheck(() -> store.findCredential(userId).orElseThrow().lastUsedStep())).isEqualTo(43);
    }

    @Test
    void runCheckInsideACheckJoinsIt() {
        String userId = newUserId();
        enable(store, userId, 42, "k1");

        boolean advanced = store.runCheck(() -> store.runCheck(() -> {
            BackoffState gate = store.findCredentialWithBackoff(userId).backoff();
            return store.advanceLastUsedStep(userId, 43, gate);
        }) && store.findCredential(userId).orElseThrow().lastUsedStep() == 43);

        assertThat(advanced).isTrue();
    }

    @Test
    void concurrentChecksOfTheSameStepThenExactlyOneAdvances() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            enable(store, userId, 42, "k1");

            List<Boolean> advanced = Race.run(concurrency(), i -> store.runCheck(() -> {
                CredentialWithBackoff read = store.findCredentialWithBackoff(userId);
                return read.credential().lastUsedStep() < 43 && store.advanceLastUsedStep(userId, 43, read.backoff());
            }));

            assertThat(advanced).as("round %d", round).filteredOn(Boolean::booleanValue).hasSize(1);
        }
    }

    @Test
    void runCheckWhenAFailureIsCountedInsideThenItIsCountedOnce() {
        String userId = newUserId();
        enable(store, userId, 42, "k1");
        BackoffState once = new BackoffState(1, T0, false);

        boolean counted = store.runCheck(() -> store.compareAndSet(userId, store.findCredentialWithBackoff(userId)
                .backoff(), once));

        assertThat(counted).isTrue();
        assertThat(store.findBackoff(userId)).isEqualTo(once);
    }
}
