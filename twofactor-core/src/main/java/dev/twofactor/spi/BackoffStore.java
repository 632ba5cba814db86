package dev.twofactor.spi;

/**
 * Stores each user's {@link BackoffState}, one per {@link BackoffScope}, shared by every check of that scope and every
 * application node.
 *
 * <p><b>Atomicity duty — failure counting.</b> {@link #compareAndSet} replaces the state only if it still equals the
 * expected one (all three fields; a missing record equals {@link BackoffState#NONE}), as one indivisible step
 * (JDBC: a single conditional {@code UPDATE}, or an {@code INSERT} that fails on the key when the expected state is
 * {@code NONE} and another node created the record first). The service reads the state, refuses a check during a
 * backoff without looking at the input, checks, and reports a wrong input only if its compare-and-set of the
 * incremented state succeeds; on a conflict it re-reads, answers rate-limited (or locked) if the new state is closed,
 * and otherwise counts on top of it. So N parallel failures are all counted while the gate is open, and no more than
 * {@code toleratedFailures + 1} of a burst are answered as wrong (SPEC §7). Accepting a right input is conditional on
 * the same state: see {@link TwoFactorStore}.
 *
 * <p><b>Scopes.</b> The state of one scope never changes through a call for the other.
 *
 * <p>Implementations are thread-safe; they throw {@link StorageException} when the store fails.
 */
public interface BackoffStore {

    /**
     * @param userId the user
     * @param scope which counter
     * @return the user's state in that scope, or {@link BackoffState#NONE} if the store has none
     */
    BackoffState findBackoff(String userId, BackoffScope scope);

    /**
     * Replaces the user's state in {@code scope} with {@code next} if and only if it currently equals
     * {@code expected}.
     *
     * @param userId the user
     * @param scope which counter
     * @param expected the state the caller read
     * @param next the state to store
     * @return whether this call replaced it
     */
    boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected, BackoffState next);

    /**
     * Unconditionally returns the user's state in {@code scope} to {@link BackoffState#NONE} (an administrator's
     * reset). A correct code resets with {@link #compareAndSet} instead, so that a lock counted concurrently by
     * another request stands.
     *
     * @param userId the user
     * @param scope which counter
     */
    void resetBackoff(String userId, BackoffScope scope);

    /**
     * @param userId the user
     * @return {@link #findBackoff(String, BackoffScope)} in {@link BackoffScope#SECOND_FACTOR}
     */
    default BackoffState findBackoff(String userId) {
        return findBackoff(userId, BackoffScope.SECOND_FACTOR);
    }

    /**
     * @param userId the user
     * @param expected the state the caller read
     * @param next the state to store
     * @return {@link #compareAndSet(String, BackoffScope, BackoffState, BackoffState)} in
     *         {@link BackoffScope#SECOND_FACTOR}
     */
    default boolean compareAndSet(String userId, BackoffState expected, BackoffState next) {
        return compareAndSet(userId, BackoffScope.SECOND_FACTOR, expected, next);
    }

    /**
     * {@link #resetBackoff(String, BackoffScope)} in {@link BackoffScope#SECOND_FACTOR}.
     *
     * @param userId the user
     */
    default void resetBackoff(String userId) {
        resetBackoff(userId, BackoffScope.SECOND_FACTOR);
    }
}
