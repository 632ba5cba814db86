package dev.twofactor;

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
     * @param event what happened
     */
    void onEvent(TwoFactorEvent event);
}
