package dev.twofactor.spi;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * All the storage twofactor needs, in one object: what {@code InMemoryTwoFactorStore} and the JDBC store implement.
 * An integrator may instead give the service builder each store separately (then the gate below is only as strict as
 * a re-read of the backoff state just before each accepting call).
 *
 * <p><b>Atomicity duty — the gate (SPEC §7).</b> Each method here that takes a {@code gate} is the accepting step of
 * one kind of check, made conditional on the backoff: it does what its ungated namesake does if and only if, in the
 * same indivisible step, the user's {@link BackoffState} (of {@link BackoffScope#SECOND_FACTOR}, or of
 * {@link BackoffScope#APP_PASSWORD} for {@link #recordUse(String, String, Instant, BackoffState)}) still equals
 * {@code gate}, the state the check read before looking at the input (a missing record equals
 * {@link BackoffState#NONE}). So a right code whose gate closed while it was being checked is not accepted, and the
 * service answers it as it answers a wrong one. JDBC: the conditional {@code UPDATE} carries
 * {@code AND EXISTS (SELECT 1 FROM backoff WHERE ... = gate)} (or {@code NOT EXISTS} a non-{@code NONE} row when the
 * gate is {@code NONE}).
 *
 * <p><b>Atomicity duty — removal.</b> {@link #removeSecondFactor(String)} deletes a user's credential (active and
 * pending), all their recovery codes and all their app passwords as one indivisible step: a failure part-way (a lost
 * connection, a failing statement) leaves all three as they were, so no recovery code or app password outlives the
 * credential and wakes up when the user enrols again. JDBC: the three {@code DELETE}s in one transaction on one
 * connection, rolled back on any failure.
 *
 * <p>Implementations are thread-safe, and every duty of the five interfaces applies.
 */
public interface TwoFactorStore
        extends CredentialStore, RecoveryCodeStore, BackoffStore, AppPasswordStore, PolicyStore {

    /**
     * Reads a user's credential and second-factor backoff state for a sign-in check. The default makes two calls; a
     * store that can read both in one round trip (a SQL join) should override it, since this is the hot path of every
     * sign-in. The two parts need not be one consistent snapshot: the service relies only on the atomic duties for
     * safety.
     *
     * @param userId the user
     * @return the credential (if any) and the backoff state
     */
    default CredentialWithBackoff findCredentialWithBackoff(String userId) {
        return new CredentialWithBackoff(findCredential(userId).orElse(null), findBackoff(userId));
    }

    /**
     * Runs one check of a user's authenticator code against this store: its {@link #findCredentialWithBackoff read},
     * then, for a right code, the gated {@link #advanceLastUsedStep(String, long, BackoffState) compare-and-set} and
     * the reset of earlier failures. The default simply runs {@code check}. A store that takes a pooled resource for
     * each call may override this to take one for the whole check and serve the calls inside from it: the JDBC store
     * runs the check's statements on one connection instead of taking one per call. Whatever the override, each call
     * inside keeps every duty it has when called alone and commits as it would alone (no transaction spans the
     * check), and what was taken is released when {@code check} returns or throws; a call made inside a check that is
     * already running joins it.
     *
     * <p>The service runs nothing inside but this store's calls and its own computation (opening the secret, checking
     * the code): a wrong code's failure count, the events and the listeners come after this returns, so a listener
     * that uses the same pool never waits for a connection the check holds.
     *
     * @param check the check, run once, on the calling thread
     * @param <T> its result
     * @return what {@code check} returned
     */
    default <T> T runCheck(Supplier<T> check) {
        return check.get();
    }

    /**
     * {@link #advanceLastUsedStep(String, long)} under the gate (see the class documentation).
     *
     * @param userId the user
     * @param step the time step of the accepted code
     * @param gate the second-factor backoff state the check read
     * @return whether this call advanced it
     */
    boolean advanceLastUsedStep(String userId, long step, BackoffState gate);

    /**
     * {@link #activatePending(String, String, long, Instant)} under the gate.
     *
     * @param userId the user
     * @param pendingId the id of the pending enrolment the caller read
     * @param step the time step of the accepted code
     * @param enabledAt when the state becomes enabled
     * @param gate the second-factor backoff state the check read
     * @return whether this call activated it
     */
    boolean activatePending(String userId, String pendingId, long step, Instant enabledAt, BackoffState gate);

    /**
     * {@link #markPendingConfirmed(String, String, long)} under the gate.
     *
     * @param userId the user
     * @param pendingId the id of the pending enrolment the caller read
     * @param step the time step of the accepted code
     * @param gate the second-factor backoff state the check read
     * @return whether this call confirmed it
     */
    boolean markPendingConfirmed(String userId, String pendingId, long step, BackoffState gate);

    /**
     * {@link #markUsed(String, String, Instant)} under the gate.
     *
     * @param userId the user
     * @param codeId the id of the recovery code
     * @param usedAt when it was used
     * @param gate the second-factor backoff state the check read
     * @return whether this call consumed it
     */
    boolean markUsed(String userId, String codeId, Instant usedAt, BackoffState gate);

    /**
     * {@link #consumeAndReplace(String, String, Instant, List)} under the gate.
     *
     * @param userId the user
     * @param codeId the id of the recovery code
     * @param usedAt when it was used
     * @param replacement the new set; ids unique
     * @param gate the second-factor backoff state the check read
     * @return whether this call consumed the code (and so replaced the set)
     */
    boolean consumeAndReplace(String userId, String codeId, Instant usedAt, List<StoredRecoveryCode> replacement,
                              BackoffState gate);

    /**
     * {@link #recordUse(String, String, Instant)} under the gate of {@link BackoffScope#APP_PASSWORD}.
     *
     * @param userId the user
     * @param id the app password's id
     * @param usedAt when it was used
     * @param gate the app-password backoff state the check read
     * @return whether it still exists and the gate held (and so it may be accepted)
     */
    boolean recordUse(String userId, String id, Instant usedAt, BackoffState gate);

    /**
     * Removes the user's second factor: the credential (enabled or pending), every recovery code and every app
     * password, all or nothing (see the class documentation). Removing what is not there is not an error.
     *
     * @param userId the user
     * @return whether there was a credential to remove
     * @throws StorageException if the store failed; then nothing was removed
     */
    boolean removeSecondFactor(String userId);
}
