package dev.twofactor.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import dev.twofactor.spi.BackoffScope;

/**
 * The floor of target 4: the two statements of a successful sign-in over {@code JdbcTwoFactorStore}, done by hand on
 * the same pool with nothing else: the primary-key read of the credential joined with the backoff row, and the replay
 * compare-and-set (a conditional primary-key {@code UPDATE} carrying the backoff gate), each committed (the pool's
 * connections are in auto-commit mode, as the store's are). One connection serves both statements (the store takes
 * one per statement); no decryption, no TOTP check, no result objects.
 *
 * <p>The text of both statements is written out here. The runner captures the statements the service's sign-in
 * really sends ({@link StatementCount#signInStatements}) and prints no ratio to this floor unless they are these two,
 * word for word.
 */
final class JdbcFloor {

    private final DataSource dataSource;
    private final String read;
    private final String advance;

    JdbcFloor(DataSource dataSource, String tablePrefix) {
        this.dataSource = dataSource;
        List<String> statements = statements(tablePrefix);
        this.read = statements.get(0);
        this.advance = statements.get(1);
    }

    /** The two statements, in the order a sign-in sends them. */
    static List<String> statements(String prefix) {
        return List.of("""
                SELECT c.user_id, c.secret_key_id, c.secret, c.last_used_step, c.enabled_at, c.pending_id,
                    c.pending_key_id, c.pending_secret, c.pending_created_at, c.pending_expires_at,
                    c.pending_confirmed_step, b.failures, b.blocked_until, b.locked
                FROM (SELECT CAST(? AS VARCHAR(255)) AS user_id) k
                LEFT JOIN %1$scredential c ON c.user_id = k.user_id
                LEFT JOIN %1$sbackoff b ON b.user_id = k.user_id AND b.scope = ?""".formatted(prefix), """
                UPDATE %1$scredential
                SET last_used_step = ?
                WHERE user_id = ? AND secret IS NOT NULL AND last_used_step < ?
                AND NOT EXISTS (SELECT 1 FROM %1$sbackoff b WHERE b.user_id = ? AND b.scope = ?
                    AND (b.failures <> 0 OR b.blocked_until <> 0 OR b.locked = TRUE))""".formatted(prefix));
    }

    /** SQL text with every run of white space made one space, and none next to a comma or a parenthesis. */
    static String normalise(String sql) {
        return sql.replaceAll("\\s+", " ").replaceAll(" ?([,()]) ?", "$1").trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the user's row with its backoff and advances its last used step to {@code step}.
     *
     * @return whether the update matched (the sign-in's compare-and-set succeeded)
     */
    boolean signIn(String userId, long step) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long lastUsedStep = read(connection, userId);
            return lastUsedStep >= 0 && step > lastUsedStep && advance(connection, userId, step);
        }
    }

    /**
     * {@link #signIn} with a connection taken from the pool for each of the two statements, as the store takes one
     * per SPI call.
     *
     * @return whether the update matched
     */
    boolean signInConnectionPerStatement(String userId, long step) throws SQLException {
        long lastUsedStep;
        try (Connection connection = dataSource.getConnection()) {
            lastUsedStep = read(connection, userId);
        }
        if (lastUsedStep < 0 || step <= lastUsedStep) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return advance(connection, userId, step);
        }
    }

    /** The read: every column the store maps, read as it reads them; the last used step, or -1 without a row. */
    private long read(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(read)) {
            statement.setString(1, userId);
            statement.setString(2, BackoffScope.SECOND_FACTOR.name());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return -1;
                }
                rows.getString(1);
                rows.getString(2);
                rows.getBytes(3);
                long lastUsedStep = rows.getLong(4);
                rows.getLong(5);
                rows.getString(6);
                rows.getString(7);
                rows.getBytes(8);
                rows.getLong(9);
                rows.getLong(10);
                rows.getLong(11);
                rows.getInt(12);
                rows.getLong(13);
                rows.getBoolean(14);
                return lastUsedStep;
            }
        }
    }

    /** The compare-and-set. */
    private boolean advance(Connection connection, String userId, long step) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(advance)) {
            String scope = BackoffScope.SECOND_FACTOR.name();
            statement.setLong(1, step);
            statement.setString(2, userId);
            statement.setLong(3, step);
            statement.setString(4, userId);
            statement.setString(5, scope);
            return statement.executeUpdate() == 1;
        }
    }
}
