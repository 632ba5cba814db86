package dev.twofactor.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores trusted ("remembered") devices: a device whose token, after a passed challenge, lets the user sign in
 * with the password alone until it expires or is revoked.
 *
 * <p>A separate interface, not part of {@link TwoFactorStore}, so that integrators' existing stores keep compiling:
 * the service builder takes it with {@code trustedDeviceStore(...)}, or finds it on the object given to
 * {@code store(...)} when that object implements this interface too ({@code InMemoryTwoFactorStore} and the JDBC
 * store do).
 *
 * <p><b>Atomicity duty — revocation is immediate everywhere.</b> Once {@link #deleteTrustedDevice} or
 * {@link #deleteAllTrustedDevices} has returned, no {@link #findTrustedDeviceForCheck} (on any node sharing the
 * store) returns the removed device: no read may be served from a cache, a replica that lags, or a snapshot taken
 * before the removal. A verification racing the removal may still see the device; one that starts after the removal
 * returned never does.
 *
 * <p><b>Atomicity duty — removal with the second factor.</b> A store that also implements {@link TwoFactorStore}
 * removes the user's trusted devices in {@link TwoFactorStore#removeSecondFactor} as part of the same indivisible
 * step (JDBC: the same transaction), so no device outlives the second factor it stood in for. The service also
 * checks, after inserting a device, that two-factor authentication is still enabled, and removes the device again if
 * it is not (an insert racing a removal).
 *
 * <p><b>One read per verification.</b> {@link #findTrustedDeviceForCheck} reads the device together with whether
 * the user's second factor is enabled and its {@link BackoffScope#SECOND_FACTOR} backoff state, in one round trip
 * (JDBC: one {@code SELECT} with joins). When the devices live in a store apart from the service's credentials and
 * backoffs ({@code Builder.trustedDeviceStore}), the service ignores what that check says of the second factor (a
 * store holding only devices cannot know it) and reads it from its own store instead. Apart from that read, the
 * service writes only
 * when a device's recorded last use is older than an hour ({@link #recordTrustedDeviceUse}).
 *
 * <p>Tokens are stored only as the SHA-256 hash of their random secret part (256 bits); the service compares the
 * hash in constant time. Implementations are thread-safe; they throw {@link StorageException} when the store fails.
 */
public interface TrustedDeviceStore {

    /**
     * Stores a new trusted device.
     *
     * @param record the device; its id is new
     * @throws StorageException if the id exists already (then nothing changed) or the store failed
     */
    void insertTrustedDevice(TrustedDeviceRecord record);

    /**
     * Reads one device of one user, with the state of the user's second factor, in one round trip (see the class
     * documentation). A device id of another user gives nothing.
     *
     * @param userId the user the device must belong to
     * @param deviceId the device's id, as taken from a token (any string; one that matches no id gives nothing)
     * @return the device and the second factor's state, or empty if the user has no device of that id (expired
     *         devices are returned; the service refuses them)
     */
    Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId);

    /**
     * @param userId the user
     * @return the user's trusted devices, expired ones included, oldest first
     */
    List<TrustedDeviceRecord> findTrustedDevices(String userId);

    /**
     * Records that the device was recognised at {@code usedAt}, if it still exists. The service calls it only when
     * the recorded last use is missing or more than an hour older, so that a verification normally costs one read.
     *
     * @param userId the user
     * @param deviceId the device's id
     * @param usedAt when it was recognised
     * @return whether it still exists
     */
    boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt);

    /**
     * Revokes (removes) one device of the user.
     *
     * @param userId the user
     * @param deviceId the device's id
     * @return whether it existed
     */
    boolean deleteTrustedDevice(String userId, String deviceId);

    /**
     * Revokes (removes) all the user's devices.
     *
     * @param userId the user
     * @return how many were removed
     */
    int deleteAllTrustedDevices(String userId);

    /**
     * Purges expired devices: removes at most {@code limit} devices, of any user, whose expiry is at or before
     * {@code expiredAt} (the devices {@link TrustedDeviceRecord#isExpired} calls expired at that instant, so a device
     * expiring exactly then goes), and no other device. Expired devices are already refused and not listed; this
     * only frees their storage. The service calls it from {@code TrustedDevices.purgeExpired()} again as long as a
     * call removes {@code limit}; concurrent calls (several nodes purging at once) are allowed, and then remove each
     * device once between them. It should find the expired devices without reading the whole store (JDBC: an index
     * on the expiry, one {@code DELETE} of at most {@code limit} rows in its own short transaction).
     *
     * <p>The default implementation throws {@link UnsupportedOperationException}, so that a store written before
     * this method existed keeps compiling and working for everything else, and a purge on it fails loudly instead of
     * pretending that it removed nothing. Implement it to support {@code purgeExpired()}.
     *
     * @param expiredAt the instant a device's expiry must be at or before to be removed
     * @param limit the most devices to remove in this call, at least 1: bounds the work (and the locks) of one call
     * @return how many were removed, from 0 to {@code limit}
     * @throws UnsupportedOperationException by default (see above)
     * @throws IllegalArgumentException if {@code limit} is less than 1 (implementations)
     */
    default int deleteExpiredTrustedDevices(Instant expiredAt, int limit) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement TrustedDeviceStore.deleteExpiredTrustedDevices: expired devices are not purged");
    }
}
