package dev.twofactor;

/**
 * Tells twofactor whether a user id names an existing user of the host application, so an administrator's request
 * about an unknown user is answered {@link Reason#UNKNOWN_USER} rather than {@link Reason#NO_ENROLLMENT}.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface UserDirectory {

    /** Treats every user id as an existing user; then admin requests never answer {@link Reason#UNKNOWN_USER}. */
    UserDirectory ANY_USER_EXISTS = userId -> true;

    /**
     * @param userId a user id
     * @return whether that user exists
     */
    boolean exists(String userId);
}
