package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static dev.twofactor.spi.contract.Fixtures.recoveryCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TwoFactorStore#removeSecondFactor}: the credential, every recovery code and every app password of the user
 * go in one step, nothing of another user and no backoff state; what a re-enrolment finds is empty; and racing
 * accepts see either everything or nothing. (The all-or-nothing behaviour under a failing connection is proved by
 * the JDBC module's fault scenarios, which inject faults at each statement and commit.)
 */
public abstract class SecondFactorRemovalContract {

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

    private void enableWithCodesAndAppPasswords(String userId) {
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);
        assertThat(store.activatePending(userId, pending.id(), 42, T0)).isTrue();
        store.replaceAll(userId, recoveryCodes(10));
        store.insertAppPassword(appPassword(userId, "mail"));
        store.insertAppPassword(appPassword(userId, "calendar"));
    }

    private static AppPasswordRecord appPassword(String userId, String name) {
        return new AppPasswordRecord(newId(), userId, name, Set.of(), "pbkdf2-sha256$1000$c2FsdA$" + newId(), T0,
                null, newId().substring(0, 3));
    }

    private void assertNothingLeft(String userId) {
        assertThat(store.findCredential(userId)).isEmpty();
        assertThat(store.findUnused(userId)).isEmpty();
        assertThat(store.countUnused(userId)).isZero();
        assertThat(store.findAppPasswords(userId)).isEmpty();
    }

    @Test
    void removeSecondFactorWhenEnabledThenCredentialCodesAndAppPasswordsAllGone() {
        String userId = newUserId();
        enableWithCodesAndAppPasswords(userId);

        assertThat(store.removeSecondFactor(userId)).isTrue();

        assertNothingLeft(userId);
    }

    @Test
    void removeSecondFactorWhenOnlyPendingThenGone() {
        String userId = newUserId();
        store.savePending(userId, pending("k1"));

        assertThat(store.removeSecondFactor(userId)).isTrue();

        assertNothingLeft(userId);
    }

    @Test
    void removeSecondFactorWhenNothingStoredThenFalseAndNoError() {
        String userId = newUserId();

        assertThat(store.removeSecondFactor(userId)).isFalse();
        assertThat(store.removeSecondFactor(userId)).isFalse();

        assertNothingLeft(userId);
    }

    @Test
    void removeSecondFactorWhenCredentialGoneButLeftoversRemainThenLeftoversGoToo() {
        String userId = newUserId();
        enableWithCodesAndAppPasswords(userId);
        store.deleteCredential(userId); // what a non-atomic removal interrupted after its first call left behind

        assertThat(store.removeSecondFactor(userId)).isFalse();

        assertNothingLeft(userId);
    }

    @Test
    void removeSecondFactorKeepsOtherUsersAndTheBackoffState() {
        String alice = newUserId();
        String bob = newUserId();
        enableWithCodesAndAppPasswords(alice);
        enableWithCodesAndAppPasswords(bob);
        BackoffState backoff = new BackoffState(3, T0, false);
        assertThat(store.compareAndSet(alice, BackoffState.NONE, backoff)).isTrue();

        store.removeSecondFactor(alice);

        assertNothingLeft(alice);
        assertThat(store.findBackoff(alice)).isEqualTo(backoff);
        assertThat(store.findCredential(bob)).isPresent();
        assertThat(store.countUnused(bob)).isEqualTo(10);
        assertThat(store.findAppPasswords(bob)).hasSize(2);
    }

    @Test
    void removeSecondFactorThenReEnrolmentFindsNoOldCodesOrAppPasswords() {
        String userId = newUserId();
        enableWithCodesAndAppPasswords(userId);
        store.removeSecondFactor(userId);

        PendingEnrolment again = pending("k2");
        store.savePending(userId, again);
        assertThat(store.activatePending(userId, again.id(), 99, T0.plusSeconds(60))).isTrue();

        assertThat(store.countUnused(userId)).isZero();
        assertThat(store.findAppPasswords(userId)).isEmpty();
    }

    @Test
    void removeSecondFactorWhenRacingGatedAcceptsThenNothingIsAcceptedAfterwards() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            enableWithCodesAndAppPasswords(userId);
            List<StoredRecoveryCode> codes = store.findUnused(userId);
            List<AppPasswordRecord> appPasswords = store.findAppPasswords(userId);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            tasks.add(() -> store.removeSecondFactor(userId));
            for (int i = 1; i < concurrency(); i++) {
                int n = i;
                tasks.add(n % 2 == 0
                        ? () -> store.markUsed(userId, codes.get(n % codes.size()).id(), T0, BackoffState.NONE)
                        : () -> store.recordUse(userId, appPasswords.get(n % appPasswords.size()).id(), T0,
                                BackoffState.NONE));
            }

            List<Boolean> results = Race.run(tasks);

            assertThat(results.get(0)).as("the removal found the credential").isTrue();
            assertNothingLeft(userId);
            for (StoredRecoveryCode code : codes) {
                assertThat(store.markUsed(userId, code.id(), T0, BackoffState.NONE)).isFalse();
            }
            for (AppPasswordRecord record : appPasswords) {
                assertThat(store.recordUse(userId, record.id(), T0, BackoffState.NONE)).isFalse();
            }
        }
    }
}
