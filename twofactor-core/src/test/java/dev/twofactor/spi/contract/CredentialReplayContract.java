package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replay protection of {@link CredentialStore}: the last used step only ever advances, by a compare-and-set
 * that exactly one of racing calls wins; activation, confirmation and saving a pending enrolment under the same
 * races.
 * Run by {@link CredentialStoreContract} (and so by {@link TwoFactorStoreContract}) as nested tests on the
 * store of each test: the enclosing contract creates it, so this one asks for it in its own {@code @BeforeEach}.
 */
abstract class CredentialReplayContract {

    private CredentialStore store;

    /**
     * @return the store under test, with no data; called before each test
     */
    protected abstract CredentialStore createCredentialStore();

    /**
     * @return how many threads the race tests release together
     */
    protected abstract int concurrency();

    @BeforeEach
    void createStoreUnderTest() {
        store = createCredentialStore();
    }

    /** Makes {@code userId} enabled with a fresh secret and {@code step} as the last used step. */
    private EncryptedSecret enable(String userId, long step) {
        return Fixtures.enable(store, userId, step, "k1");
    }
    // ------------------------------------------------------------------ replay protection

    @Test
    void advanceLastUsedStepWhenStepGreaterThenTrueAndStored() {
        String userId = newUserId();
        enable(userId, 100);

        assertThat(store.advanceLastUsedStep(userId, 101)).isTrue();
        assertThat(store.findCredential(userId).orElseThrow().lastUsedStep()).isEqualTo(101);
        assertThat(store.advanceLastUsedStep(userId, 5_000_000_000L)).isTrue();
        assertThat(store.findCredential(userId).orElseThrow().lastUsedStep()).isEqualTo(5_000_000_000L);
    }

    @Test
    void advanceLastUsedStepWhenStepNotGreaterThenFalseAndUnchanged() {
        String userId = newUserId();
        EncryptedSecret active = enable(userId, 100);

        assertThat(store.advanceLastUsedStep(userId, 100)).isFalse();
        assertThat(store.advanceLastUsedStep(userId, 99)).isFalse();
        assertThat(store.advanceLastUsedStep(userId, 0)).isFalse();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, active, 100, T0, null));
    }

    @Test
    void advanceLastUsedStepWhenFirstCodeAfterActivationWithStepZeroThenTrue() {
        String userId = newUserId();
        enable(userId, Credential.NO_STEP);

        assertThat(store.advanceLastUsedStep(userId, 0)).isTrue();
        assertThat(store.advanceLastUsedStep(userId, 0)).isFalse();
    }

    @Test
    void advanceLastUsedStepWhenNotEnabledThenFalse() {
        String pendingOnly = newUserId();
        store.savePending(pendingOnly, pending("k1"));

        assertThat(store.advanceLastUsedStep(newUserId(), 10)).isFalse();
        assertThat(store.advanceLastUsedStep(pendingOnly, 10)).isFalse();

        assertThat(store.findCredential(pendingOnly).orElseThrow().enabled()).isFalse();
    }

    @Test
    void advanceLastUsedStepWhenRacedWithTheSameStepThenExactlyOneWins() {
        String userId = newUserId();
        enable(userId, 1000);

        for (int round = 1; round <= Race.ROUNDS; round++) {
            long step = 1000 + round;
            List<Boolean> results = Race.run(concurrency(), i -> store.advanceLastUsedStep(userId, step));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.findCredential(userId).orElseThrow().lastUsedStep()).isEqualTo(step);
        }
    }

    @Test
    void advanceLastUsedStepWhenRacedWithDifferentStepsThenTheGreatestStepIsKept() {
        String userId = newUserId();
        enable(userId, 0);

        for (int round = 0; round < Race.ROUNDS; round++) {
            long base = (long) round * concurrency();
            // Thread i submits step base + i + 1: whatever the order, a lost update would leave a smaller step.
            List<Boolean> results = Race.run(concurrency(), i -> store.advanceLastUsedStep(userId, base + i + 1));

            assertThat(results.get(concurrency() - 1)).as("the greatest step is always accepted").isTrue();
            assertThat(store.findCredential(userId).orElseThrow().lastUsedStep()).isEqualTo(base + concurrency());
        }
    }

    @Test
    void activatePendingWhenRacedThenExactlyOneWins() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            PendingEnrolment pending = pending("k1");
            store.savePending(userId, pending);

            List<Boolean> results = Race.run(concurrency(),
                    i -> store.activatePending(userId, pending.id(), 500 + i, T0.plusMillis(i)));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            int winner = results.indexOf(Boolean.TRUE);
            assertThat(store.findCredential(userId))
                    .contains(new Credential(userId, pending.secret(), 500 + winner, T0.plusMillis(winner), null));
        }
    }

    @Test
    void markPendingConfirmedWhenRacedThenExactlyOneWins() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            PendingEnrolment pending = pending("k1");
            store.savePending(userId, pending);

            List<Boolean> results = Race.run(concurrency(),
                    i -> store.markPendingConfirmed(userId, pending.id(), 10 + i));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.findCredential(userId).orElseThrow().pending().confirmedStep())
                    .isEqualTo(10 + results.indexOf(Boolean.TRUE));
        }
    }

    @Test
    void savePendingWhenRacedForAUserWithoutRecordThenOneWholePendingEnrolmentIsStored() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String userId = newUserId();
            List<PendingEnrolment> attempts = new ArrayList<>();
            for (int i = 0; i < concurrency(); i++) {
                attempts.add(pending("k" + i));
            }

            Race.run(concurrency(), i -> {
                store.savePending(userId, attempts.get(i));
                return true;
            });

            Credential credential = store.findCredential(userId).orElseThrow();
            assertThat(attempts).as("round %d", round).contains(credential.pending());
            assertThat(credential.enabled()).isFalse();
        }
    }

}
