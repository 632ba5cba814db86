package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.StorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AppPasswordStore}: every method, and "revocation wins" under concurrency. Subclass it and
 * return a new, empty store from {@link #createAppPasswordStore()}; or subclass {@link TwoFactorStoreContract}.
 */
public abstract class AppPasswordStoreContract {

    private AppPasswordStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract AppPasswordStore createAppPasswordStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createAppPasswordStore();
    }

    /**
     * @return the store under test in the current test
     */
    protected AppPasswordStore appPasswordStore() {
        return store;
    }

    private static AppPasswordRecord record(String userId, String name, Set<String> permissions, Instant createdAt) {
        return new AppPasswordRecord(newId(), userId, name, permissions, "pbkdf2-sha256$1000$c2FsdA$" + newId(),
                createdAt, null, newId().substring(0, 3));
    }

    private static AppPasswordRecord used(AppPasswordRecord record, Instant lastUsedAt) {
        return record.withLastUsedAt(lastUsedAt);
    }

    // ------------------------------------------------------------------ plain behaviour

    @Test
    void findAppPasswordsWhenNoneThenEmpty() {
        assertThat(store.findAppPasswords(newUserId())).isEmpty();
    }

    @Test
    void insertAppPasswordThenFoundWithEveryField() {
        String userId = newUserId();
        AppPasswordRecord record = record(userId, "Thunderbird on laptop", Set.of("mail:read", "calendar:write"), T0);

        store.insertAppPassword(record);

        List<AppPasswordRecord> found = store.findAppPasswords(userId);
        assertThat(found).containsExactly(record);
        assertThat(found.get(0).hash()).isEqualTo(record.hash());
        assertThat(found.get(0).lastUsedAt()).isNull();
        assertThat(found.get(0).fullAccess()).isFalse();
    }

    @Test
    void insertAppPasswordWithoutLookupTagThenFoundWithoutOne() {
        String userId = newUserId();
        AppPasswordRecord legacy = new AppPasswordRecord(newId(), userId, "old", Set.of(), "hash", T0, null);

        store.insertAppPassword(legacy);

        assertThat(store.findAppPasswords(userId)).containsExactly(legacy);
        assertThat(store.findAppPasswords(userId).get(0).lookupTag()).isNull();
    }

    @Test
    void insertAppPasswordWhenIdExistsThenStorageExceptionAndFirstKept() {
        String userId = newUserId();
        AppPasswordRecord first = record(userId, "first", Set.of(), T0);
        store.insertAppPassword(first);
        AppPasswordRecord clash = new AppPasswordRecord(first.id(), userId, "second", Set.of("x"), "other-hash",
                T0.plusSeconds(1), null);

        assertThatThrownBy(() -> store.insertAppPassword(clash)).isInstanceOf(StorageException.class);

        assertThat(store.findAppPasswords(userId)).containsExactly(first);
    }

    @Test
    void findAppPasswordsReturnsOldestFirst() {
        String userId = newUserId();
        AppPasswordRecord middle = record(userId, "b", Set.of(), T0.plusSeconds(60));
        AppPasswordRecord newest = record(userId, "c", Set.of(), T0.plusSeconds(3600));
        AppPasswordRecord oldest = record(userId, "a", Set.of(), T0.minusMillis(1));
        store.insertAppPassword(middle);
        store.insertAppPassword(newest);
        store.insertAppPassword(oldest);

        assertThat(store.findAppPasswords(userId)).containsExactly(oldest, middle, newest);
    }

    @Test
    void permissionSetsRoundTripExactly() {
        String userId = newUserId();
        List<Set<String>> permissionSets = List.of(
                Set.of(),
                Set.of(""),
                Set.of("repo:read"),
                Set.of("a\nb", "a", "b", "back\\slash", "semi;colon", "comma,separated", " spaced ", "quote'\""),
                Set.of("\u00fcn\u00efc\u00f8d\u00e9", "\u65e5\u672c", "\uD83D\uDD11", "\\n", "\\"));
        List<AppPasswordRecord> records = new ArrayList<>();
        for (int i = 0; i < permissionSets.size(); i++) {
            AppPasswordRecord record = record(userId, "app " + i, permissionSets.get(i), T0.plusMillis(i));
            records.add(record);
            store.insertAppPassword(record);
        }

        List<AppPasswordRecord> found = store.findAppPasswords(userId);

        assertThat(found).containsExactlyElementsOf(records);
        assertThat(found.get(0).fullAccess()).isTrue();
        assertThat(found.get(1).fullAccess()).as("a set holding one empty string is not full access").isFalse();
    }

    @Test
    void unicodeNamesRoundTrip() {
        String userId = newUserId();
        AppPasswordRecord record = record(userId,
                "Th\u00fcnderbird \u2014 \u65e5\u672c\u8a9e \uD83D\uDCE7 'quoted' \"double\" ; --", Set.of(), T0);
        AppPasswordRecord longest = record(userId, "n".repeat(100), Set.of(), T0.plusMillis(1));

        store.insertAppPassword(record);
        store.insertAppPassword(longest);

        assertThat(store.findAppPasswords(userId)).containsExactly(record, longest);
    }

    @Test
    void recordUseWhenExistsThenTrueAndLastUseRecorded() {
        String userId = newUserId();
        AppPasswordRecord record = record(userId, "phone", Set.of(), T0);
        store.insertAppPassword(record);
        Instant usedAt = T0.plusSeconds(90).plusMillis(7);

        assertThat(store.recordUse(userId, record.id(), usedAt)).isTrue();

        assertThat(store.findAppPasswords(userId)).containsExactly(used(record, usedAt));
    }

    @Test
    void recordUseWhenRepeatedWithTheSameInstantThenStillTrue() {
        String userId = newUserId();
        AppPasswordRecord record = record(userId, "phone", Set.of(), T0);
        store.insertAppPassword(record);

        assertThat(store.recordUse(userId, record.id(), T0.plusSeconds(1))).isTrue();
        assertThat(store.recordUse(userId, record.id(), T0.plusSeconds(1))).isTrue();
        assertThat(store.recordUse(userId, record.id(), T0.plusSeconds(2))).isTrue();

        assertThat(store.findAppPasswords(userId)).containsExactly(used(record, T0.plusSeconds(2)));
    }

    @Test
    void recordUseWhenUnknownOrAnotherUsersThenFalseAndNothingRecorded() {
        String alice = newUserId();
        String bob = newUserId();
        AppPasswordRecord aliceRecord = record(alice, "phone", Set.of(), T0);
        store.insertAppPassword(aliceRecord);

        assertThat(store.recordUse(alice, newId(), T0)).isFalse();
        assertThat(store.recordUse(bob, aliceRecord.id(), T0)).isFalse();

        assertThat(store.findAppPasswords(alice)).containsExactly(aliceRecord);
        assertThat(store.findAppPasswords(bob)).isEmpty();
    }

    @Test
    void deleteAppPasswordWhenExistsThenTrueGoneAndUnusable() {
        String userId = newUserId();
        AppPasswordRecord kept = record(userId, "kept", Set.of(), T0);
        AppPasswordRecord revoked = record(userId, "revoked", Set.of("x"), T0.plusMillis(1));
        store.insertAppPassword(kept);
        store.insertAppPassword(revoked);

        assertThat(store.deleteAppPassword(userId, revoked.id())).isTrue();

        assertThat(store.findAppPasswords(userId)).containsExactly(kept);
        assertThat(store.recordUse(userId, revoked.id(), T0)).isFalse();
        assertThat(store.deleteAppPassword(userId, revoked.id())).isFalse();
    }

    @Test
    void deleteAppPasswordWhenAnotherUsersThenFalseAndKept() {
        String alice = newUserId();
        AppPasswordRecord record = record(alice, "phone", Set.of(), T0);
        store.insertAppPassword(record);

        assertThat(store.deleteAppPassword(newUserId(), record.id())).isFalse();
        assertThat(store.deleteAppPassword(alice, newId())).isFalse();

        assertThat(store.findAppPasswords(alice)).containsExactly(record);
    }

    @Test
    void deleteAllAppPasswordsRemovesOnlyThatUsers() {
        String alice = newUserId();
        String bob = newUserId();
        AppPasswordRecord bobRecord = record(bob, "b", Set.of(), T0);
        store.insertAppPassword(record(alice, "a1", Set.of(), T0));
        store.insertAppPassword(record(alice, "a2", Set.of(), T0.plusMillis(1)));
        store.insertAppPassword(bobRecord);

        store.deleteAllAppPasswords(alice);
        store.deleteAllAppPasswords(newUserId());

        assertThat(store.findAppPasswords(alice)).isEmpty();
        assertThat(store.findAppPasswords(bob)).containsExactly(bobRecord);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void recordUseWhenRacedWithDeleteThenNeverTrueOnceDeleteReturned() {
        int rounds = 5;
        int users = Math.max(1, concurrency() - 1);
        for (int round = 0; round < rounds; round++) {
            String userId = newUserId();
            AppPasswordRecord record = record(userId, "device", Set.of(), T0);
            store.insertAppPassword(record);
            AtomicBoolean deleted = new AtomicBoolean();
            Queue<String> violations = new ConcurrentLinkedQueue<>();

            List<Callable<Boolean>> tasks = new ArrayList<>();
            tasks.add(() -> {
                boolean existed = store.deleteAppPassword(userId, record.id());
                deleted.set(true);
                return existed;
            });
            for (int i = 0; i < users; i++) {
                int user = i;
                tasks.add(() -> {
                    for (int use = 0; use < 10; use++) {
                        boolean afterDelete = deleted.get();
                        boolean accepted = store.recordUse(userId, record.id(), T0.plusMillis(user * 10L + use));
                        if (afterDelete && accepted) {
                            violations.add("use accepted after the revocation returned");
                        }
                        if (afterDelete) {
                            return true;
                        }
                    }
                    return true;
                });
            }

            List<Boolean> results = Race.run(tasks);

            assertThat(results.get(0)).as("the delete found the app password").isTrue();
            assertThat(violations).as("round %d", round).isEmpty();
            assertThat(store.findAppPasswords(userId)).isEmpty();
            assertThat(store.recordUse(userId, record.id(), T0)).isFalse();
        }
    }
}
