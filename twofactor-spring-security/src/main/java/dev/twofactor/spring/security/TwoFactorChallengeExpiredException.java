package dev.twofactor.spring.security;

import org.springframework.security.core.AuthenticationException;

/**
 * The sign-in challenge was answered too long after the password (SPEC §6: it expires, by default after 10 minutes),
 * or without a password sign-in at all: the half-open session ends and the user signs in again.
 */
public class TwoFactorChallengeExpiredException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    /** The text shown on the sign-in screen. */
    public static final String MESSAGE = "Your sign-in expired. Sign in again.";

    /** With {@link #MESSAGE}. */
    public TwoFactorChallengeExpiredException() {
        super(MESSAGE);
    }
}
