package dev.twofactor.jdbc;

import static dev.twofactor.jdbc.internal.Arguments.checkUserId;
import static dev.twofactor.jdbc.internal.Arguments.requireGate;

import dev.twofactor.OrganisationPolicy;
import dev.twofactor.UserContext;
import dev.twofactor.jdbc.internal.AppPasswordTable;
import dev.twofactor.jdbc.internal.BackoffTable;
import dev.twofactor.jdbc.internal.CredentialTable;
import dev.twofactor.jdbc.internal.Jdbc;
import dev.twofactor.jdbc.internal.PolicyTable;
import dev.twofactor.jdbc.internal.RecoveryCodeTable;
import dev.twofactor.jdbc.internal.Statements;
import dev.twofactor.jdbc.internal.TablePrefix;
import dev.twofactor.jdbc.internal.TrustedDeviceTable;
import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The twofactor store over a relational database: every storage SPI interface over any {@link DataSource} (a pool
 * such as HikariCP in production), on H2, PostgreSQL, MySQL or MariaDB. Several application nodes sharing the
 * database behave as one: replay protection, single-use recovery codes and backoff state hold across nodes.
 *
 * <pre>{@code
 * TwoFactorStore store = JdbcTwoFactorStore.builder(dataSource)
 *         .tablePrefix("tf_")               // the default
 *         .build();                          // dialect detected from the connection
 * }</pre>
 *
 * <p><b>Tables.</b> Create them with the scripts shipped in this jar ({@link JdbcDialect#createScriptResource()},
 * through Flyway, Liquibase or by hand), with {@link JdbcSchema#create}, or with
 * {@link Builder#createSchemaIfMissing(boolean)}. Times are epoch milliseconds, secrets binary with their key id.
 *
 * <p><b>Atomicity.</b> Each duty of the SPI is one conditional statement or one short transaction, never a read
 * followed by a write:
 * <ul>
 *   <li>replay: {@code UPDATE ... SET last_used_step = ? WHERE user_id = ? AND secret IS NOT NULL
 *       AND last_used_step < ?};</li>
 *   <li>activation, confirmation, removal of a pending secret, key rotation: {@code UPDATE}s conditional on the
 *       pending id or on the expected sealed secret;</li>
 *   <li>single use of a recovery code: {@code UPDATE ... SET used_at = ? WHERE id = ? AND user_id = ?
 *       AND used_at IS NULL};</li>
 *   <li>regenerate ({@link #replaceAll}) and rotate-on-use ({@link #consumeAndReplace}): one READ COMMITTED
 *       transaction that first writes the user's row in {@code recovery_code_set} (which serialises concurrent
 *       replacements of one user's set), then deletes the old set and inserts the new one in one batch; any failure
 *       rolls back and leaves the old set intact;</li>
 *   <li>backoff compare-and-set: an {@code UPDATE} conditional on all three fields, per user and
 *       {@link BackoffScope}, followed, for the first failure in that scope, by an {@code INSERT} (a duplicate key
 *       means another node counted first: false); a reset writes the values of {@link BackoffState#NONE} and keeps
 *       the row;</li>
 *   <li>the gate: each accepting statement above, in its gated form, carries the backoff state the check read as one
 *       more condition ({@code AND EXISTS} the row with exactly that state, or {@code AND NOT EXISTS} a row other
 *       than {@code NONE}), so accept and gate are one statement;</li>
 *   <li>app password use: {@code UPDATE ... WHERE user_id = ? AND id = ?}, so a revoked one is never used;</li>
 *   <li>removal of the second factor ({@link #removeSecondFactor}): the credential, recovery-code, app-password and
 *       trusted-device {@code DELETE}s in one READ COMMITTED transaction; any failure rolls back and leaves all
 *       four;</li>
 *   <li>trusted devices ({@link TrustedDeviceStore}): a verification is one {@code SELECT} of the device by primary
 *       key and user id, {@code LEFT JOIN}ed with the credential and the second-factor backoff, so a lock is seen in
 *       the same read; revocation is a {@code DELETE}, seen by every later read on every node (nothing is
 *       cached); the purge of expired devices is one {@code DELETE} bounded by the batch size (a sub-select with
 *       {@code LIMIT} on H2 and PostgreSQL, {@code DELETE ... ORDER BY ... LIMIT} on MySQL and MariaDB) over the
 *       index on {@code expires_at}, so a large purge never holds one long transaction.</li>
 * </ul>
 *
 * <p><b>Statements per call</b> (round trips that carry SQL; a batch counts once; connection checkout and transaction
 * control not included): {@link #findCredentialWithBackoff} 1 (one {@code LEFT JOIN} of credential and backoff); {@link
 * #advanceLastUsedStep}, {@link #markUsed}, {@link #activatePending}, {@link #markPendingConfirmed}, {@link
 * #savePending}, {@link #recordUse}, {@link #resetBackoff} and every read 1, gated or not; {@link #compareAndSet} 1, or
 * 2 for the first failure in a scope (update, then insert); {@link #deletePending} 1, or 2 while an active secret
 * stays; {@link #replaceAll} 3 in one transaction (lock row, delete, batch insert); {@link #consumeAndReplace} 4 in one
 * transaction (2 when the code was already used); {@link #removeSecondFactor} 4 in one transaction;
 * {@link #findTrustedDeviceForCheck} 1; {@link #deleteExpiredTrustedDevices} 1 per batch. Under {@code
 * TwoFactorService} that makes: a successful sign-in 2 statements (the read and the gated replay update; 3 when it
 * also clears earlier failures), a failed sign-in 2 (3 for a user's first failure ever), a recovery-code redemption
 * 4, a regeneration 4 (6 when it revokes the trusted devices: their list and one {@code DELETE}), starting an
 * enrolment 2 and confirming it 5, recognising a trusted device 1 (2 when its last use, kept to the hour, is
 * recorded).
 *
 * <p><b>Connections.</b> Each call takes one connection from the data source and closes it before returning; a
 * sign-in check ({@link #runCheck}) takes one for its read and its update together. A connection with auto-commit
 * off is committed by the store (rolled back on failure); do not hand the store a data source bound to a surrounding
 * transaction. Transactions run at READ COMMITTED and hand the connection back with its auto-commit and isolation
 * level as they were. A statement or transaction that the database rolls back as a deadlock or serialisation victim
 * (SQLState 40001 or 40P01) runs again, up to 3 times in all. On MySQL and MariaDB, keep the drivers' default of
 * reporting <em>found</em> rows (do not set {@code useAffectedRows=true}): the store reads update counts as "the
 * row matched"; and keep strict SQL mode (the default since MySQL 5.7 and MariaDB 10.2.4), so that an over-long
 * value fails instead of being truncated. User ids longer than {@value #MAX_USER_ID_LENGTH} characters are
 * refused with an {@link IllegalArgumentException}.
 *
 * <p>Thread-safe and immutable; build one per data source and share it. Every {@link SQLException} is thrown as a
 * {@link StorageException} that keeps it as the cause, with its SQLState; messages never hold secrets or codes. SQL
 * is never built from input: values are bind parameters, and the only spliced text is the validated table prefix.
 */
public final class JdbcTwoFactorStore implements TwoFactorStore, TrustedDeviceStore {

    /** The default table prefix, {@value}. */
    public static final String DEFAULT_TABLE_PREFIX = "tf_";

    /**
     * The longest user id the tables hold, in characters. Longer ids are refused before any SQL runs: a database that
     * truncated them instead of failing (MySQL without strict mode) would make two users share one record. The
     * service's own limit ({@link UserContext#MAX_USER_ID_LENGTH}), which the column widths of the shipped scripts
     * match.
     */
    public static final int MAX_USER_ID_LENGTH = UserContext.MAX_USER_ID_LENGTH;

    private final JdbcDialect dialect;
    private final String tablePrefix;
    private final CredentialTable credentials;
    private final RecoveryCodeTable recoveryCodes;
    private final BackoffTable backoffs;
    private final AppPasswordTable appPasswords;
    private final PolicyTable policies;
    private final TrustedDeviceTable devices;
    private final Jdbc jdbc;

    private JdbcTwoFactorStore(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {
        this.dialect = dialect;
        this.tablePrefix = tablePrefix;
        Statements sql = Statements.of(dialect, tablePrefix);
        this.jdbc = new Jdbc(dataSource, dialect);
        this.credentials = new CredentialTable(jdbc, sql);
        this.recoveryCodes = new RecoveryCodeTable(jdbc, sql);
        this.backoffs = new BackoffTable(jdbc, sql);
        this.appPasswords = new AppPasswordTable(jdbc, sql);
        this.policies = new PolicyTable(jdbc, sql);
        this.devices = new TrustedDeviceTable(jdbc, sql);
    }

    /**
     * @param dataSource where connections come from; a pool in production
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * @return the database dialect in use
     */
    public JdbcDialect dialect() {
        return dialect;
    }

    /**
     * @return the table prefix in use
     */
    public String tablePrefix() {
        return tablePrefix;
    }

    @Override
    public String toString() {
        return "JdbcTwoFactorStore[dialect=" + dialect + ", tablePrefix=" + tablePrefix + "]";
    }

    // ================================================================ credentials

    @Override
    public Optional<Credential> findCredential(String userId) {
        return credentials.find(checkUserId(userId));
    }

    /**
     * Reads the credential and the backoff state in one statement (a {@code LEFT JOIN} of both tables on the user id).
     */
    @Override
    public CredentialWithBackoff findCredentialWithBackoff(String userId) {
        return credentials.findWithBackoff(checkUserId(userId));
    }

    /** One connection for the whole check, shared by its read and its gated update; each statement commits alone. */
    @Override
    public <T> T runCheck(Supplier<T> check) {
        return jdbc.onOneConnection("Could not take a connection for the check", check);
    }

    /** One statement: an upsert (H2 {@code MERGE}, PostgreSQL {@code ON CONFLICT}, MySQL {@code ON DUPLICATE KEY}). */
    @Override
    public void savePending(String userId, PendingEnrolment pending) {
        credentials.savePending(checkUserId(userId), Objects.requireNonNull(pending, "pending"));
    }

    /** One statement when the user has no active secret (the row goes), otherwise two (the pending columns clear). */
    @Override
    public boolean deletePending(String userId, String pendingId) {
        return credentials.deletePending(checkUserId(userId), Objects.requireNonNull(pendingId, "pendingId"));
    }

    @Override
    public boolean markPendingConfirmed(String userId, String pendingId, long step) {
        return credentials.markPendingConfirmed(checkUserId(userId), pendingId, step, null);
    }

    @Override
    public boolean markPendingConfirmed(String userId, String pendingId, long step, BackoffState gate) {
        return credentials.markPendingConfirmed(checkUserId(userId), pendingId, step, requireGate(gate));
    }

    @Override
    public boolean activatePending(String userId, String pendingId, long step, Instant enabledAt) {
        return credentials.activatePending(checkUserId(userId), pendingId, step, enabledAt, null);
    }

    @Override
    public boolean activatePending(String userId, String pendingId, long step, Instant enabledAt, BackoffState gate) {
        return credentials.activatePending(checkUserId(userId), pendingId, step, enabledAt, requireGate(gate));
    }

    /** One conditional {@code UPDATE}: the replay compare-and-set. */
    @Override
    public boolean advanceLastUsedStep(String userId, long step) {
        return credentials.advanceLastUsedStep(checkUserId(userId), step, null);
    }

    /** One conditional {@code UPDATE}: the replay compare-and-set, carrying the gate. */
    @Override
    public boolean advanceLastUsedStep(String userId, long step, BackoffState gate) {
        return credentials.advanceLastUsedStep(checkUserId(userId), step, requireGate(gate));
    }

    @Override
    public boolean deleteCredential(String userId) {
        return credentials.delete(checkUserId(userId));
    }

    @Override
    public boolean replaceSecret(String userId, EncryptedSecret expected, EncryptedSecret replacement) {
        checkUserId(userId);
        return credentials.replaceSecret(userId, expected, replacement);
    }

    /** One statement: the {@code UNION} of the distinct active and pending key ids. */
    @Override
    public Set<String> findKeyIds() {
        return credentials.findKeyIds();
    }

    @Override
    public List<String> findUsersWithSecretNotSealedBy(String keyId, int limit) {
        return credentials.findUsersWithSecretNotSealedBy(keyId, limit);
    }

    // ================================================================ recovery codes

    /** One transaction of 3 statements: lock the user's set, delete the old codes, insert the new ones (a batch). */
    @Override
    public void replaceAll(String userId, List<StoredRecoveryCode> codes) {
        recoveryCodes.replaceAll(checkUserId(userId), codes);
    }

    @Override
    public List<StoredRecoveryCode> findUnused(String userId) {
        return recoveryCodes.findUnused(checkUserId(userId));
    }

    /** One conditional {@code UPDATE}: the single-use consume. */
    @Override
    public boolean markUsed(String userId, String codeId, Instant usedAt) {
        return recoveryCodes.markUsed(checkUserId(userId), codeId, usedAt, null);
    }

    /** One conditional {@code UPDATE}: the single-use consume, under the gate. */
    @Override
    public boolean markUsed(String userId, String codeId, Instant usedAt, BackoffState gate) {
        return recoveryCodes.markUsed(checkUserId(userId), codeId, usedAt, requireGate(gate));
    }

    /** One transaction of 4 statements: lock the set, consume the code (or roll back), delete, insert (a batch). */
    @Override
    public boolean consumeAndReplace(String userId, String codeId, Instant usedAt,
                                     List<StoredRecoveryCode> replacement) {
        return recoveryCodes.consumeAndReplace(checkUserId(userId), codeId, usedAt, replacement, null);
    }

    /** As {@link #consumeAndReplace(String, String, Instant, List)}, the consume under the gate. */
    @Override
    public boolean consumeAndReplace(String userId, String codeId, Instant usedAt,
                                     List<StoredRecoveryCode> replacement, BackoffState gate) {
        return recoveryCodes.consumeAndReplace(checkUserId(userId), codeId, usedAt, replacement,
                requireGate(gate));
    }

    @Override
    public int countUnused(String userId) {
        return recoveryCodes.countUnused(checkUserId(userId));
    }

    @Override
    public void deleteAll(String userId) {
        recoveryCodes.deleteAll(checkUserId(userId));
    }

    // ================================================================ backoff

    @Override
    public BackoffState findBackoff(String userId, BackoffScope scope) {
        return backoffs.find(checkUserId(userId), scope);
    }

    /** One conditional {@code UPDATE}, or for the first failure in that scope an {@code INSERT} after it. */
    @Override
    public boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected, BackoffState next) {
        return backoffs.compareAndSet(checkUserId(userId), scope, expected, next);
    }

    /** One {@code UPDATE} back to the values of {@link BackoffState#NONE}; the row stays for the next failure. */
    @Override
    public void resetBackoff(String userId, BackoffScope scope) {
        backoffs.reset(checkUserId(userId), scope);
    }

    // ================================================================ app passwords

    @Override
    public void insertAppPassword(AppPasswordRecord record) {
        Objects.requireNonNull(record, "record");
        checkUserId(record.userId());
        appPasswords.insert(record);
    }

    @Override
    public List<AppPasswordRecord> findAppPasswords(String userId) {
        return appPasswords.find(checkUserId(userId));
    }

    @Override
    public boolean deleteAppPassword(String userId, String id) {
        return appPasswords.delete(checkUserId(userId), id);
    }

    /** One {@code UPDATE} of the row if it still exists: a revoked app password is never used. */
    @Override
    public boolean recordUse(String userId, String id, Instant usedAt) {
        return appPasswords.recordUse(checkUserId(userId), id, usedAt, null);
    }

    /** As {@link #recordUse(String, String, Instant)}, under the app-password gate. */
    @Override
    public boolean recordUse(String userId, String id, Instant usedAt, BackoffState gate) {
        return appPasswords.recordUse(checkUserId(userId), id, usedAt, requireGate(gate));
    }

    @Override
    public void deleteAllAppPasswords(String userId) {
        appPasswords.deleteAll(checkUserId(userId));
    }

    /** Four {@code DELETE}s (credential, recovery codes, app passwords, trusted devices) in one transaction. */
    @Override
    public boolean removeSecondFactor(String userId) {
        return credentials.removeSecondFactor(checkUserId(userId));
    }

    // ================================================================ trusted devices

    @Override
    public void insertTrustedDevice(TrustedDeviceRecord record) {
        checkUserId(Objects.requireNonNull(record, "record").userId());
        devices.insert(record);
    }

    /** One {@code SELECT}: the device by primary key and user, joined with the credential and the backoff. */
    @Override
    public Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId) {
        return devices.findForCheck(checkUserId(userId), deviceId);
    }

    @Override
    public List<TrustedDeviceRecord> findTrustedDevices(String userId) {
        return devices.find(checkUserId(userId));
    }

    @Override
    public boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt) {
        return devices.recordUse(checkUserId(userId), deviceId, usedAt);
    }

    @Override
    public boolean deleteTrustedDevice(String userId, String deviceId) {
        return devices.delete(checkUserId(userId), deviceId);
    }

    @Override
    public int deleteAllTrustedDevices(String userId) {
        return devices.deleteAll(checkUserId(userId));
    }

    /** One bounded {@code DELETE} of at most {@code limit} expired devices, oldest expiry first. */
    @Override
    public int deleteExpiredTrustedDevices(Instant expiredAt, int limit) {
        return devices.deleteExpired(expiredAt, limit);
    }

    // ================================================================ policy

    @Override
    public OrganisationPolicy loadPolicy() {
        return policies.load();
    }

    /** One upsert of the single policy row; the grace period is kept in whole milliseconds. */
    @Override
    public void savePolicy(OrganisationPolicy policy) {
        policies.save(Objects.requireNonNull(policy, "policy"));
    }

    /**
     * A read, and only if there is no row yet the insert, which the primary key decides among concurrent callers (a
     * duplicate key answers {@code false}): the common case, a user already recorded, costs one {@code SELECT}.
     */
    @Override
    public boolean recordEnrolmentRequired(String userId, Instant at) {
        checkUserId(userId);
        return policies.recordEnrolmentRequired(userId, Objects.requireNonNull(at, "at"));
    }

    /**
     * Builds a {@link JdbcTwoFactorStore}. Defaults: dialect detected from the connection's
     * {@link java.sql.DatabaseMetaData}, table prefix {@value JdbcTwoFactorStore#DEFAULT_TABLE_PREFIX}, tables not
     * created.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private JdbcDialect dialect;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean createSchemaIfMissing;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * @param dialect the database; default: detected from the connection ({@link JdbcDialect#detect})
         * @return this builder
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * @param tablePrefix prepended to every table and index name; {@code [A-Za-z_][A-Za-z0-9_]*}, at most 32
         *                    characters; default {@value JdbcTwoFactorStore#DEFAULT_TABLE_PREFIX}
         * @return this builder
         * @throws IllegalArgumentException if the prefix is not of that form (it is spliced into SQL)
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = TablePrefix.validate(tablePrefix);
            return this;
        }

        /**
         * @param create whether {@link #build()} runs the dialect's create script, whose statements all say
         *               {@code IF NOT EXISTS}: for an embedded database or a quick start. Default {@code false}: a
         *               production schema is better managed by Flyway or Liquibase with the shipped scripts.
         * @return this builder
         */
        public Builder createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return this;
        }

        /**
         * @return the store
         * @throws StorageException if the dialect had to be detected, or the schema created, and the database failed
         * @throws IllegalArgumentException if the detected database is not supported
         */
        public JdbcTwoFactorStore build() {
            JdbcDialect resolved = dialect != null ? dialect : JdbcDialect.detect(dataSource);
            if (createSchemaIfMissing) {
                JdbcSchema.create(dataSource, resolved, tablePrefix);
            }
            return new JdbcTwoFactorStore(dataSource, resolved, tablePrefix);
        }
    }
}
