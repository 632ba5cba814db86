package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.KeyRing;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.spi.contract.TwoFactorStoreContract;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Everything the JDBC store is tested with, written once for every database: the core contract kit (inherited from
 * {@link TwoFactorStoreContract}), the statement counts ({@link StatementCountScenarios}), connection deaths in the
 * middle of a transaction ({@link ConnectionDeathScenarios}), the store under the service ({@link ServiceScenarios}),
 * one connection per sign-in check ({@link CheckConnectionScenarios}),
 * faults ({@link FaultScenarios}), a slow database ({@link SlowDatabaseScenarios}) and schema handling. One thin
 * subclass per database names the {@link TestDatabase}; each group runs as a nested class of it, on its tables.
 *
 * <p>Each test class works in its own tables (a random prefix), created before its first test and dropped after its
 * last, so parallel and repeated builds never meet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcIntegrationSuite extends TwoFactorStoreContract {

    private static final List<String> TABLES = List.of("credential", "recovery_code", "recovery_code_set",
            "backoff", "app_password", "policy", "enrolment_required", "trusted_device");

    private String url;
    private String unreachable;
    private String prefix;
    private HikariDataSource pool;

    /**
     * @return the database this class runs on
     */
    abstract TestDatabase database();

    @BeforeAll
    void openDatabase() {
        url = database().url("twofactor_" + UUID.randomUUID().toString().replace("-", ""));
        unreachable = database().unreachable(url);
        if (unreachable != null) {
            System.err.println("WARNING: " + unreachable);
            return;
        }
        prefix = TestDatabase.uniquePrefix();
        pool = database().pool(url, "twofactor-" + database().name().toLowerCase() + "-a");
        JdbcSchema.create(pool, database().dialect(), prefix);
    }

    /** Skips every test, each with the reason, so that the build report counts them as skipped. */
    @BeforeEach
    void skipWhenUnreachable() {
        Assumptions.assumeTrue(unreachable == null, unreachable);
    }

    @AfterAll
    void dropTables() {
        if (pool == null) {
            return;
        }
        try {
            JdbcSchema.drop(pool, database().dialect(), prefix);
        } finally {
            pool.close();
        }
    }

    @Override
    protected TwoFactorStore createStore() {
        emptyTables();
        return newStore(pool);
    }

    /** The JDBC URL of the database under test. */
    String url() {
        return url;
    }

    /** The table prefix of this class. */
    String prefix() {
        return prefix;
    }

    /** The pool of this class. */
    DataSource pool() {
        return pool;
    }

    /**
     * A pool of one connection on the database under test, for scenarios about connections.
     *
     * @param name          the pool's name
     * @param timeoutMillis how long a caller waits for the connection before the pool gives up
     * @return the pool, to be closed by the caller
     */
    HikariDataSource poolOfOne(String name, long timeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(name);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(timeoutMillis);
        return new HikariDataSource(config);
    }

    /** A store over {@code dataSource} on this class's tables. */
    JdbcTwoFactorStore newStore(DataSource dataSource) {
        return JdbcTwoFactorStore.builder(dataSource).dialect(database().dialect()).tablePrefix(prefix).build();
    }

    /**
     * The service a scenario runs over a store of {@code dataSource} on this class's tables: a fixed test key, the
     * given clock, a fast hasher, no listener; the scenario sets what else it needs.
     */
    TwoFactorService.Builder serviceBuilder(DataSource dataSource, Clock clock) {
        return TwoFactorService.builder()
                .issuer("ACME Corp")
                .store(newStore(dataSource))
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                .clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .listener(TwoFactorListener.NONE);
    }

    void emptyTables() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.executeUpdate("DELETE FROM " + prefix + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not empty the test tables", e);
        }
    }

    /** A sealed secret's stand-in: 48 fixed bytes under key id {@code k1}. */
    static EncryptedSecret secret() {
        byte[] bytes = new byte[48];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37);
        }
        return new EncryptedSecret("k1", bytes);
    }

    /** {@code count} recovery codes with random ids and hashes. */
    static List<StoredRecoveryCode> codes(int count) {
        List<StoredRecoveryCode> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(new StoredRecoveryCode(UUID.randomUUID().toString(), "hash-" + UUID.randomUUID()));
        }
        return codes;
    }

    /** The time of the stored records. */
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00.250Z");

    /**
     * Statements per store call, counted by a wrapper of the pool: a fixed property of the implementation (how many
     * round trips each call costs), not a timing. Also checks that every connection and statement is closed.
     */
    @Nested
    class StatementCounts extends StatementCountScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /**
     * The connection dies in the middle of a recovery-code replacement: the call fails with a
     * {@link StorageException} that keeps the SQLState, nothing is left open, the old set still works and no code of
     * the new set exists.
     */
    @Nested
    class ConnectionDeath extends ConnectionDeathScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /** Two service nodes on this database, service round trips, and a regenerate whose connection dies. */
    @Nested
    class Service extends ServiceScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /** One connection per sign-in check (CheckConnectionScenarios). */
    @Nested
    class CheckConnection extends CheckConnectionScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /** A fault at each step of every multi-step service operation (FaultScenarios). */
    @Nested
    class Faults extends FaultScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /** A slow statement and an exhausted pool (SlowDatabaseScenarios). */
    @Nested
    class SlowDatabase extends SlowDatabaseScenarios {
        @Override
        JdbcIntegrationSuite suite() {
            return JdbcIntegrationSuite.this;
        }
    }

    /** Dialect detection, prefixes and the schema scripts on this database. */
    @Nested
    class Schema {

        @Test
        void dialectIsDetectedFromTheConnection() {
            assertThat(JdbcDialect.detect(pool)).isEqualTo(database().dialect());
            JdbcTwoFactorStore store = JdbcTwoFactorStore.builder(pool).tablePrefix(prefix).build();
            assertThat(store.dialect()).isEqualTo(database().dialect());
            assertThat(store.tablePrefix()).isEqualTo(prefix);
        }

        @Test
        void createSchemaIfMissingCreatesTablesOnceAndTablePrefixesKeepStoresApart() {
            String otherPrefix = TestDatabase.uniquePrefix();
            try {
                JdbcTwoFactorStore other = JdbcTwoFactorStore.builder(pool).tablePrefix(otherPrefix)
                        .createSchemaIfMissing(true).build();
                JdbcTwoFactorStore again = JdbcTwoFactorStore.builder(pool).tablePrefix(otherPrefix)
                        .createSchemaIfMissing(true).build();
                emptyTables();
                JdbcTwoFactorStore mine = newStore(pool);
                other.replaceAll("alice", codes(8));

                assertThat(again.countUnused("alice")).isEqualTo(8);
                assertThat(mine.countUnused("alice")).isZero();
            } finally {
                JdbcSchema.drop(pool, database().dialect(), otherPrefix);
            }
        }

        @Test
        void dropRemovesTheTables() {
            String otherPrefix = TestDatabase.uniquePrefix();
            JdbcSchema.create(pool, database().dialect(), otherPrefix);
            JdbcTwoFactorStore other = newStoreWithPrefix(otherPrefix);
            other.savePolicy(OrganisationPolicy.NONE);

            JdbcSchema.drop(pool, database().dialect(), otherPrefix);
            JdbcSchema.drop(pool, database().dialect(), otherPrefix);

            assertThatThrownBy(other::loadPolicy)
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.sqlState()).startsWith("42"));
        }

        private JdbcTwoFactorStore newStoreWithPrefix(String tablePrefix) {
            return JdbcTwoFactorStore.builder(pool).dialect(database().dialect()).tablePrefix(tablePrefix).build();
        }

        @Test
        void storeCommitsItsWorkOnAPoolWithAutoCommitOff() {
            emptyTables();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setAutoCommit(false);
            config.setMaximumPoolSize(2);
            try (HikariDataSource manual = new HikariDataSource(config)) {
                JdbcTwoFactorStore store = newStore(manual);
                PendingEnrolment pending = new PendingEnrolment("p1", secret(), T0, T0.plusSeconds(600), -1);
                store.savePending("alice", pending);
                store.activatePending("alice", "p1", 7, T0);
                store.advanceLastUsedStep("alice", 8);
                List<StoredRecoveryCode> codes = codes(8);
                store.replaceAll("alice", codes);
                store.markUsed("alice", codes.get(0).id(), T0);
                store.compareAndSet("alice", BackoffState.NONE, new BackoffState(1, T0, false));
                assertThat(store.compareAndSet("alice", BackoffState.NONE, new BackoffState(1, T0, false))).isFalse();

                JdbcTwoFactorStore other = newStore(pool);
                assertThat(other.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(8);
                assertThat(other.countUnused("alice")).isEqualTo(7);
                assertThat(other.findBackoff("alice").failures()).isEqualTo(1);
            }
        }

        @Test
        void tablesAndIndexesAllCarryThePrefix() throws SQLException {
            Set<String> tables = new TreeSet<>();
            try (Connection connection = pool.getConnection();
                 ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (name.startsWith(prefix)) {
                        tables.add(name.substring(prefix.length()));
                    }
                }
            }
            assertThat(tables).containsExactlyInAnyOrderElementsOf(TABLES);
        }

        /** The purge of expired trusted devices finds them through an index whose first column is the expiry. */
        @Test
        void theExpiryOfTrustedDevicesIsIndexedForThePurge() throws SQLException {
            Map<String, String> firstColumns = new TreeMap<>();
            try (Connection connection = pool.getConnection()) {
                DatabaseMetaData metaData = connection.getMetaData();
                String table = prefix + "trusted_device";
                table = metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rows = metaData.getIndexInfo(connection.getCatalog(), null, table, false, false)) {
                    while (rows.next()) {
                        if (rows.getShort("ORDINAL_POSITION") == 1 && rows.getString("INDEX_NAME") != null) {
                            firstColumns.put(rows.getString("INDEX_NAME").toLowerCase(Locale.ROOT),
                                    rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            assertThat(firstColumns).containsEntry(prefix + "trusted_device_expires_idx", "expires_at");
        }
    }
}
