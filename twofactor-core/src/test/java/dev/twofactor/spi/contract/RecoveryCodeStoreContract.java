package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.recoveryCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RecoveryCodeStore}: every method, single use under concurrency, and a regeneration that is
 * never seen half done. Subclass it and return a new, empty store from {@link #createRecoveryCodeStore()}; or
 * subclass {@link TwoFactorStoreContract}.
 */
public abstract class RecoveryCodeStoreContract {

    private RecoveryCodeStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract RecoveryCodeStore createRecoveryCodeStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createRecoveryCodeStore();
    }

    /**
     * @return the store under test in the current test
     */
    protected RecoveryCodeStore recoveryCodeStore() {
        return store;
    }

    private static List<String> ids(List<StoredRecoveryCode> codes) {
        return codes.stream().map(StoredRecoveryCode::id).toList();
    }

    // ------------------------------------------------------------------ plain behaviour

    @Test
    void findUnusedWhenUserUnknownThenEmpty() {
        String userId = newUserId();

        assertThat(store.findUnused(userId)).isEmpty();
        assertThat(store.countUnused(userId)).isZero();
    }

    @Test
    void replaceAllWhenNoSetThenFindUnusedReturnsTheSetInStoredOrder() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(8);

        store.replaceAll(userId, codes);

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(codes);
        assertThat(store.findUnused(userId).get(3).hash()).isEqualTo(codes.get(3).hash());
        assertThat(store.countUnused(userId)).isEqualTo(8);
    }

    @Test
    void replaceAllWhenSetExistsThenOldSetGoneAndUnusable() {
        String userId = newUserId();
        List<StoredRecoveryCode> old = recoveryCodes(8);
        store.replaceAll(userId, old);
        store.markUsed(userId, old.get(0).id(), T0);
        List<StoredRecoveryCode> fresh = recoveryCodes(8);

        store.replaceAll(userId, fresh);

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(fresh);
        assertThat(store.markUsed(userId, old.get(1).id(), T0)).isFalse();
        assertThat(store.countUnused(userId)).isEqualTo(8);
    }

    @Test
    void replaceAllWithEmptySetThenNoCodes() {
        String userId = newUserId();
        store.replaceAll(userId, recoveryCodes(8));

        store.replaceAll(userId, List.of());

        assertThat(store.findUnused(userId)).isEmpty();
        assertThat(store.countUnused(userId)).isZero();
    }

    @Test
    void replaceAllWhenNewSetHasADuplicateIdThenStorageExceptionAndOldSetKept() {
        String userId = newUserId();
        List<StoredRecoveryCode> old = recoveryCodes(8);
        store.replaceAll(userId, old);
        List<StoredRecoveryCode> broken = new ArrayList<>(recoveryCodes(7));
        broken.add(new StoredRecoveryCode(broken.get(2).id(), "another-hash"));

        assertThatThrownBy(() -> store.replaceAll(userId, broken)).isInstanceOf(StorageException.class);

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(old);
        assertThat(store.markUsed(userId, old.get(0).id(), T0)).isTrue();
    }

    @Test
    void consumeAndReplaceWhenReplacementHasADuplicateIdThenStorageExceptionAndCodeNotConsumed() {
        String userId = newUserId();
        List<StoredRecoveryCode> old = recoveryCodes(2);
        store.replaceAll(userId, old);
        StoredRecoveryCode twice = recoveryCodes(1).get(0);

        assertThatThrownBy(() -> store.consumeAndReplace(userId, old.get(0).id(), T0, List.of(twice, twice)))
                .isInstanceOf(StorageException.class);

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(old);
    }

    @Test
    void markUsedWhenUnusedThenTrueAndNoLongerListed() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(8);
        store.replaceAll(userId, codes);

        assertThat(store.markUsed(userId, codes.get(2).id(), T0)).isTrue();

        List<StoredRecoveryCode> expected = new ArrayList<>(codes);
        expected.remove(2);
        assertThat(store.findUnused(userId)).containsExactlyElementsOf(expected);
        assertThat(store.countUnused(userId)).isEqualTo(7);
    }

    @Test
    void markUsedWhenAlreadyUsedThenFalse() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(8);
        store.replaceAll(userId, codes);
        store.markUsed(userId, codes.get(0).id(), T0);

        assertThat(store.markUsed(userId, codes.get(0).id(), T0.plusSeconds(1))).isFalse();

        assertThat(store.countUnused(userId)).isEqualTo(7);
    }

    @Test
    void markUsedWhenCodeUnknownOrAnotherUsersThenFalseAndNothingChanges() {
        String alice = newUserId();
        String bob = newUserId();
        List<StoredRecoveryCode> aliceCodes = recoveryCodes(8);
        List<StoredRecoveryCode> bobCodes = recoveryCodes(8);
        store.replaceAll(alice, aliceCodes);
        store.replaceAll(bob, bobCodes);

        assertThat(store.markUsed(alice, newId(), T0)).isFalse();
        assertThat(store.markUsed(alice, bobCodes.get(0).id(), T0)).isFalse();
        assertThat(store.markUsed(newUserId(), aliceCodes.get(0).id(), T0)).isFalse();

        assertThat(store.findUnused(alice)).containsExactlyElementsOf(aliceCodes);
        assertThat(store.findUnused(bob)).containsExactlyElementsOf(bobCodes);
    }

    @Test
    void markUsedWhenEveryCodeUsedThenNoneRemain() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(8);
        store.replaceAll(userId, codes);

        for (StoredRecoveryCode code : codes) {
            assertThat(store.markUsed(userId, code.id(), T0)).isTrue();
        }

        assertThat(store.findUnused(userId)).isEmpty();
        assertThat(store.countUnused(userId)).isZero();
    }

    @Test
    void consumeAndReplaceWhenUnusedThenTrueAndReplacementIsTheWholeSet() {
        String userId = newUserId();
        List<StoredRecoveryCode> key = recoveryCodes(1);
        store.replaceAll(userId, key);
        List<StoredRecoveryCode> replacement = recoveryCodes(1);

        assertThat(store.consumeAndReplace(userId, key.get(0).id(), T0, replacement)).isTrue();

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(replacement);
        assertThat(store.markUsed(userId, key.get(0).id(), T0)).isFalse();
    }

    @Test
    void consumeAndReplaceWhenCodeUsedOrUnknownThenFalseAndSetKept() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(3);
        store.replaceAll(userId, codes);
        store.markUsed(userId, codes.get(0).id(), T0);

        assertThat(store.consumeAndReplace(userId, codes.get(0).id(), T0, recoveryCodes(3))).isFalse();
        assertThat(store.consumeAndReplace(userId, newId(), T0, recoveryCodes(3))).isFalse();
        assertThat(store.consumeAndReplace(newUserId(), codes.get(1).id(), T0, recoveryCodes(3))).isFalse();

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(codes.subList(1, 3));
    }

    @Test
    void deleteAllRemovesUsedAndUnusedCodesOfThatUserOnly() {
        String alice = newUserId();
        String bob = newUserId();
        List<StoredRecoveryCode> aliceCodes = recoveryCodes(8);
        List<StoredRecoveryCode> bobCodes = recoveryCodes(8);
        store.replaceAll(alice, aliceCodes);
        store.replaceAll(bob, bobCodes);
        store.markUsed(alice, aliceCodes.get(0).id(), T0);

        store.deleteAll(alice);
        store.deleteAll(newUserId());

        assertThat(store.findUnused(alice)).isEmpty();
        assertThat(store.countUnused(alice)).isZero();
        assertThat(store.markUsed(alice, aliceCodes.get(1).id(), T0)).isFalse();
        assertThat(store.findUnused(bob)).containsExactlyElementsOf(bobCodes);

        List<StoredRecoveryCode> fresh = recoveryCodes(8);
        store.replaceAll(alice, fresh);
        assertThat(store.findUnused(alice)).containsExactlyElementsOf(fresh);
    }

    @Test
    void hashesRoundTripExactly() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = List.of(
                new StoredRecoveryCode(newId(), "pbkdf2-sha256$600000$" + "A".repeat(22) + "$" + "z/+".repeat(60)),
                new StoredRecoveryCode(newId(), "argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
                new StoredRecoveryCode(newId(), "x"));

        store.replaceAll(userId, codes);

        assertThat(store.findUnused(userId)).containsExactlyElementsOf(codes);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void markUsedWhenRacedThenExactlyOneWins() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(Race.ROUNDS);
        store.replaceAll(userId, codes);

        for (int round = 0; round < Race.ROUNDS; round++) {
            String codeId = codes.get(round).id();
            List<Boolean> results = Race.run(concurrency(), i -> store.markUsed(userId, codeId, T0.plusMillis(i)));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.countUnused(userId)).isEqualTo(Race.ROUNDS - round - 1);
            assertThat(ids(store.findUnused(userId))).doesNotContain(codeId);
        }
    }

    @Test
    void consumeAndReplaceWhenRacedThenExactlyOneWinsAndExactlyOneReplacementSetRemains() {
        String userId = newUserId();
        List<StoredRecoveryCode> key = recoveryCodes(1);
        store.replaceAll(userId, key);

        for (int round = 0; round < Race.ROUNDS; round++) {
            String keyId = store.findUnused(userId).get(0).id();
            List<List<StoredRecoveryCode>> replacements = new ArrayList<>();
            for (int i = 0; i < concurrency(); i++) {
                replacements.add(recoveryCodes(1));
            }

            List<Boolean> results = Race.run(concurrency(),
                    i -> store.consumeAndReplace(userId, keyId, T0, replacements.get(i)));

            assertThat(Race.winners(results)).as("round %d", round).isEqualTo(1);
            assertThat(store.findUnused(userId)).containsExactlyElementsOf(replacements.get(results.indexOf(true)));
        }
    }

    @Test
    void replaceAllWhenRacedWithMarkUsedAndReadersThenReadersAlwaysSeeExactlyOneCompleteSet() {
        int rounds = 10;
        int markers = Math.max(1, concurrency() / 4);
        int readers = Math.max(1, concurrency() / 8);
        for (int round = 0; round < rounds; round++) {
            String userId = newUserId();
            List<StoredRecoveryCode> old = recoveryCodes(8);
            List<StoredRecoveryCode> fresh = recoveryCodes(8);
            store.replaceAll(userId, old);
            List<String> oldIds = ids(old);
            List<String> oldWithoutFirst = oldIds.subList(1, 8);
            String contested = oldIds.get(0);
            AtomicBoolean replaced = new AtomicBoolean();
            Queue<String> violations = new ConcurrentLinkedQueue<>();

            List<Callable<Boolean>> tasks = new ArrayList<>();
            tasks.add(() -> {
                store.replaceAll(userId, fresh);
                replaced.set(true);
                return true;
            });
            for (int i = 0; i < markers; i++) {
                tasks.add(() -> store.markUsed(userId, contested, T0));
            }
            for (int i = 0; i < readers; i++) {
                tasks.add(() -> {
                    // Read until some time after the replacement finished; bounded in any case.
                    int readsAfter = 0;
                    for (int read = 0; read < 500 && readsAfter < 3; read++) {
                        boolean after = replaced.get();
                        List<String> seen = ids(store.findUnused(userId));
                        boolean oldSet = seen.equals(oldIds) || seen.equals(oldWithoutFirst);
                        boolean newSet = seen.equals(ids(fresh));
                        if (!(newSet || (oldSet && !after))) {
                            violations.add("read " + seen.size() + " codes: " + seen
                                    + (after ? " after the replacement returned" : ""));
                        }
                        readsAfter += after ? 1 : 0;
                    }
                    return true;
                });
            }

            List<Boolean> results = Race.run(tasks);

            assertThat(violations).as("round %d", round).isEmpty();
            assertThat(results.subList(1, 1 + markers).stream().filter(Boolean::booleanValue).count())
                    .as("the contested old code is consumed at most once").isLessThanOrEqualTo(1);
            assertThat(store.findUnused(userId)).containsExactlyElementsOf(fresh);
            assertThat(store.markUsed(userId, contested, T0)).isFalse();
        }
    }

    @Test
    void replaceAllWhenRacedWithReplaceAllThenExactlyOneCompleteSetRemains() {
        String userId = newUserId();
        store.replaceAll(userId, recoveryCodes(8));
        int writers = Math.max(2, concurrency() / 4);

        for (int round = 0; round < Race.ROUNDS; round++) {
            List<List<StoredRecoveryCode>> sets = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                sets.add(recoveryCodes(8));
            }

            Race.run(writers, i -> {
                store.replaceAll(userId, sets.get(i));
                return true;
            });

            List<StoredRecoveryCode> remaining = store.findUnused(userId);
            assertThat(sets).as("round %d", round).contains(remaining);
            assertThat(store.countUnused(userId)).isEqualTo(8);
        }
    }

    @Test
    void countUnusedWhenRacedWithMarkUsedOfDistinctCodesThenEveryUseCounts() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(concurrency());
        store.replaceAll(userId, codes);

        List<Boolean> results = Race.run(concurrency(), i -> store.markUsed(userId, codes.get(i).id(), T0));

        assertThat(Race.winners(results)).isEqualTo(concurrency());
        assertThat(store.countUnused(userId)).isZero();
        assertThat(store.findUnused(userId)).isEmpty();
    }

    @Test
    void instantOfUseIsAccepted() {
        String userId = newUserId();
        List<StoredRecoveryCode> codes = recoveryCodes(2);
        store.replaceAll(userId, codes);

        assertThat(store.markUsed(userId, codes.get(0).id(), Instant.EPOCH)).isTrue();
        assertThat(store.markUsed(userId, codes.get(1).id(), Instant.parse("2999-12-31T23:59:59.999Z"))).isTrue();

        assertThat(store.countUnused(userId)).isZero();
    }
}
