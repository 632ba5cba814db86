package dev.twofactor.internal;

import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link TwoFactorListener}: one line per event on the SLF4J logger {@value #LOGGER_NAME}, INFO for
 * changes and WARN for failures, backoffs and locks. Events carry no secrets, so neither do these lines; values are
 * stripped of control characters and line separators so that a user-chosen name (an app password's) cannot forge log
 * lines.
 */
public final class AuditLog implements TwoFactorListener {

    /** The logger name. */
    public static final String LOGGER_NAME = "dev.twofactor.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    /** Creates the listener. */
    public AuditLog() {
    }

    @Override
    public void onEvent(TwoFactorEvent event) {
        boolean warn = isWarning(event.type());
        if (warn ? !LOG.isWarnEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(96).append(event.type()).append(" user=").append(clean(event.userId()));
        if (event.actorId() != null) {
            line.append(" actor=").append(clean(event.actorId()));
        }
        for (Map.Entry<String, String> detail : new TreeMap<>(event.details()).entrySet()) {
            line.append(' ').append(clean(detail.getKey())).append('=').append(clean(detail.getValue()));
        }
        if (warn) {
            LOG.warn(line.toString());
        } else {
            LOG.info(line.toString());
        }
    }

    /**
     * @param type an event type
     * @return whether it is logged as a warning
     */
    public static boolean isWarning(TwoFactorEventType type) {
        return type == TwoFactorEventType.VERIFICATION_FAILED || type == TwoFactorEventType.BACKOFF_STARTED
                || type == TwoFactorEventType.LOCKED;
    }

    private static String clean(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int type = Character.getType(c);
            boolean lineBreak = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            out.append(lineBreak ? '?' : c);
        }
        return out.toString();
    }
}
