package dev.twofactor.spi;

/**
 * Stores each user's {@link BackoffState}, shared by every second-factor check and every application node.
 *
 * <p><b>Atomicity duty — failure counting.</b> {@link #compareAndSet} replaces the state only if it still equals the
 * expected one (all three fields; a missing record equals {@link BackoffState#NONE}), as one indivisible step
 * (JDBC: a single conditional {@code UPDATE}, or an {@code INSERT} that fails on the key when the expected state is
 * {@code NONE} and another node created the record first). The service reads the state, refuses a check during a
 * backoff without looking at the input, checks, and on a failure compare-and-sets the incremented state, re-reading
 * and retrying on conflict; so N parallel failures count exactly N.
 *
 * <p>Implementations are thread-safe; they throw {@link StorageException} when the store fails.
 */
public interface BackoffStore {

    /**
     * @param userId the user
     * @return the user's state, or {@link BackoffState#NONE} if the store has none
     */
    BackoffState findBackoff(String userId);

    /**
     * Replaces the user's state with {@code next} if and only if it currently equals {@code expected}.
     *
     * @param userId the user
     * @param expected the state the caller read
     * @param next the state to store
     * @return whether this call replaced it
     */
    boolean compareAndSet(String userId, BackoffState expected, BackoffState next);

    /**
     * Unconditionally returns the user to {@link BackoffState#NONE} (an administrator's reset). A correct code resets
     * with {@link #compareAndSet} instead, so that a lock counted concurrently by another request stands.
     *
     * @param userId the user
     */
    void resetBackoff(String userId);
}
