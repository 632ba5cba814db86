package dev.twofactor.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores each user's active and pending authenticator secret ({@link Credential}).
 *
 * <p><b>Atomicity duty — replay protection.</b> {@link #advanceLastUsedStep} is a compare-and-set: of any number of
 * concurrent calls for one user and one step, on any number of nodes, at most one returns {@code true}, and never
 * for a step that is not strictly greater than the stored one (JDBC: a single
 * {@code UPDATE ... SET last_used_step = ? WHERE user_id = ? AND last_used_step < ?}). The activation of a pending
 * secret ({@link #activatePending}) and every other conditional method is likewise one indivisible step.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StorageException} when the store fails; a failed call
 * changes nothing.
 */
public interface CredentialStore {

    /**
     * @param userId the user
     * @return the user's credential, or empty if they have neither an active nor a pending secret
     */
    Optional<Credential> findCredential(String userId);

    /**
     * Stores a pending enrolment, replacing any earlier pending one, and leaves the active secret untouched.
     * Creates the user's record if there is none.
     *
     * @param userId the user
     * @param pending the new pending enrolment
     */
    void savePending(String userId, PendingEnrolment pending);

    /**
     * Removes the pending enrolment if it is still the one with {@code pendingId}.
     *
     * @param userId the user
     * @param pendingId the id of the pending enrolment the caller read
     * @return whether it was removed
     */
    boolean deletePending(String userId, String pendingId);

    /**
     * Records that a code of time step {@code step} confirmed the pending enrolment {@code pendingId}, which now waits
     * for the user to acknowledge their recovery codes. Conditional: only if that pending enrolment is still there
     * and not yet confirmed.
     *
     * @param userId the user
     * @param pendingId the id of the pending enrolment the caller read
     * @param step the time step of the accepted code
     * @return whether this call confirmed it
     */
    boolean markPendingConfirmed(String userId, String pendingId, long step);

    /**
     * Atomically makes the pending enrolment {@code pendingId} the active secret: the active secret becomes the
     * pending secret, {@code lastUsedStep} becomes {@code step} (the confirming code counts as used), {@code enabledAt}
     * becomes {@code enabledAt}, and the pending enrolment is removed. Conditional: only if the pending enrolment with
     * that id is still there. Concurrent calls for the same id: exactly one returns {@code true}.
     *
     * @param userId the user
     * @param pendingId the id of the pending enrolment the caller read
     * @param step the time step of the accepted code
     * @param enabledAt when the state becomes enabled
     * @return whether this call activated it
     */
    boolean activatePending(String userId, String pendingId, long step, Instant enabledAt);

    /**
     * Replay protection: sets the active secret's last used time step to {@code step} if and only if the user has an
     * active secret whose last used step is strictly less than {@code step}. One indivisible compare-and-set.
     *
     * @param userId the user
     * @param step the time step of the accepted code
     * @return whether this call advanced it (the code is accepted); {@code false} means the step, or a later one,
     *         was already used
     */
    boolean advanceLastUsedStep(String userId, long step);

    /**
     * Removes the user's active and pending secrets.
     *
     * @param userId the user
     * @return whether there was anything to remove
     */
    boolean deleteCredential(String userId);

    /**
     * Key rotation: replaces the active secret's sealed form if it is still {@code expected}.
     *
     * @param userId the user
     * @param expected the sealed form the caller read
     * @param replacement the same secret sealed with the current key
     * @return whether it was replaced
     */
    boolean replaceSecret(String userId, EncryptedSecret expected, EncryptedSecret replacement);

    /**
     * Key rotation: a page of users whose active secret is sealed with a key other than {@code keyId}.
     *
     * @param keyId the current primary key id
     * @param limit the most ids to return, at least 1
     * @return user ids, in no particular order
     */
    List<String> findUsersWithSecretNotSealedBy(String keyId, int limit);

    /**
     * The startup check of the key ring ({@code TwoFactorService.checkKeyRing()}): every distinct key id that
     * seals a stored secret, active or pending (expired pending ones included), {@link
     * EncryptedSecret#PLAINTEXT_KEY_ID} among them if any secret is in plaintext. One query; no secret is read.
     *
     * @return the key ids, in no particular order; empty for an empty store
     */
    Set<String> findKeyIds();
}
