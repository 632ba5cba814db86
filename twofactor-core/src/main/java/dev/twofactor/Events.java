package dev.twofactor;

import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event emission for every capability: builds the {@link TwoFactorEvent} and hands it to the host's listener. A
 * listener that throws is logged and ignored: the operation it reports on already happened and stands.
 */
final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(TwoFactorService.class);

    private final TwoFactorListener listener;

    Events(TwoFactorListener listener) {
        this.listener = listener;
    }

    /** Whether any event is delivered: {@code false} for {@link TwoFactorListener#NONE}, which ignores them all. */
    boolean wanted() {
        return listener != TwoFactorListener.NONE;
    }

    void emit(TwoFactorEventType type, String userId, String actorId, Instant at, Map<String, String> details) {
        if (!wanted()) {
            return; // it ignores every event, so none is built for it
        }
        TwoFactorEvent event = new TwoFactorEvent(type, userId, actorId, at, details);
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("TwoFactorListener {} failed on event {}; the operation stands",
                    listener.getClass().getName(), type, e);
        }
    }

    /** An event about the user's own action (no separate actor). */
    void emit(TwoFactorEventType type, String userId, Instant at, Map<String, String> details) {
        emit(type, userId, null, at, details);
    }
}
