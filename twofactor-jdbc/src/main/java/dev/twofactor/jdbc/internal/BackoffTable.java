package dev.twofactor.jdbc.internal;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * The backoff table: one row per user and {@link BackoffScope}, read, compare-and-set and reset; and the binding of
 * the gate that the accepting statements of the other tables carry. User ids are checked by the caller.
 */
public final class BackoffTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public BackoffTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * @param userId the user
     * @param scope the counter
     * @return the state, {@link BackoffState#NONE} without a row
     */
    public BackoffState find(String userId, BackoffScope scope) {
        Objects.requireNonNull(scope, "scope");
        return jdbc.query("Could not read the backoff state", sql.findBackoff, statement -> {
            statement.setString(1, userId);
            statement.setString(2, scope.name());
        }, rows -> rows.next() ? read(rows, 1) : BackoffState.NONE);
    }

    /**
     * One conditional {@code UPDATE} on all three fields; a row with the values of {@link BackoffState#NONE} (what a
     * reset leaves) counts as {@code NONE}. From {@code NONE}, when the user has no row in that scope yet, a second
     * statement inserts it; a duplicate key there means another node counted first: {@code false}.
     *
     * @param userId the user
     * @param scope the counter
     * @param expected the state the caller read
     * @param next the state to store
     * @return whether this call replaced it
     */
    public boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected, BackoffState next) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        String failure = "Could not update the backoff state";
        boolean fromNone = expected.equals(BackoffState.NONE);
        if (fromNone && next.equals(BackoffState.NONE)) {
            return find(userId, scope).equals(BackoffState.NONE);
        }
        if (jdbc.update(failure, sql.updateBackoff, statement -> {
            bind(statement, 1, next);
            statement.setString(4, userId);
            statement.setString(5, scope.name());
            bind(statement, 6, expected);
        }) == 1) {
            return true;
        }
        return fromNone && jdbc.updateUnlessDuplicate(failure, sql.insertBackoff, statement -> {
            statement.setString(1, userId);
            statement.setString(2, scope.name());
            bind(statement, 3, next);
        }) == 1;
    }

    /**
     * One {@code UPDATE} back to the values of {@link BackoffState#NONE}; the row stays for the next failure.
     *
     * @param userId the user
     * @param scope the counter
     */
    public void reset(String userId, BackoffScope scope) {
        Objects.requireNonNull(scope, "scope");
        jdbc.update("Could not reset the backoff state", sql.resetBackoff, statement -> {
            statement.setString(1, userId);
            statement.setString(2, scope.name());
        });
    }

    /**
     * Binds the parameters of a {@link Statements.Gated} statement's gate, from parameter {@code first} on.
     *
     * @param statement the statement
     * @param first the index of the gate's first parameter
     * @param userId the user
     * @param scope the counter the gate is on
     * @param gate the state the check read
     * @throws SQLException as the driver throws it
     */
    public static void bindGate(PreparedStatement statement, int first, String userId, BackoffScope scope,
                                BackoffState gate) throws SQLException {
        statement.setString(first, userId);
        statement.setString(first + 1, scope.name());
        if (!gate.equals(BackoffState.NONE)) {
            bind(statement, first + 2, gate);
        }
    }

    private static void bind(PreparedStatement statement, int first, BackoffState state) throws SQLException {
        statement.setInt(first, state.failures());
        statement.setLong(first + 1, state.blockedUntil().toEpochMilli());
        statement.setBoolean(first + 2, state.locked());
    }

    /**
     * Reads failures, blocked-until and locked from columns {@code first} to {@code first + 2}.
     *
     * @param rows the result, on a row
     * @param first the first column
     * @return the state; {@link BackoffState#NONE} if the columns are null (no row joined)
     * @throws SQLException as the driver throws it
     */
    public static BackoffState read(ResultSet rows, int first) throws SQLException {
        int failures = rows.getInt(first);
        if (rows.wasNull()) {
            return BackoffState.NONE;
        }
        return new BackoffState(failures, Instant.ofEpochMilli(rows.getLong(first + 1)), rows.getBoolean(first + 2));
    }
}
