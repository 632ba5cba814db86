package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SDK gap: trusted devices ("remember this device") need a {@link TrustedDeviceStore}, and the JDBC store of this
 * build does not implement it yet (its implementation is under way). Until it does, the demo keeps remembered devices
 * in memory: they are forgotten when the demo restarts, so a remembered browser is asked for the code again then.
 * As the store interface asks of a store that keeps devices apart, a verification reads the second factor's state
 * (enabled, backoff) from the demo's store, where it lives. Once the JDBC store implements the interface, {@link #of}
 * returns it and the devices live in the database with the rest; delete this class then.
 */
public final class TrustedDeviceStoreGap implements TrustedDeviceStore {

    private final InMemoryTwoFactorStore devices = new InMemoryTwoFactorStore();
    private final TwoFactorStore store;

    private TrustedDeviceStoreGap(TwoFactorStore store) {
        this.store = store;
    }

    /**
     * @param store the demo's store
     * @return {@code store} if it keeps trusted devices too, otherwise devices in memory beside it
     */
    public static TrustedDeviceStore of(TwoFactorStore store) {
        return store instanceof TrustedDeviceStore own ? own : new TrustedDeviceStoreGap(store);
    }

    @Override
    public void insertTrustedDevice(TrustedDeviceRecord record) {
        devices.insertTrustedDevice(record);
    }

    @Override
    public Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId) {
        return devices.findTrustedDeviceForCheck(userId, deviceId).map(check -> new TrustedDeviceCheck(
                check.device(), store.findCredential(userId).map(Credential::enabled).orElse(false),
                store.findBackoff(userId)));
    }

    @Override
    public List<TrustedDeviceRecord> findTrustedDevices(String userId) {
        return devices.findTrustedDevices(userId);
    }

    @Override
    public boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt) {
        return devices.recordTrustedDeviceUse(userId, deviceId, usedAt);
    }

    @Override
    public boolean deleteTrustedDevice(String userId, String deviceId) {
        return devices.deleteTrustedDevice(userId, deviceId);
    }

    @Override
    public int deleteAllTrustedDevices(String userId) {
        return devices.deleteAllTrustedDevices(userId);
    }
}
