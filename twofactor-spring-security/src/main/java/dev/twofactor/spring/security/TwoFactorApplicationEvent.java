package dev.twofactor.spring.security;

import dev.twofactor.TwoFactorEvent;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * A {@link TwoFactorEvent} (enrolment started, enabled, disabled, recovery code used, verification failed, backoff
 * started, locked, admin reset, app password created/used/revoked, ...) as a Spring application event, published by
 * {@link SpringEventTwoFactorListener}. Listen with {@code @EventListener void on(TwoFactorApplicationEvent e)}.
 * Never carries a secret, code or password.
 */
public final class TwoFactorApplicationEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient TwoFactorEvent event;

    /**
     * @param source the publisher
     * @param event what happened
     */
    public TwoFactorApplicationEvent(Object source, TwoFactorEvent event) {
        super(source);
        this.event = Objects.requireNonNull(event, "event");
    }

    /**
     * @return what happened
     */
    public TwoFactorEvent event() {
        return event;
    }

    @Override
    public String toString() {
        return "TwoFactorApplicationEvent[" + event + "]";
    }
}
