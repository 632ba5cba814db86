package dev.twofactor.examples.demo;

import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Recent security activity": the SDK's events ({@link TwoFactorListener}) kept in {@code demo_event} and listed for
 * the signed-in user. Only the event type, the time, the acting administrator and a few named details (the check,
 * an app password's name, codes remaining) are kept: events never carry a secret or code, and this adds none.
 */
public final class SecurityActivity implements TwoFactorListener {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityActivity.class);

    /** One line of the activity list. */
    public record Entry(TwoFactorEventType type, Instant at, String actorId, String detail) {

        /** @return the line's text */
        public String title() {
            return switch (type) {
                case ENROLMENT_STARTED -> "Two-factor setup started";
                case ENROLMENT_CANCELLED -> "Two-factor setup discarded";
                case ENABLED -> "Two-factor authentication enabled";
                case AUTHENTICATOR_CHANGED -> "Authentication app changed";
                case DISABLED -> "Two-factor authentication disabled";
                case VERIFIED -> "Verified with the authentication app";
                case RECOVERY_CODE_USED -> "Recovery code used";
                case RECOVERY_CODES_REGENERATED -> "New recovery codes generated";
                case VERIFICATION_FAILED -> "Failed verification";
                case BACKOFF_STARTED -> "Verification paused after repeated failures";
                case LOCKED -> "Second factor locked";
                case ADMIN_RESET -> "Changed by an administrator";
                case POLICY_CHANGED -> "Organisation policy changed";
                case ENROLMENT_REQUIRED -> "Two-factor authentication required by your organisation";
                case STEP_UP -> "Settings unlocked";
                case APP_PASSWORD_CREATED -> "Application password created";
                case APP_PASSWORD_USED -> "Application password used";
                case APP_PASSWORD_REVOKED -> "Application password revoked";
                case DEVICE_TRUSTED -> "Device remembered";
                case TRUSTED_DEVICE_USED -> "Signed in on a remembered device";
                case TRUSTED_DEVICE_REVOKED -> "Remembered device revoked";
            };
        }

        /** @return whether the line reports a failure or a lock (shown in red) */
        public boolean warning() {
            return type == TwoFactorEventType.VERIFICATION_FAILED || type == TwoFactorEventType.BACKOFF_STARTED
                    || type == TwoFactorEventType.LOCKED;
        }
    }

    private final DataSource dataSource;

    SecurityActivity(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void onEvent(TwoFactorEvent event) {
        LOG.info("security event {} user={} actor={}", event.type(), event.userId(), event.actorId());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO demo_event (user_id, actor_id, type, at_millis, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, event.userId());
            insert.setString(2, event.actorId());
            insert.setString(3, event.type().name());
            insert.setLong(4, event.at().toEpochMilli());
            insert.setString(5, detail(event));
            insert.executeUpdate();
        } catch (SQLException e) {
            LOG.error("Cannot record security event {}", event.type(), e);
        }
    }

    /** The few details worth a line, by name; nothing else of the event is kept. */
    private static String detail(TwoFactorEvent event) {
        var details = event.details();
        String text = switch (event.type()) {
            case VERIFICATION_FAILED -> check(details.get("check")) + failure(details.get("reason"));
            case BACKOFF_STARTED -> "Next attempt possible in " + details.get("retryAfterSeconds") + " s";
            case VERIFIED, STEP_UP -> check(details.get("check"));
            case RECOVERY_CODE_USED -> "true".equals(details.get("rotated")) ? "Replaced by a new emergency key"
                    : details.get("remaining") + " left";
            case RECOVERY_CODES_REGENERATED -> "1".equals(details.get("remaining")) ? "One emergency key"
                    : details.get("remaining") + " codes";
            case APP_PASSWORD_CREATED -> "\"" + details.get("appPassword") + "\", " + details.get("permissions");
            case APP_PASSWORD_USED, APP_PASSWORD_REVOKED -> "\"" + details.get("appPassword") + "\"";
            case ADMIN_RESET -> "UNENROL".equals(details.get("action")) ? "Two-factor removed" : "Lock reset";
            case POLICY_CHANGED -> details.get("level");
            default -> null;
        };
        return text == null || text.length() <= 400 ? text : text.substring(0, 400);
    }

    private static String check(String check) {
        if (check == null) {
            return "";
        }
        return switch (check) {
            case "TOTP" -> "sign-in code";
            case "RECOVERY_CODE" -> "recovery code";
            case "CONFIRMATION" -> "setup code";
            case "DISABLE_PASSWORD" -> "password to disable";
            case "STEP_UP_PASSWORD" -> "password";
            case "STEP_UP_CODE" -> "authentication app code";
            case "ADMIN_CODE" -> "administrator code";
            case "APP_PASSWORD" -> "application password";
            default -> check.toLowerCase(Locale.ROOT);
        };
    }

    private static String failure(String reason) {
        return reason == null ? "" : "CODE_ALREADY_USED".equals(reason) ? " (already used)" : "";
    }

    /**
     * @param userId the user
     * @param limit the most entries
     * @return the user's latest entries, newest first
     */
    public List<Entry> recent(String userId, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT type, at_millis, actor_id, detail"
                     + " FROM demo_event WHERE user_id = ? ORDER BY id DESC LIMIT ?")) {
            select.setString(1, userId);
            select.setInt(2, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(TwoFactorEventType.valueOf(rows.getString(1)),
                            Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3), rows.getString(4)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the security activity", e);
        }
    }
}
