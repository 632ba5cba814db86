package dev.twofactor;

import dev.twofactor.internal.AuditLog;
import java.util.Objects;

/**
 * Receives every {@link TwoFactorEvent}, synchronously, on the thread that caused it, after the change was stored.
 *
 * <p>Implementations must be thread-safe and quick (queue slow work such as e-mail). An exception thrown by a
 * listener is logged and swallowed: it never undoes or fails the operation.
 */
@FunctionalInterface
public interface TwoFactorListener {

    /** Ignores every event. */
    TwoFactorListener NONE = event -> { };

    /**
     * The default listener (what the service uses when none is set): one line per event on the SLF4J logger
     * {@code dev.twofactor.audit}, INFO for changes and WARN for failures, backoffs and locks; no secret or code is
     * ever part of an event, so none is part of a line. Use it to keep the audit log beside a listener of your own:
     * {@code TwoFactorListener.auditLog().andThen(mine)}.
     *
     * @return the SLF4J audit-log listener
     */
    static TwoFactorListener auditLog() {
        return new AuditLog();
    }

    /**
     * @param next the listener to call after this one, also when this one throws (the exception is rethrown after
     *     {@code next} ran, so that the service logs and swallows it as for any listener)
     * @return a listener that passes every event to this listener and then to {@code next}
     */
    default TwoFactorListener andThen(TwoFactorListener next) {
        Objects.requireNonNull(next, "next");
        return event -> {
            try {
                onEvent(event);
            } finally {
                next.onEvent(event);
            }
        };
    }

    /**
     * @param event what happened
     */
    void onEvent(TwoFactorEvent event);
}
