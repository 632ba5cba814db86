package dev.twofactor.jdbc.internal;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.StoredRecoveryCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The recovery code tables: the codes, and the per-user set row that every replacement writes first, which
 * serialises replacements of one user's set. User ids are checked by the caller.
 */
public final class RecoveryCodeTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public RecoveryCodeTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * One transaction of 3 statements: lock the user's set, delete the old codes, insert the new ones (a batch).
     *
     * @param userId the user
     * @param codes the new set
     */
    public void replaceAll(String userId, List<StoredRecoveryCode> codes) {
        List<StoredRecoveryCode> copy = List.copyOf(codes);
        jdbc.transaction("Could not replace the recovery codes", connection -> {
            lockSet(connection, userId);
            replace(connection, userId, copy);
            return null;
        });
    }

    /**
     * @param userId the user
     * @return the unused codes, in order
     */
    public List<StoredRecoveryCode> findUnused(String userId) {
        return jdbc.query("Could not read the recovery codes", sql.findUnusedRecoveryCodes,
                statement -> statement.setString(1, userId),
                rows -> {
                    List<StoredRecoveryCode> codes = new ArrayList<>();
                    while (rows.next()) {
                        codes.add(new StoredRecoveryCode(rows.getString(1), rows.getString(2)));
                    }
                    return codes;
                });
    }

    /**
     * One conditional {@code UPDATE}: the single-use consume, under the gate if {@code gate} is not {@code null}.
     *
     * @param userId the user
     * @param codeId the code
     * @param usedAt when
     * @param gate the second-factor backoff state the check read, or {@code null} for none
     * @return whether this call consumed it
     */
    public boolean markUsed(String userId, String codeId, Instant usedAt, BackoffState gate) {
        Objects.requireNonNull(codeId, "codeId");
        Objects.requireNonNull(usedAt, "usedAt");
        return jdbc.update("Could not consume the recovery code", markUsedSql(gate),
                statement -> bindMarkUsed(statement, userId, codeId, usedAt, gate)) == 1;
    }

    /**
     * One transaction of 4 statements: lock the set, consume the code (or roll back), delete, insert (a batch).
     *
     * @param userId the user
     * @param codeId the code
     * @param usedAt when
     * @param replacement the new set
     * @param gate the second-factor backoff state the check read, or {@code null} for none
     * @return whether this call consumed the code and replaced the set
     */
    public boolean consumeAndReplace(String userId, String codeId, Instant usedAt,
                                     List<StoredRecoveryCode> replacement, BackoffState gate) {
        Objects.requireNonNull(codeId, "codeId");
        Objects.requireNonNull(usedAt, "usedAt");
        List<StoredRecoveryCode> copy = List.copyOf(replacement);
        return jdbc.transaction("Could not consume and replace the recovery codes", connection -> {
            // The set row is locked first, as in replaceAll, so the two never wait on each other in opposite order.
            lockSet(connection, userId);
            if (Jdbc.update(connection, markUsedSql(gate),
                    statement -> bindMarkUsed(statement, userId, codeId, usedAt, gate)) != 1) {
                return false; // used, unknown or the gate moved: roll back, the set stays as it was
            }
            replace(connection, userId, copy);
            return true;
        }, Boolean::booleanValue);
    }

    /**
     * @param userId the user
     * @return how many codes are unused
     */
    public int countUnused(String userId) {
        return jdbc.query("Could not count the recovery codes", sql.countUnusedRecoveryCodes,
                statement -> statement.setString(1, userId),
                rows -> rows.next() ? rows.getInt(1) : 0);
    }

    /**
     * @param userId the user whose codes go
     */
    public void deleteAll(String userId) {
        jdbc.update("Could not delete the recovery codes", sql.deleteRecoveryCodes,
                statement -> statement.setString(1, userId));
    }

    private String markUsedSql(BackoffState gate) {
        return gate == null ? sql.markRecoveryCodeUsed : sql.markRecoveryCodeUsedGated.sql(gate);
    }

    private void lockSet(Connection connection, String userId) throws SQLException {
        Jdbc.update(connection, sql.lockRecoveryCodeSet, statement -> statement.setString(1, userId));
    }

    private void replace(Connection connection, String userId, List<StoredRecoveryCode> codes) throws SQLException {
        Jdbc.update(connection, sql.deleteRecoveryCodes, statement -> statement.setString(1, userId));
        if (codes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.insertRecoveryCode)) {
            for (int i = 0; i < codes.size(); i++) {
                StoredRecoveryCode code = codes.get(i);
                insert.setString(1, code.id());
                insert.setString(2, userId);
                insert.setInt(3, i);
                insert.setString(4, code.hash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bindMarkUsed(PreparedStatement statement, String userId, String codeId, Instant usedAt,
                                     BackoffState gate) throws SQLException {
        statement.setLong(1, usedAt.toEpochMilli());
        statement.setString(2, codeId);
        statement.setString(3, userId);
        if (gate != null) {
            BackoffTable.bindGate(statement, 4, userId, BackoffScope.SECOND_FACTOR, gate);
        }
    }
}
