package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the in-memory store does beyond the store contract kit (which runs against it separately). */
class InMemoryTwoFactorStoreTest {

    private final InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();

    @Test
    void replaceAllWithDuplicateIdsIsRefusedAndKeepsTheOldSet() {
        store.replaceAll("alice", List.of(new StoredRecoveryCode("a", "h1")));

        assertThatThrownBy(() -> store.replaceAll("alice",
                List.of(new StoredRecoveryCode("x", "h2"), new StoredRecoveryCode("x", "h3"))))
                .isInstanceOf(StorageException.class);

        assertThat(store.findUnused("alice")).containsExactly(new StoredRecoveryCode("a", "h1"));
    }

    @Test
    void consumeAndReplaceWithDuplicateIdsIsRefusedAndConsumesNothing() {
        store.replaceAll("alice", List.of(new StoredRecoveryCode("a", "h1")));

        assertThatThrownBy(() -> store.consumeAndReplace("alice", "a", Fixture.START,
                List.of(new StoredRecoveryCode("x", "h2"), new StoredRecoveryCode("x", "h3"))))
                .isInstanceOf(StorageException.class);

        assertThat(store.countUnused("alice")).isEqualTo(1);
    }

    @Test
    void insertingAnAppPasswordIdTwiceIsRefused() {
        AppPasswordRecord record = new AppPasswordRecord("id", "alice", "Mail", Set.of(), "h", Fixture.START, null);
        store.insertAppPassword(record);

        assertThatThrownBy(() -> store.insertAppPassword(record)).isInstanceOf(StorageException.class);
        assertThat(store.findAppPasswords("alice")).containsExactly(record);
    }
}
