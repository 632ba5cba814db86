package dev.twofactor.spring.security;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Spring Security's authentication events for twofactor's checks: successes go to the application's publisher;
 * a rejected code is an {@link AuthenticationFailureBadCredentialsEvent} and a lock an
 * {@link AuthenticationFailureLockedEvent} (Spring's default publisher maps exception classes exactly, so it would
 * drop these subclasses). A backoff is reported by twofactor's own {@code BACKOFF_STARTED} event.
 */
final class TwoFactorAuthenticationEventPublisher implements AuthenticationEventPublisher {

    private final AuthenticationEventPublisher delegate;
    private final ApplicationEventPublisher events;

    TwoFactorAuthenticationEventPublisher(AuthenticationEventPublisher delegate, ApplicationEventPublisher events) {
        this.delegate = delegate;
        this.events = events;
    }

    @Override
    public void publishAuthenticationSuccess(Authentication authentication) {
        delegate.publishAuthenticationSuccess(authentication);
    }

    @Override
    public void publishAuthenticationFailure(AuthenticationException failure, Authentication authentication) {
        if (failure instanceof TwoFactorCodeRejectedException) {
            events.publishEvent(new AuthenticationFailureBadCredentialsEvent(authentication, failure));
        } else if (failure instanceof TwoFactorLockedException) {
            events.publishEvent(new AuthenticationFailureLockedEvent(authentication, failure));
        } else if (!(failure instanceof TwoFactorRateLimitedException)) {
            delegate.publishAuthenticationFailure(failure, authentication);
        }
    }
}
