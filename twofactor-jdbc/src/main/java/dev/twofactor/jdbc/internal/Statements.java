package dev.twofactor.jdbc.internal;

import dev.twofactor.jdbc.JdbcDialect;
import dev.twofactor.spi.BackoffState;

/**
 * Every SQL statement of the JDBC store, with the table prefix resolved once. The statements are shared by all
 * dialects except the three upserts, the cast of the user id in the sign-in read and the bounded purge of expired
 * trusted devices; nothing but the validated prefix is ever spliced in, and every value is a bind parameter.
 *
 * <p>Credential columns, in the order {@link #CREDENTIAL_COLUMNS} lists them, are read by index.
 *
 * <p>The accepting statements of the checks exist twice ({@link Gated}): each carries the backoff gate as one more
 * condition on the same statement, so the accept and the backoff state it depends on are one atomic step. On
 * PostgreSQL and H2 the subquery reads the backoff row as of the statement's start, and every backoff change is a
 * single committed statement, so the accept is ordered before any change it did not see; InnoDB reads it with a
 * shared lock, so a concurrent compare-and-set of that row waits for the accept to commit.
 */
public final class Statements {

    /** The gate when the check read {@link BackoffState#NONE}: no row, or a row with the values of NONE. */
    private static final String GATE_NONE = """

            AND NOT EXISTS (SELECT 1 FROM ${prefix}backoff b WHERE b.user_id = ? AND b.scope = ?
                AND (b.failures <> 0 OR b.blocked_until <> 0 OR b.locked = TRUE))""";
    /** The gate when the check read another state: the row still holds exactly that state. */
    private static final String GATE_STATE = """

            AND EXISTS (SELECT 1 FROM ${prefix}backoff b WHERE b.user_id = ? AND b.scope = ?
                AND b.failures = ? AND b.blocked_until = ? AND b.locked = ?)""";

    /**
     * An accepting statement with its gate: the backoff parameters follow the statement's own (user id and scope,
     * then, unless the gate is {@code NONE}, failures, blocked-until and locked).
     *
     * @param whenNone the statement for a gate of {@link BackoffState#NONE}
     * @param whenState the statement for any other gate
     */
    public record Gated(String whenNone, String whenState) {
        /**
         * @param gate the backoff state the check read
         * @return the statement for it
         */
        public String sql(BackoffState gate) {
            return gate.equals(BackoffState.NONE) ? whenNone : whenState;
        }
    }

    /** The credential columns every credential read selects, in this order. */
    static final String CREDENTIAL_COLUMNS = """
            c.user_id, c.secret_key_id, c.secret, c.last_used_step, c.enabled_at, c.pending_id, c.pending_key_id,
            c.pending_secret, c.pending_created_at, c.pending_expires_at, c.pending_confirmed_step""";

    // ---------------------------------------------------------------- credential

    public final String findCredential;
    public final String findCredentialWithBackoff;
    public final String savePending;
    public final String deletePendingRow;
    public final String clearPending;
    public final String markPendingConfirmed;
    public final String activatePending;
    public final String advanceLastUsedStep;
    public final Gated markPendingConfirmedGated;
    public final Gated activatePendingGated;
    public final Gated advanceLastUsedStepGated;
    public final String deleteCredential;
    public final String replaceSecret;
    public final String findUsersWithSecretNotSealedBy;
    public final String findKeyIds;

    // ---------------------------------------------------------------- recovery codes

    public final String lockRecoveryCodeSet;
    public final String deleteRecoveryCodes;
    public final String insertRecoveryCode;
    public final String findUnusedRecoveryCodes;
    public final String countUnusedRecoveryCodes;
    public final String markRecoveryCodeUsed;
    public final Gated markRecoveryCodeUsedGated;

    // ---------------------------------------------------------------- backoff

    public final String findBackoff;
    public final String insertBackoff;
    public final String updateBackoff;
    public final String resetBackoff;

    // ---------------------------------------------------------------- app passwords

    public final String insertAppPassword;
    public final String findAppPasswords;
    public final String deleteAppPassword;
    public final String recordAppPasswordUse;
    public final Gated recordAppPasswordUseGated;
    public final String deleteAllAppPasswords;

    // ---------------------------------------------------------------- trusted devices

    public final String insertTrustedDevice;
    public final String findTrustedDeviceForCheck;
    public final String findTrustedDevices;
    public final String recordTrustedDeviceUse;
    public final String deleteTrustedDevice;
    public final String deleteAllTrustedDevices;
    public final String deleteExpiredTrustedDevices;

    // ---------------------------------------------------------------- policy

    public final String loadPolicy;
    public final String savePolicy;
    public final String findEnrolmentRequired;
    public final String insertEnrolmentRequired;

