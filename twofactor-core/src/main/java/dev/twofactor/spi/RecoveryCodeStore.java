package dev.twofactor.spi;

import java.time.Instant;
import java.util.List;

/**
 * Stores each user's set of recovery codes, as hashes.
 *
 * <p><b>Atomicity duties.</b>
 * <ul>
 *   <li>Single use: {@link #markUsed} marks a code used only if it is unused; of N concurrent calls for one code, on
 *       any number of nodes, exactly one returns {@code true} (JDBC: {@code UPDATE ... WHERE id = ? AND used_at IS
 *       NULL}).</li>
 *   <li>Atomic regenerate: {@link #replaceAll} removes the old set and stores the new one as one unit (one
 *       transaction): no reader ever sees both sets, or none, and a failure leaves the old set intact.</li>
 *   <li>{@link #consumeAndReplace} marks one code used and, in the same unit, replaces the whole set (the "emergency
 *       recovery key" that rotates on use).</li>
 * </ul>
 * Implementations are thread-safe; they throw {@link StorageException} when the store fails, and a failed call
 * changes nothing.
 */
public interface RecoveryCodeStore {

    /**
     * Atomically replaces the user's whole set of recovery codes with {@code codes}.
     *
     * @param userId the user
     * @param codes the new set; ids unique
     */
    void replaceAll(String userId, List<StoredRecoveryCode> codes);

    /**
     * @param userId the user
     * @return the user's unused codes, in the order they were stored; empty if none
     */
    List<StoredRecoveryCode> findUnused(String userId);

    /**
     * Consumes one code: marks it used at {@code usedAt} if and only if it exists and is unused.
     *
     * @param userId the user
     * @param codeId the id of the recovery code
     * @param usedAt when it was used
     * @return whether this call consumed it
     */
    boolean markUsed(String userId, String codeId, Instant usedAt);

    /**
     * Consumes code {@code codeId} (as {@link #markUsed}) and, only if that succeeded, replaces the whole set with
     * {@code replacement}, as one unit.
     *
     * @param userId the user
     * @param codeId the id of the recovery code
     * @param usedAt when it was used
     * @param replacement the new set; ids unique
     * @return whether this call consumed the code (and so replaced the set)
     */
    boolean consumeAndReplace(String userId, String codeId, Instant usedAt, List<StoredRecoveryCode> replacement);

    /**
     * @param userId the user
     * @return how many of the user's codes are unused
     */
    int countUnused(String userId);

    /**
     * Removes all the user's codes, used or not.
     *
     * @param userId the user
     */
    void deleteAll(String userId);
}
