package dev.twofactor.spring.security;

import java.time.Duration;
import java.util.Objects;
import org.springframework.security.core.AuthenticationException;

/**
 * The user is in a brute-force backoff (SPEC §7): the input was not checked. HTTP answers are 429 with
 * {@code Retry-After: }{@link #retryAfterSeconds()}.
 */
public class TwoFactorRateLimitedException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /**
     * @param message the user-facing text ("Too many failed attempts. Try again in 4 seconds.")
     * @param retryAfterSeconds whole seconds left in the backoff, at least 1
     */
    public TwoFactorRateLimitedException(String message, long retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"));
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @return whole seconds left in the backoff, at least 1: the {@code Retry-After} value
     */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * @return the time left in the backoff
     */
    public Duration retryAfter() {
        return Duration.ofSeconds(retryAfterSeconds);
    }
}
