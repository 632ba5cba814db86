package dev.twofactor.jdbc.internal;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The credential table's accepting statements, each with or without the second-factor gate, and the row mapping of
 * a credential. User ids are checked by the caller.
 */
public final class CredentialTable {

    private final Jdbc jdbc;
    private final Statements sql;

    /**
     * @param jdbc the connection helper
     * @param sql the statements
     */
    public CredentialTable(Jdbc jdbc, Statements sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * Deletes the user's credential, recovery codes and app passwords in one transaction on one connection: any
     * failure rolls all three back.
     *
     * @param userId the user
     * @return whether there was a credential
     */
    public boolean removeSecondFactor(String userId) {
        Jdbc.Binder user = statement -> statement.setString(1, userId);
        return jdbc.transaction("Could not remove the second factor", connection -> {
            boolean had = Jdbc.update(connection, sql.deleteCredential, user) > 0;
            Jdbc.update(connection, sql.deleteRecoveryCodes, user);
            Jdbc.update(connection, sql.deleteAllAppPasswords, user);
            Jdbc.update(connection, sql.deleteAllTrustedDevices, user);
            return had;
        });
    }

    /**
     * @param userId the user
     * @return the user's credential, if any, in one statement
     */
    public Optional<Credential> find(String userId) {
        return Optional.ofNullable(jdbc.query("Could not read the credential", sql.findCredential,
                statement -> statement.setString(1, userId),
                rows -> rows.next() ? credential(userId, rows) : null));
    }

    /**
     * @param userId the user
     * @return whether a credential row was deleted (one statement)
     */
    public boolean delete(String userId) {
        return jdbc.update("Could not delete the credential", sql.deleteCredential,
                statement -> statement.setString(1, userId)) > 0;
    }

    /**
     * @param userId the user
     * @return the credential and the second-factor backoff, in one statement
     */
    public CredentialWithBackoff findWithBackoff(String userId) {
        return jdbc.query("Could not read the credential and backoff state", sql.findCredentialWithBackoff,
                statement -> {
                    statement.setString(1, userId);
                    statement.setString(2, BackoffScope.SECOND_FACTOR.name());
                },
                rows -> {
                    if (!rows.next()) {
                        return new CredentialWithBackoff(null, BackoffState.NONE);
                    }
                    return new CredentialWithBackoff(credential(userId, rows), BackoffTable.read(rows, 12));
                });
    }

    /**
     * @param userId the user
     * @param pending the pending enrolment to store, over any earlier one
     */
    public void savePending(String userId, PendingEnrolment pending) {
        Jdbc.Binder binder = statement -> {
            statement.setString(1, userId);
            statement.setString(2, pending.id());
            statement.setString(3, pending.secret().keyId());
            statement.setBytes(4, pending.secret().sealed());
            statement.setLong(5, pending.createdAt().toEpochMilli());
            statement.setLong(6, pending.expiresAt().toEpochMilli());
            statement.setLong(7, pending.confirmedStep());
        };
        // PostgreSQL and MySQL upserts are atomic; H2's MERGE can lose a race to insert the same new key. The row
        // exists after such a loss, so the second attempt updates it.
        if (jdbc.updateUnlessDuplicate("Could not save the pending enrolment", sql.savePending, binder) < 0) {
            jdbc.update("Could not save the pending enrolment", sql.savePending, binder);
        }
    }

    /**
     * @param userId the user
     * @param pendingId the pending enrolment the caller read
     * @return whether it was removed
     */
    public boolean deletePending(String userId, String pendingId) {
        Jdbc.Binder binder = statement -> {
            statement.setString(1, userId);
            statement.setString(2, pendingId);
        };
        // Both statements are conditional on the pending id, so a concurrent activation or restart is never undone.
        return jdbc.update("Could not delete the pending enrolment", sql.deletePendingRow, binder) == 1
                || jdbc.update("Could not delete the pending enrolment", sql.clearPending, binder) == 1;
    }

    /**
     * Key rotation's compare-and-set: one conditional {@code UPDATE} on the sealed bytes the caller read.
     *
     * @param userId the user
     * @param expected the sealed secret the caller read
     * @param replacement the same secret sealed with another key
     * @return whether this call replaced it
     */
    public boolean replaceSecret(String userId, EncryptedSecret expected, EncryptedSecret replacement) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(replacement, "replacement");
        return jdbc.update("Could not replace the sealed secret", sql.replaceSecret, statement -> {
            statement.setString(1, replacement.keyId());
            statement.setBytes(2, replacement.sealed());
            statement.setString(3, userId);
            statement.setString(4, expected.keyId());
            statement.setBytes(5, expected.sealed());
        }) == 1;
    }

