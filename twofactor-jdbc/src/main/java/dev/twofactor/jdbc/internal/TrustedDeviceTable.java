package dev.twofactor.jdbc.internal;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The trusted device table: one statement per call. User ids are checked by the caller. */
public final class TrustedDeviceTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public TrustedDeviceTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * @param record the new device (its last use is not stored: a new device has none)
     */
    public void insert(TrustedDeviceRecord record) {
        Objects.requireNonNull(record, "record");
        jdbc.update("Could not store the trusted device", sql.insertTrustedDevice, statement -> {
            statement.setString(1, record.id());
            statement.setString(2, record.userId());
            statement.setString(3, record.name());
            statement.setString(4, record.tokenHash());
            statement.setLong(5, record.createdAt().toEpochMilli());
            statement.setLong(6, record.expiresAt().toEpochMilli());
        });
    }

    /**
     * One {@code SELECT}: the device by primary key and user, joined with the credential and the second-factor
     * backoff.
     *
     * @param userId the user
     * @param deviceId the device id from the token
     * @return the device and the second factor's state, or empty
     */
    public Optional<TrustedDeviceCheck> findForCheck(String userId, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return Optional.ofNullable(jdbc.query("Could not read the trusted device", sql.findTrustedDeviceForCheck,
                statement -> {
                    statement.setString(1, BackoffScope.SECOND_FACTOR.name());
                    statement.setString(2, deviceId);
                    statement.setString(3, userId);
                },
                rows -> rows.next() ? new TrustedDeviceCheck(
                        record(rows, deviceId, userId, 1), rows.getInt(6) == 1, BackoffTable.read(rows, 7)) : null));
    }

    /**
     * @param userId the user
     * @return the user's devices, oldest first
     */
    public List<TrustedDeviceRecord> find(String userId) {
        return jdbc.query("Could not read the trusted devices", sql.findTrustedDevices,
                statement -> statement.setString(1, userId),
                rows -> {
                    List<TrustedDeviceRecord> records = new ArrayList<>();
                    while (rows.next()) {
                        records.add(record(rows, rows.getString(1), userId, 2));
                    }
                    return records;
                });
    }

    /**
     * @param userId the user
     * @param deviceId the device
     * @param usedAt when it was recognised
     * @return whether it still exists
     */
    public boolean recordUse(String userId, String deviceId, Instant usedAt) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(usedAt, "usedAt");
        return jdbc.update("Could not record the trusted device use", sql.recordTrustedDeviceUse, statement -> {
            statement.setLong(1, usedAt.toEpochMilli());
            statement.setString(2, userId);
            statement.setString(3, deviceId);
        }) == 1;
    }

    /**
     * @param userId the user
     * @param deviceId the device
     * @return whether it existed
     */
    public boolean delete(String userId, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return jdbc.update("Could not delete the trusted device", sql.deleteTrustedDevice, statement -> {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
        }) == 1;
    }

    /**
     * @param userId the user whose devices all go
     * @return how many went
     */
    public int deleteAll(String userId) {
        return jdbc.update("Could not delete the trusted devices", sql.deleteAllTrustedDevices,
                statement -> statement.setString(1, userId));
    }

    /**
     * One {@code DELETE} of at most {@code limit} devices expired at {@code expiredAt}, expiry first, found through
     * the index on {@code expires_at}: one short transaction however large the backlog.
     *
     * @param expiredAt the instant the expiry must be at or before
     * @param limit the most rows to delete, at least 1
     * @return how many went
     */
    public int deleteExpired(Instant expiredAt, int limit) {
        Objects.requireNonNull(expiredAt, "expiredAt");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return jdbc.update("Could not purge the expired trusted devices", sql.deleteExpiredTrustedDevices,
                statement -> {
                    statement.setLong(1, expiredAt.toEpochMilli());
                    statement.setInt(2, limit);
                });
    }

    /** The columns name, token_hash, created_at, last_used_at, expires_at from {@code first} on. */
    private static TrustedDeviceRecord record(ResultSet rows, String id, String userId, int first)
            throws SQLException {
        return new TrustedDeviceRecord(id, userId, rows.getString(first), rows.getString(first + 1),
                Instant.ofEpochMilli(rows.getLong(first + 2)), AppPasswordTable.instant(rows, first + 3),
                Instant.ofEpochMilli(rows.getLong(first + 4)));
    }
}
