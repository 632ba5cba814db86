package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TrustedDevices#purgeExpired}: the store is asked in batches of {@value TrustedDevices#PURGE_BATCH} at the
 * service clock's instant until a batch comes back short, a device store without the purge fails loudly, a service
 * without a device store purges nothing, and the one log line holds the count and the instant only. (What a store
 * removes is {@code TrustedDevicePurgeContract}'s, run on the in-memory and JDBC stores.)
 */
class TrustedDevicePurgeTest {

    /** A device store written before the purge existed (it keeps the SPI's default), holding no devices. */
    static class StoreWithoutPurge implements TrustedDeviceStore {
        @Override
        public void insertTrustedDevice(TrustedDeviceRecord record) {
        }

        @Override
        public Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId) {
            return Optional.empty();
        }

        @Override
        public List<TrustedDeviceRecord> findTrustedDevices(String userId) {
            return List.of();
        }

        @Override
        public boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt) {
            return false;
        }

        @Override
        public boolean deleteTrustedDevice(String userId, String deviceId) {
            return false;
        }

        @Override
        public int deleteAllTrustedDevices(String userId) {
            return 0;
        }

    }

    /** A device store that answers purges from a script, recording each call. */
    static final class ScriptedStore extends StoreWithoutPurge {
        final Deque<Integer> answers = new ArrayDeque<>();
        final List<String> purges = new ArrayList<>();

        @Override
        public int deleteExpiredTrustedDevices(Instant expiredAt, int limit) {
            purges.add(expiredAt + "/" + limit);
            return answers.removeFirst();
        }
    }

    @Test
    void theStoreIsAskedInBatchesAtTheClocksInstantUntilABatchRemovesFewerThanTheBatch() {
        ScriptedStore store = new ScriptedStore();
        Fixture f = new Fixture(b -> b.trustedDeviceStore(store));
        f.clock.set(Fixture.START.plusNanos(7_654_321));
        store.answers.addAll(List.of(TrustedDevices.PURGE_BATCH, TrustedDevices.PURGE_BATCH, 7));

        assertThat(f.service.trustedDevices().purgeExpired()).isEqualTo(2 * TrustedDevices.PURGE_BATCH + 7);

        // The service's instant in whole milliseconds, the same for every batch.
        String call = Fixture.START.plusMillis(7) + "/" + TrustedDevices.PURGE_BATCH;
        assertThat(store.purges).containsExactly(call, call, call);
        assertThat(TrustedDevices.PURGE_BATCH).isEqualTo(1000);
    }

    @Test
    void aFirstBatchShortOfTheBatchSizeIsTheOnlyCallAndAnEmptyStoreAnswersZero() {
        ScriptedStore store = new ScriptedStore();
        Fixture f = new Fixture(b -> b.trustedDeviceStore(store));
        store.answers.addAll(List.of(TrustedDevices.PURGE_BATCH - 1, 0));

        assertThat(f.service.trustedDevices().purgeExpired()).isEqualTo(TrustedDevices.PURGE_BATCH - 1);
        assertThat(f.service.trustedDevices().purgeExpired()).isZero();

        assertThat(store.purges).hasSize(2);
    }

    @Test
    void aDeviceStoreWithoutThePurgeFailsLoudlyNamingItsClass() {
        StoreWithoutPurge store = new StoreWithoutPurge();
        Fixture f = new Fixture(b -> b.trustedDevices(true).trustedDeviceStore(store));

        assertThatThrownBy(() -> f.service.trustedDevices().purgeExpired())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(StoreWithoutPurge.class.getName() + " does not implement "
                        + "TrustedDeviceStore.deleteExpiredTrustedDevices: expired devices are not purged");
    }

    @Test
    void withoutADeviceStoreNothingIsPurgedAndNothingThrown() {
        InMemoryTwoFactorStore delegate = new InMemoryTwoFactorStore();
        TwoFactorStore credentialsOnly = (TwoFactorStore) Proxy.newProxyInstance(TwoFactorStore.class.getClassLoader(),
                new Class<?>[] {TwoFactorStore.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TwoFactorService service = new Fixture().builder().store(credentialsOnly).build();

        assertThat(service.trustedDevices().purgeExpired()).isZero();
    }

    @Test
    void thePurgeOfTheInMemoryStoreRemovesTheExpiredDeviceAndLogsOnlyTheCountAndTheInstant() {
        Fixture f = new Fixture(b -> b.trustedDevices(true));
        Fixture.Enabled alice = f.enable("alice");
        NewTrustedDevice device = success(f.service.trustedDevices().remember("alice",
                f.service.verifyCode("alice", f.code(alice.secret())), "Mozilla/5.0 (X11; Linux x86_64)"));
        String tokenHash = f.store.findTrustedDevices("alice").get(0).tokenHash();
        f.clock.set(device.device().expiresAt());
        f.events.events.clear();

        String log = LogCapture.during(() -> assertThat(f.service.trustedDevices().purgeExpired()).isEqualTo(1));

        assertThat(f.store.findTrustedDevices("alice")).isEmpty();
        assertThat(log.strip()).isEqualTo("INFO dev.twofactor.TrustedDevices - Purged 1 expired trusted devices "
                + "(expired at or before " + device.device().expiresAt() + ")");
        assertThat(log).doesNotContain(device.token().substring(37)).doesNotContain(tokenHash)
                .doesNotContain("alice");
        assertThat(f.events.events).as("a purge emits no event").isEmpty();
        f.clock.advance(Duration.ofDays(1));
        assertThat(LogCapture.during(() -> assertThat(f.service.trustedDevices().purgeExpired()).isZero()))
                .doesNotContain("Purged");
    }
}
