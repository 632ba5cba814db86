package dev.twofactor.spring.security;

import dev.twofactor.Outcome;
import org.springframework.security.core.AuthenticationException;

/** Turns a failed {@link Outcome} into the {@link AuthenticationException} that reports it. */
final class Outcomes {

    private Outcomes() {
    }

    static AuthenticationException failure(Outcome<?> outcome) {
        if (outcome instanceof Outcome.Rejected<?> rejected) {
            return new TwoFactorCodeRejectedException(rejected.reason());
        }
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            return new TwoFactorRateLimitedException(limited.message(), limited.retryAfterSeconds());
        }
        if (outcome instanceof Outcome.Locked<?> locked) {
            return new TwoFactorLockedException(locked.message());
        }
        throw new IllegalArgumentException("Not a failure: " + outcome.getClass().getSimpleName());
    }
}
