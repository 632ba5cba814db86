package dev.twofactor.examples.demo;

import dev.twofactor.RecoveryCodePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The two administrator settings that the SDK fixes when its service is built (the organisation policy itself lives
 * in the SDK's policy store): which recovery-code policy applies, and whether "I have saved my recovery codes" must be
 * ticked before two-factor authentication is enabled. Kept in {@code demo_setting} so they survive a restart.
 *
 * @param emergencyKey one emergency recovery key (Atlassian) instead of 8 recovery codes
 * @param requireAcknowledgement whether enrolment waits for "I have saved my recovery codes"
 */
public record DemoSettings(boolean emergencyKey, boolean requireAcknowledgement) {

    static final DemoSettings DEFAULT = new DemoSettings(false, false);

    RecoveryCodePolicy recoveryCodePolicy() {
        return emergencyKey ? RecoveryCodePolicy.EMERGENCY_KEY : RecoveryCodePolicy.STANDARD;
    }

    static DemoSettings load(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT name, setting_value FROM demo_setting");
             ResultSet rows = select.executeQuery()) {
            DemoSettings settings = DEFAULT;
            while (rows.next()) {
                boolean on = Boolean.parseBoolean(rows.getString(2));
                if ("emergencyKey".equals(rows.getString(1))) {
                    settings = new DemoSettings(on, settings.requireAcknowledgement());
                } else if ("requireAcknowledgement".equals(rows.getString(1))) {
                    settings = new DemoSettings(settings.emergencyKey(), on);
                }
            }
            return settings;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the demo settings", e);
        }
    }

    void save(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement merge = connection.prepareStatement(
                     "MERGE INTO demo_setting (name, setting_value) KEY (name) VALUES (?, ?)")) {
            merge.setString(1, "emergencyKey");
            merge.setString(2, Boolean.toString(emergencyKey));
            merge.addBatch();
            merge.setString(1, "requireAcknowledgement");
            merge.setString(2, Boolean.toString(requireAcknowledgement));
            merge.addBatch();
            merge.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot save the demo settings", e);
        }
    }
}
