package dev.twofactor.spring.security;

import org.springframework.security.authentication.LockedException;

/**
 * The user's second factor (or their app passwords) is locked after too many consecutive failures until an
 * administrator resets it (SPEC §7); the input was not checked. A {@link LockedException}, so Spring Security
 * publishes {@code AuthenticationFailureLockedEvent}; HTTP answers are 429 without {@code Retry-After}.
 */
public class TwoFactorLockedException extends LockedException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the user-facing text
     */
    public TwoFactorLockedException(String message) {
        super(message);
    }
}
