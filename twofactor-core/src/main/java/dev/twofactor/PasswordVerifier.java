package dev.twofactor;

/**
 * The host's password check, used where twofactor needs the user's current password: to disable two-factor
 * authentication, and to unlock sensitive settings (step-up).
 *
 * <p>Implementations must be thread-safe, compare in constant time (a password hash library does) and must not log
 * the password. twofactor wipes the array after the call.
 */
@FunctionalInterface
public interface PasswordVerifier {

    /** The verdict of a password check. */
    enum Verdict {
        /** The password is the user's current password. */
        MATCH,
        /** It is not (or the user does not exist). */
        MISMATCH
    }

    /**
     * @param userId the user
     * @param password the password as typed
     * @return the verdict
     */
    Verdict verify(String userId, char[] password);
}
