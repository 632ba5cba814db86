package dev.twofactor.spring.security;

import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorListener;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link TwoFactorListener} that publishes every event as a {@link TwoFactorApplicationEvent}, synchronously on the
 * thread that caused it, then hands it to the next listener (for example the host's audit log). Give it to
 * {@code TwoFactorService.Builder#listener}. Thread-safe.
 */
public final class SpringEventTwoFactorListener implements TwoFactorListener {

    private final ApplicationEventPublisher publisher;
    private final TwoFactorListener next;

    /**
     * @param publisher the application context
     * @param next another listener to call after publishing; {@link TwoFactorListener#NONE} for none
     */
    public SpringEventTwoFactorListener(ApplicationEventPublisher publisher, TwoFactorListener next) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void onEvent(TwoFactorEvent event) {
        publisher.publishEvent(new TwoFactorApplicationEvent(this, event));
        next.onEvent(event);
    }
}