    /** @return the distinct key ids of the active and pending secrets, in one statement */
    public Set<String> findKeyIds() {
        return jdbc.query("Could not read the key ids of the stored secrets", sql.findKeyIds, statement -> { },
                rows -> {
                    Set<String> ids = new HashSet<>();
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                    return Set.copyOf(ids);
                });
    }

    /**
     * @param keyId the key that should have sealed every secret
     * @param limit the most user ids to return, at least 1
     * @return users whose active or pending secret another key sealed
     */
    public List<String> findUsersWithSecretNotSealedBy(String keyId, int limit) {
        Objects.requireNonNull(keyId, "keyId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return jdbc.query("Could not find secrets to re-seal", sql.findUsersWithSecretNotSealedBy, statement -> {
            statement.setString(1, keyId);
            statement.setInt(2, limit);
        }, rows -> {
            List<String> userIds = new ArrayList<>();
            while (rows.next()) {
                userIds.add(rows.getString(1));
            }
            return userIds;
        });
    }

    /**
     * @param userId the user
     * @param pendingId the pending enrolment the caller read
     * @param step the confirming step
     * @param gate the second-factor backoff state the check read, or {@code null} for no gate
     * @return whether this call confirmed it
     */
    public boolean markPendingConfirmed(String userId, String pendingId, long step, BackoffState gate) {
        Objects.requireNonNull(pendingId, "pendingId");
        String text = gate == null ? sql.markPendingConfirmed : sql.markPendingConfirmedGated.sql(gate);
        return jdbc.update("Could not confirm the pending enrolment", text, statement -> {
            statement.setLong(1, step);
            statement.setString(2, userId);
            statement.setString(3, pendingId);
            bindGate(statement, 4, userId, gate);
        }) == 1;
    }

    /**
     * @param userId the user
     * @param pendingId the pending enrolment the caller read
     * @param step the confirming step
     * @param enabledAt when
     * @param gate the second-factor backoff state the check read, or {@code null} for no gate
     * @return whether this call activated it
     */
    public boolean activatePending(String userId, String pendingId, long step, Instant enabledAt, BackoffState gate) {
        Objects.requireNonNull(pendingId, "pendingId");
        Objects.requireNonNull(enabledAt, "enabledAt");
        String text = gate == null ? sql.activatePending : sql.activatePendingGated.sql(gate);
        return jdbc.update("Could not activate the pending enrolment", text, statement -> {
            statement.setLong(1, step);
            statement.setLong(2, enabledAt.toEpochMilli());
            statement.setString(3, userId);
            statement.setString(4, pendingId);
            bindGate(statement, 5, userId, gate);
        }) == 1;
    }

    /**
     * The replay compare-and-set: one conditional {@code UPDATE}.
     *
     * @param userId the user
     * @param step the accepted step
     * @param gate the second-factor backoff state the check read, or {@code null} for no gate
     * @return whether this call advanced it
     */
    public boolean advanceLastUsedStep(String userId, long step, BackoffState gate) {
        String text = gate == null ? sql.advanceLastUsedStep : sql.advanceLastUsedStepGated.sql(gate);
        return jdbc.update("Could not record the used time step", text, statement -> {
            statement.setLong(1, step);
            statement.setString(2, userId);
            statement.setLong(3, step);
            bindGate(statement, 4, userId, gate);
        }) == 1;
    }

    private static void bindGate(PreparedStatement statement, int first, String userId, BackoffState gate)
            throws SQLException {
        if (gate != null) {
            BackoffTable.bindGate(statement, first, userId, BackoffScope.SECOND_FACTOR, gate);
        }
    }

    /**
     * Maps the credential columns (1 to 11, as {@code Statements.CREDENTIAL_COLUMNS} lists them).
     *
     * @param userId the user
     * @param rows the result, on a row
     * @return the credential; {@code null} if the row holds neither an active nor a pending secret
     * @throws SQLException as the driver throws it
     */
    public static Credential credential(String userId, ResultSet rows) throws SQLException {
        byte[] secret = rows.getBytes(3);
        EncryptedSecret active = secret == null ? null : new EncryptedSecret(rows.getString(2), secret);
        long lastUsedStep = rows.getLong(4);
        Instant enabledAt = instant(rows, 5);
        String pendingId = rows.getString(6);
        PendingEnrolment pending = null;
        if (pendingId != null) {
            pending = new PendingEnrolment(pendingId, new EncryptedSecret(rows.getString(7), rows.getBytes(8)),
                    instant(rows, 9), instant(rows, 10), rows.getLong(11));
        }
        if (active == null && pending == null) {
            return null;
        }
        return new Credential(userId, active, active == null ? Credential.NO_STEP : lastUsedStep,
                active == null ? null : enabledAt, pending);
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
