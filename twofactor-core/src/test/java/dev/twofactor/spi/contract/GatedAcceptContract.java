package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static dev.twofactor.spi.contract.Fixtures.recoveryCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate duty of {@link TwoFactorStore}: every accepting method with a {@code gate} acts only while the user's
 * backoff state in its scope still equals the gate (a missing record and a record with the values of
 * {@link BackoffState#NONE} both equal {@code NONE}), and a change in the other scope does not move it. Under
 * concurrency the duty is checked through the service by {@link BackoffGateContract}.
 */
public abstract class GatedAcceptContract {

    private static final BackoffState ONE_FAILURE = new BackoffState(1, T0, false);

    private TwoFactorStore store;
    private String userId;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract TwoFactorStore createStore();

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
        userId = newUserId();
    }

    /** One accepting call, attempt {@code n} (each attempt has its own step, code or pending enrolment). */
    @FunctionalInterface
    private interface Accept {
        boolean run(BackoffState gate, int n);
    }

    /**
     * The whole sequence for one accepting method: open gate, gate moved by a failure, the failure's state as gate,
     * after a reset, and a failure in the other scope.
     */
    private void assertGated(BackoffScope scope, Accept accept) {
        BackoffScope other = scope == BackoffScope.SECOND_FACTOR ? BackoffScope.APP_PASSWORD
                : BackoffScope.SECOND_FACTOR;
        assertThat(accept.run(BackoffState.NONE, 0)).as("no record, gate NONE").isTrue();

        assertThat(store.compareAndSet(userId, scope, BackoffState.NONE, ONE_FAILURE)).isTrue();
        assertThat(accept.run(BackoffState.NONE, 1)).as("a failure counted since the gate was read").isFalse();
        assertThat(accept.run(ONE_FAILURE, 1)).as("gate equal to the stored failure").isTrue();

        store.resetBackoff(userId, scope);
        assertThat(accept.run(ONE_FAILURE, 2)).as("reset since the gate was read").isFalse();
        assertThat(accept.run(BackoffState.NONE, 2)).as("a reset record equals NONE").isTrue();

        assertThat(store.compareAndSet(userId, other, BackoffState.NONE, ONE_FAILURE)).isTrue();
        assertThat(accept.run(BackoffState.NONE, 3)).as("a failure in the other scope").isTrue();
    }

    private void enable() {
        PendingEnrolment first = pending("k1");
        store.savePending(userId, first);
        assertThat(store.activatePending(userId, first.id(), 10, T0)).isTrue();
    }

    @Test
    void advanceLastUsedStepActsOnlyWhileTheGateHolds() {
        enable();

        assertGated(BackoffScope.SECOND_FACTOR, (gate, n) -> {
            long before = store.findCredential(userId).orElseThrow().lastUsedStep();
            boolean advanced = store.advanceLastUsedStep(userId, 20 + n, gate);
            long after = store.findCredential(userId).orElseThrow().lastUsedStep();
            assertThat(after).as("the step moves exactly when accepted").isEqualTo(advanced ? 20 + n : before);
            return advanced;
        });
    }

    @Test
    void activatePendingActsOnlyWhileTheGateHolds() {
        assertGated(BackoffScope.SECOND_FACTOR, (gate, n) -> {
            PendingEnrolment pending = pending("k1");
            store.savePending(userId, pending);
            boolean activated = store.activatePending(userId, pending.id(), 30 + n, T0, gate);
            assertThat(store.findCredential(userId).orElseThrow().pending() == null).isEqualTo(activated);
            return activated;
        });
    }

    @Test
    void markPendingConfirmedActsOnlyWhileTheGateHolds() {
        assertGated(BackoffScope.SECOND_FACTOR, (gate, n) -> {
            PendingEnrolment pending = pending("k1");
            store.savePending(userId, pending);
            boolean confirmed = store.markPendingConfirmed(userId, pending.id(), 40 + n, gate);
            assertThat(store.findCredential(userId).orElseThrow().pending().confirmed()).isEqualTo(confirmed);
            return confirmed;
        });
    }

    @Test
    void markUsedActsOnlyWhileTheGateHolds() {
        List<StoredRecoveryCode> codes = recoveryCodes(4);
        store.replaceAll(userId, codes);

        assertGated(BackoffScope.SECOND_FACTOR, (gate, n) -> {
            int before = store.countUnused(userId);
            boolean used = store.markUsed(userId, codes.get(n).id(), T0, gate);
            assertThat(store.countUnused(userId)).isEqualTo(used ? before - 1 : before);
            return used;
        });
    }

    @Test
    void consumeAndReplaceActsOnlyWhileTheGateHolds() {
        assertGated(BackoffScope.SECOND_FACTOR, (gate, n) -> {
            List<StoredRecoveryCode> key = recoveryCodes(1);
            store.replaceAll(userId, key);
            List<StoredRecoveryCode> replacement = recoveryCodes(1);
            boolean consumed = store.consumeAndReplace(userId, key.get(0).id(), T0, replacement, gate);
            assertThat(store.findUnused(userId)).isEqualTo(consumed ? replacement : key);
            return consumed;
        });
    }

    @Test
    void recordUseActsOnlyWhileTheAppPasswordGateHolds() {
        AppPasswordRecord record = new AppPasswordRecord(Fixtures.newId(), userId, "mail", Set.of(), "hash", T0, null);
        store.insertAppPassword(record);

        assertGated(BackoffScope.APP_PASSWORD, (gate, n) -> {
            boolean used = store.recordUse(userId, record.id(), T0.plusSeconds(n + 1), gate);
            assertThat(store.findAppPasswords(userId).get(0).lastUsedAt())
                    .isEqualTo(used ? T0.plusSeconds(n + 1) : n == 0 ? null : T0.plusSeconds(n));
            return used;
        });
    }
}
