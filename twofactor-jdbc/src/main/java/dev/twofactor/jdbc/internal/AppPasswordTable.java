package dev.twofactor.jdbc.internal;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The app password table. User ids are checked by the caller. */
public final class AppPasswordTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public AppPasswordTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * @param record the new app password
     */
    public void insert(AppPasswordRecord record) {
        jdbc.update("Could not store the app password", sql.insertAppPassword, statement -> {
            statement.setString(1, record.id());
            statement.setString(2, record.userId());
            statement.setString(3, record.name());
            statement.setString(4, Permissions.encode(record.permissions()));
            statement.setString(5, record.hash());
            statement.setLong(6, record.createdAt().toEpochMilli());
            setInstant(statement, 7, record.lastUsedAt());
            statement.setString(8, record.lookupTag());
        });
    }

    /**
     * @param userId the owner
     * @return the app passwords, oldest first
     */
    public List<AppPasswordRecord> find(String userId) {
        return jdbc.query("Could not read the app passwords", sql.findAppPasswords,
                statement -> statement.setString(1, userId),
                rows -> {
                    List<AppPasswordRecord> records = new ArrayList<>();
                    while (rows.next()) {
                        records.add(new AppPasswordRecord(rows.getString(1), userId, rows.getString(2),
                                Permissions.decode(rows.getString(3)), rows.getString(4), instant(rows, 5),
                                instant(rows, 6), rows.getString(7)));
                    }
                    return records;
                });
    }

    /**
     * @param userId the owner
     * @param id the app password
     * @return whether it existed
     */
    public boolean delete(String userId, String id) {
        Objects.requireNonNull(id, "id");
        return jdbc.update("Could not delete the app password", sql.deleteAppPassword, statement -> {
            statement.setString(1, userId);
            statement.setString(2, id);
        }) == 1;
    }

    /**
     * One {@code UPDATE} of the row if it still exists (a revoked app password is never used), under the
     * app-password gate if {@code gate} is not {@code null}.
     *
     * @param userId the owner
     * @param id the app password
     * @param usedAt when
     * @param gate the app-password backoff state the check read, or {@code null} for none
     * @return whether the use was recorded
     */
    public boolean recordUse(String userId, String id, Instant usedAt, BackoffState gate) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(usedAt, "usedAt");
        String statementText = gate == null ? sql.recordAppPasswordUse : sql.recordAppPasswordUseGated.sql(gate);
        return jdbc.update("Could not record the app password use", statementText, statement -> {
            statement.setLong(1, usedAt.toEpochMilli());
            statement.setString(2, userId);
            statement.setString(3, id);
            if (gate != null) {
                BackoffTable.bindGate(statement, 4, userId, BackoffScope.APP_PASSWORD, gate);
            }
        }) == 1;
    }

    /**
     * @param userId the owner whose app passwords all go
     */
    public void deleteAll(String userId) {
        jdbc.update("Could not delete the app passwords", sql.deleteAllAppPasswords,
                statement -> statement.setString(1, userId));
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, instant.toEpochMilli());
        }
    }
}