    private Statements(JdbcDialect dialect, String prefix) {
        findCredential = sql("SELECT " + CREDENTIAL_COLUMNS + """

                FROM ${prefix}credential c
                WHERE c.user_id = ?""", prefix);
        // One round trip for the sign-in hot path. The one-row derived table keeps the backoff of a user who has no
        // credential (a plain credential LEFT JOIN backoff would lose it).
        findCredentialWithBackoff = sql("SELECT " + CREDENTIAL_COLUMNS + """
                , b.failures, b.blocked_until, b.locked
                FROM (SELECT %s AS user_id) k
                LEFT JOIN ${prefix}credential c ON c.user_id = k.user_id
                LEFT JOIN ${prefix}backoff b ON b.user_id = k.user_id AND b.scope = ?"""
                .formatted(userIdParameter(dialect)), prefix);
        savePending = sql(switch (dialect) {
            case H2 -> """
                    MERGE INTO ${prefix}credential (user_id, pending_id, pending_key_id, pending_secret,
                        pending_created_at, pending_expires_at, pending_confirmed_step)
                    KEY (user_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""";
            case POSTGRESQL -> """
                    INSERT INTO ${prefix}credential (user_id, pending_id, pending_key_id, pending_secret,
                        pending_created_at, pending_expires_at, pending_confirmed_step)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET
                        pending_id = EXCLUDED.pending_id,
                        pending_key_id = EXCLUDED.pending_key_id,
                        pending_secret = EXCLUDED.pending_secret,
                        pending_created_at = EXCLUDED.pending_created_at,
                        pending_expires_at = EXCLUDED.pending_expires_at,
                        pending_confirmed_step = EXCLUDED.pending_confirmed_step""";
            case MYSQL -> """
                    INSERT INTO ${prefix}credential (user_id, pending_id, pending_key_id, pending_secret,
                        pending_created_at, pending_expires_at, pending_confirmed_step)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE
                        pending_id = VALUES(pending_id),
                        pending_key_id = VALUES(pending_key_id),
                        pending_secret = VALUES(pending_secret),
                        pending_created_at = VALUES(pending_created_at),
                        pending_expires_at = VALUES(pending_expires_at),
                        pending_confirmed_step = VALUES(pending_confirmed_step)""";
        }, prefix);
        deletePendingRow = sql("""
                DELETE FROM ${prefix}credential
                WHERE user_id = ? AND pending_id = ? AND secret IS NULL""", prefix);
        clearPending = sql("""
                UPDATE ${prefix}credential
                SET pending_id = NULL, pending_key_id = NULL, pending_secret = NULL, pending_created_at = NULL,
                    pending_expires_at = NULL, pending_confirmed_step = NULL
                WHERE user_id = ? AND pending_id = ?""", prefix);
        String markPendingConfirmedText = """
                UPDATE ${prefix}credential
                SET pending_confirmed_step = ?
                WHERE user_id = ? AND pending_id = ? AND pending_confirmed_step = -1""";
        markPendingConfirmed = sql(markPendingConfirmedText, prefix);
        markPendingConfirmedGated = gated(markPendingConfirmedText, prefix);
        // MySQL assigns left to right, so the pending values are copied before they are cleared; standard SQL reads
        // the old row throughout. Both give the same result in this order.
        String activatePendingText = """
                UPDATE ${prefix}credential
                SET secret_key_id = pending_key_id, secret = pending_secret, last_used_step = ?, enabled_at = ?,
                    pending_id = NULL, pending_key_id = NULL, pending_secret = NULL, pending_created_at = NULL,
                    pending_expires_at = NULL, pending_confirmed_step = NULL
                WHERE user_id = ? AND pending_id = ?""";
        activatePending = sql(activatePendingText, prefix);
        activatePendingGated = gated(activatePendingText, prefix);
        String advanceLastUsedStepText = """
                UPDATE ${prefix}credential
                SET last_used_step = ?
                WHERE user_id = ? AND secret IS NOT NULL AND last_used_step < ?""";
        advanceLastUsedStep = sql(advanceLastUsedStepText, prefix);
        advanceLastUsedStepGated = gated(advanceLastUsedStepText, prefix);
        deleteCredential = sql("""
                DELETE FROM ${prefix}credential WHERE user_id = ?""", prefix);
        replaceSecret = sql("""
                UPDATE ${prefix}credential
                SET secret_key_id = ?, secret = ?
                WHERE user_id = ? AND secret_key_id = ? AND secret = ?""", prefix);
        findUsersWithSecretNotSealedBy = sql("""
                SELECT user_id FROM ${prefix}credential
                WHERE secret IS NOT NULL AND secret_key_id <> ?
                LIMIT ?""", prefix);
        findKeyIds = sql("""
                SELECT secret_key_id FROM ${prefix}credential WHERE secret_key_id IS NOT NULL
                UNION
                SELECT pending_key_id FROM ${prefix}credential WHERE pending_key_id IS NOT NULL""", prefix);

        lockRecoveryCodeSet = sql(switch (dialect) {
            case H2 -> """
                    MERGE INTO ${prefix}recovery_code_set s
                    USING (VALUES (CAST(? AS VARCHAR(255)))) v (user_id) ON s.user_id = v.user_id
                    WHEN MATCHED THEN UPDATE SET generation = s.generation + 1
                    WHEN NOT MATCHED THEN INSERT (user_id, generation) VALUES (v.user_id, 1)""";
            case POSTGRESQL -> """
                    INSERT INTO ${prefix}recovery_code_set AS s (user_id, generation) VALUES (?, 1)
                    ON CONFLICT (user_id) DO UPDATE SET generation = s.generation + 1""";
            case MYSQL -> """
                    INSERT INTO ${prefix}recovery_code_set (user_id, generation) VALUES (?, 1)
                    ON DUPLICATE KEY UPDATE generation = generation + 1""";
        }, prefix);
        deleteRecoveryCodes = sql("""
                DELETE FROM ${prefix}recovery_code WHERE user_id = ?""", prefix);
        insertRecoveryCode = sql("""
                INSERT INTO ${prefix}recovery_code (id, user_id, ordinal, code_hash, used_at)
                VALUES (?, ?, ?, ?, NULL)""", prefix);
        findUnusedRecoveryCodes = sql("""
                SELECT id, code_hash FROM ${prefix}recovery_code
                WHERE user_id = ? AND used_at IS NULL
                ORDER BY ordinal""", prefix);
        countUnusedRecoveryCodes = sql("""
                SELECT COUNT(*) FROM ${prefix}recovery_code
                WHERE user_id = ? AND used_at IS NULL""", prefix);
        String markRecoveryCodeUsedText = """
                UPDATE ${prefix}recovery_code
                SET used_at = ?
                WHERE id = ? AND user_id = ? AND used_at IS NULL""";
        markRecoveryCodeUsed = sql(markRecoveryCodeUsedText, prefix);
        markRecoveryCodeUsedGated = gated(markRecoveryCodeUsedText, prefix);

        findBackoff = sql("""
                SELECT failures, blocked_until, locked FROM ${prefix}backoff WHERE user_id = ? AND scope = ?""",
                prefix);
        insertBackoff = sql("""
                INSERT INTO ${prefix}backoff (user_id, scope, failures, blocked_until, locked)
                VALUES (?, ?, ?, ?, ?)""", prefix);
        updateBackoff = sql("""
                UPDATE ${prefix}backoff
                SET failures = ?, blocked_until = ?, locked = ?
                WHERE user_id = ? AND scope = ? AND failures = ? AND blocked_until = ? AND locked = ?""", prefix);
        // A reset keeps the row, with the values of BackoffState.NONE: deleting it would make the next first failure
        // an insert racing the delete, which MySQL and MariaDB resolve by picking deadlock victims.
        resetBackoff = sql("""
                UPDATE ${prefix}backoff
                SET failures = 0, blocked_until = 0, locked = FALSE
                WHERE user_id = ? AND scope = ?""", prefix);

        insertAppPassword = sql("""
                INSERT INTO ${prefix}app_password
                    (id, user_id, name, permissions, password_hash, created_at, last_used_at, lookup_tag)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", prefix);
        findAppPasswords = sql("""
                SELECT id, name, permissions, password_hash, created_at, last_used_at, lookup_tag
                FROM ${prefix}app_password
                WHERE user_id = ?
                ORDER BY created_at, id""", prefix);
        deleteAppPassword = sql("""
                DELETE FROM ${prefix}app_password WHERE user_id = ? AND id = ?""", prefix);
        String recordAppPasswordUseText = """
                UPDATE ${prefix}app_password SET last_used_at = ? WHERE user_id = ? AND id = ?""";
        recordAppPasswordUse = sql(recordAppPasswordUseText, prefix);
        recordAppPasswordUseGated = gated(recordAppPasswordUseText, prefix);
        deleteAllAppPasswords = sql("""
                DELETE FROM ${prefix}app_password WHERE user_id = ?""", prefix);

        insertTrustedDevice = sql("""
                INSERT INTO ${prefix}trusted_device
                    (id, user_id, name, token_hash, created_at, last_used_at, expires_at)
                VALUES (?, ?, ?, ?, ?, NULL, ?)""", prefix);
        // The one statement of a verification: the device by primary key, bound to the user, with whether the
        // second factor is enabled (an active secret) and its backoff, so a device never bypasses a lock.
        findTrustedDeviceForCheck = sql("""
                SELECT d.name, d.token_hash, d.created_at, d.last_used_at, d.expires_at,
                    CASE WHEN c.secret IS NULL THEN 0 ELSE 1 END, b.failures, b.blocked_until, b.locked
                FROM ${prefix}trusted_device d
                LEFT JOIN ${prefix}credential c ON c.user_id = d.user_id
                LEFT JOIN ${prefix}backoff b ON b.user_id = d.user_id AND b.scope = ?
                WHERE d.id = ? AND d.user_id = ?""", prefix);
        findTrustedDevices = sql("""
                SELECT id, name, token_hash, created_at, last_used_at, expires_at
                FROM ${prefix}trusted_device
                WHERE user_id = ?
                ORDER BY created_at, id""", prefix);
        recordTrustedDeviceUse = sql("""
                UPDATE ${prefix}trusted_device SET last_used_at = ? WHERE user_id = ? AND id = ?""", prefix);
        deleteTrustedDevice = sql("""
                DELETE FROM ${prefix}trusted_device WHERE user_id = ? AND id = ?""", prefix);
        deleteAllTrustedDevices = sql("""
                DELETE FROM ${prefix}trusted_device WHERE user_id = ?""", prefix);
        // The purge: at most ? rows, expiry first, found through the expiry index and deleted by primary key.
        // PostgreSQL has no DELETE ... LIMIT, and for an IN subquery it may plan a scan of the whole table (a hash
        // semi-join); the ids as one array keep it to index lookups. MySQL and MariaDB take the LIMIT on the DELETE
        // and refuse it in an IN subquery (error 1235); the key in the order makes the statement deterministic for
        // statement-based replication.
        deleteExpiredTrustedDevices = sql(switch (dialect) {
            case H2 -> """
                    DELETE FROM ${prefix}trusted_device WHERE id IN (
                        SELECT id FROM ${prefix}trusted_device WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)""";
            case POSTGRESQL -> """
                    DELETE FROM ${prefix}trusted_device WHERE id = ANY (ARRAY(
                        SELECT id FROM ${prefix}trusted_device WHERE expires_at <= ? ORDER BY expires_at LIMIT ?))""";
            case MYSQL -> """
                    DELETE FROM ${prefix}trusted_device WHERE expires_at <= ? ORDER BY expires_at, id LIMIT ?""";
        }, prefix);

        findEnrolmentRequired = sql("""
                SELECT 1 FROM ${prefix}enrolment_required WHERE user_id = ?""", prefix);
        insertEnrolmentRequired = sql("""
                INSERT INTO ${prefix}enrolment_required (user_id, recorded_at) VALUES (?, ?)""", prefix);
        loadPolicy = sql("""
                SELECT policy_level, grace_period_ms, effective_from FROM ${prefix}policy WHERE id = 1""", prefix);
        savePolicy = sql(switch (dialect) {
            case H2 -> """
                    MERGE INTO ${prefix}policy (id, policy_level, grace_period_ms, effective_from)
                    KEY (id)
                    VALUES (1, ?, ?, ?)""";
            case POSTGRESQL -> """
                    INSERT INTO ${prefix}policy (id, policy_level, grace_period_ms, effective_from)
                    VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        policy_level = EXCLUDED.policy_level,
                        grace_period_ms = EXCLUDED.grace_period_ms,
                        effective_from = EXCLUDED.effective_from""";
            case MYSQL -> """
                    INSERT INTO ${prefix}policy (id, policy_level, grace_period_ms, effective_from)
                    VALUES (1, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE
                        policy_level = VALUES(policy_level),
                        grace_period_ms = VALUES(grace_period_ms),
                        effective_from = VALUES(effective_from)""";
        }, prefix);
    }

    /**
     * @param dialect the database
     * @param prefix a validated table prefix
     * @return the statements
     */
    public static Statements of(JdbcDialect dialect, String prefix) {
        return new Statements(dialect, TablePrefix.validate(prefix));
    }

    /** A bare parameter has no type in a select list on H2 and PostgreSQL; MySQL compares it as bytes anyway. */
    private static String userIdParameter(JdbcDialect dialect) {
        return dialect == JdbcDialect.MYSQL ? "?" : "CAST(? AS VARCHAR(255))";
    }

    private static Gated gated(String text, String prefix) {
        return new Gated(sql(text + GATE_NONE, prefix), sql(text + GATE_STATE, prefix));
    }

    private static String sql(String text, String prefix) {
        return TablePrefix.apply(text, prefix);
    }
}
