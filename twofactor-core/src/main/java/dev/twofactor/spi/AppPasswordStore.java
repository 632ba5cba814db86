package dev.twofactor.spi;

import java.time.Instant;
import java.util.List;

/**
 * Stores app passwords.
 *
 * <p><b>Atomicity duty — revocation wins.</b> {@link #recordUse} updates the last use only if the app password
 * still exists, in one step; the service accepts an app password only when {@code recordUse} returned {@code true},
 * so an app password revoked concurrently with its use is either accepted before the revocation or rejected, and
 * never accepted after it.
 *
 * <p>Implementations are thread-safe; they throw {@link StorageException} when the store fails.
 */
public interface AppPasswordStore {

    /**
     * Stores a new app password.
     *
     * @param record the app password; its id is new
     */
    void insertAppPassword(AppPasswordRecord record);

    /**
     * @param userId the owner
     * @return the user's app passwords, oldest first
     */
    List<AppPasswordRecord> findAppPasswords(String userId);

    /**
     * Revokes (removes) one app password of the user.
     *
     * @param userId the user
     * @param id the app password's id
     * @return whether it existed
     */
    boolean deleteAppPassword(String userId, String id);

    /**
     * Records that the app password was accepted at {@code usedAt}, if it still exists.
     *
     * @param userId the user
     * @param id the app password's id
     * @param usedAt when it was used
     * @return whether it still exists (and so may be accepted)
     */
    boolean recordUse(String userId, String id, Instant usedAt);

    /**
     * Removes all the user's app passwords.
     *
     * @param userId the owner
     */
    void deleteAllAppPasswords(String userId);
}
