package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.TrustedDeviceRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's trusted devices, called directly: a device is found, used and deleted only by its own id,
 * an unknown id changes nothing and answers {@code false}, a duplicate id is refused. (The contract kit checks the
 * same through its nested classes, which mutation testing does not run.)
 */
class InMemoryTrustedDevicesTest {

    private final InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
    private final Instant now = Fixture.START;

    private TrustedDeviceRecord device(String id, Instant createdAt) {
        return new TrustedDeviceRecord(id, "alice", "Firefox on Linux", "hash-of-" + id, createdAt, null,
                createdAt.plus(Duration.ofDays(30)));
    }

    @Test
    void aDeviceIsFoundUsedAndDeletedOnlyByItsOwnId() {
        TrustedDeviceRecord first = device("00000000-0000-4000-8000-000000000001", now);
        TrustedDeviceRecord second = device("00000000-0000-4000-8000-000000000002", now.plusSeconds(1));
        store.insertTrustedDevice(first);
        store.insertTrustedDevice(second);
        String unknown = "00000000-0000-4000-8000-000000000003";

        assertThat(store.findTrustedDeviceForCheck("alice", second.id()).orElseThrow().device()).isEqualTo(second);
        assertThat(store.findTrustedDeviceForCheck("alice", unknown)).isEmpty();
        assertThat(store.recordTrustedDeviceUse("alice", unknown, now.plusSeconds(5))).isFalse();
        assertThat(store.deleteTrustedDevice("alice", unknown)).isFalse();
        assertThat(store.findTrustedDevices("alice")).containsExactly(first, second);

        assertThat(store.recordTrustedDeviceUse("alice", second.id(), now.plusSeconds(5))).isTrue();
        assertThat(store.findTrustedDevices("alice"))
                .containsExactly(first, second.withLastUsedAt(now.plusSeconds(5)));
        assertThat(store.deleteTrustedDevice("alice", first.id())).isTrue();
        assertThat(store.deleteTrustedDevice("alice", first.id())).isFalse();
        assertThat(store.findTrustedDevices("alice")).containsExactly(second.withLastUsedAt(now.plusSeconds(5)));
    }

    @Test
    void aDuplicateIdIsRefusedAsAUniqueKeyWouldAndTheFirstDeviceKept() {
        TrustedDeviceRecord first = device("00000000-0000-4000-8000-000000000001", now);
        store.insertTrustedDevice(first);

        assertThatThrownBy(() -> store.insertTrustedDevice(device(first.id(), now.plusSeconds(1))))
                .isInstanceOf(StorageException.class);
        assertThat(store.findTrustedDevices("alice")).containsExactly(first);
    }
}
