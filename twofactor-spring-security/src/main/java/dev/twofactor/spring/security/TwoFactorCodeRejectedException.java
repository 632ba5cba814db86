package dev.twofactor.spring.security;

import dev.twofactor.Reason;
import java.util.Objects;
import org.springframework.security.authentication.BadCredentialsException;

/**
 * A second-factor code, recovery code, step-up password or app password was rejected. The message is the
 * user-facing text of the {@link Reason} (SPEC texts, never the input). A {@link BadCredentialsException}, so Spring
 * Security publishes {@code AuthenticationFailureBadCredentialsEvent} for it.
 */
public class TwoFactorCodeRejectedException extends BadCredentialsException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /**
     * @param reason why
     */
    public TwoFactorCodeRejectedException(Reason reason) {
        super(Objects.requireNonNull(reason, "reason").message());
        this.reason = reason;
    }

    /**
     * @return why
     */
    public Reason reason() {
        return reason;
    }
}
