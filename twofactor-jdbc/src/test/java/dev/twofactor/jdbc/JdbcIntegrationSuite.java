package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.spi.contract.TwoFactorStoreContract;
import dev.twofactor.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything the JDBC store is tested with, written once for every database: the core contract kit (inherited from
 * {@link TwoFactorStoreContract}), the statement counts, connection deaths in the middle of a transaction, schema
 * handling, and two service nodes sharing the database ({@link TwoNodeScenarios}). One thin subclass per database
 * names the {@link TestDatabase}.
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

    /** A store over {@code dataSource} on this class's tables. */
    JdbcTwoFactorStore newStore(DataSource dataSource) {
        return JdbcTwoFactorStore.builder(dataSource).dialect(database().dialect()).tablePrefix(prefix).build();
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

    private static EncryptedSecret secret() {
        byte[] bytes = new byte[48];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37);
        }
        return new EncryptedSecret("k1", bytes);
    }

    private static List<StoredRecoveryCode> codes(int count) {
        List<StoredRecoveryCode> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(new StoredRecoveryCode(UUID.randomUUID().toString(), "hash-" + UUID.randomUUID()));
        }
        return codes;
    }

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00.250Z");

    /**
     * Statements per store call, counted by a wrapper of the pool: a fixed property of the implementation (how many
     * round trips each call costs), not a timing. Also checks that every connection and statement is closed.
     */
    @Nested
    class StatementCounts {

        private InstrumentedDataSource counting;
        private JdbcTwoFactorStore store;
        private String userId;

        @BeforeEach
        void setUp() {
            emptyTables();
            counting = new InstrumentedDataSource(pool);
            store = newStore(counting);
            userId = "user-" + UUID.randomUUID();
        }

        private int statements(Runnable operation) {
            counting.reset();
            operation.run();
            assertThat(counting.openConnections()).as("connections left open").isZero();
            assertThat(counting.openStatements()).as("statements left open").isZero();
            return counting.executions();
        }

        private void enable() {
            PendingEnrolment pending = new PendingEnrolment("p-" + UUID.randomUUID(), secret(), T0,
                    T0.plusSeconds(600), PendingEnrolment.UNCONFIRMED);
            store.savePending(userId, pending);
            store.activatePending(userId, pending.id(), 100, T0);
        }

        @Test
        void signInReadIsOneStatementEvenWithBackoffAndPendingChange() {
            enable();
            store.savePending(userId, new PendingEnrolment("p2", secret(), T0, T0.plusSeconds(600), -1));
            store.compareAndSet(userId, BackoffState.NONE, new BackoffState(1, T0, false));
            CredentialWithBackoff[] read = new CredentialWithBackoff[1];

            assertThat(statements(() -> read[0] = store.findCredentialWithBackoff(userId))).isEqualTo(1);

            assertThat(read[0].credential().enabled()).isTrue();
            assertThat(read[0].credential().pending().id()).isEqualTo("p2");
            assertThat(read[0].backoff().failures()).isEqualTo(1);
        }

        @Test
        void successfulSignInIsTwoStatements() {
            enable();

            int count = statements(() -> {
                CredentialWithBackoff read = store.findCredentialWithBackoff(userId);
                assertThat(store.advanceLastUsedStep(userId, read.credential().lastUsedStep() + 1)).isTrue();
            });

            assertThat(count).isEqualTo(2);
            assertThat(counting.executed().get(1)).startsWith("UPDATE " + prefix + "credential SET last_used_step");
        }

        @Test
        void successfulSignInThroughTheServiceIsTwoStatementsWithTheGateInTheReplayUpdate() {
            MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
            TwoFactorService service = TwoFactorService.builder().issuer("Counts").store(store).clock(clock)
                    .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                    .hasher(SecretHasher.pbkdf2(1000)).build();
            Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(userId, "me")).value();
            Totp totp = Totp.defaults();
            assertThat(service.confirmEnrolment(userId, totp.generateAt(enrolment.secret(), clock.instant()))
                    .succeeded()).isTrue();
            clock.advance(Duration.ofSeconds(30));

            int count = statements(() -> assertThat(service.verifyCode(userId,
                    totp.generateAt(enrolment.secret(), clock.instant())).succeeded()).isTrue());

            assertThat(count).isEqualTo(2);
            assertThat(counting.executed().get(1)).startsWith("UPDATE " + prefix + "credential SET last_used_step")
                    .contains("NOT EXISTS (SELECT 1 FROM " + prefix + "backoff b");
        }

        @Test
        void failedSignInIsTwoStatementsExceptTheUsersFirstFailureEver() {
            enable();

            assertThat(statements(() -> {
                store.findCredentialWithBackoff(userId);
                assertThat(store.compareAndSet(userId, BackoffState.NONE, new BackoffState(1, T0, false))).isTrue();
            })).as("first failure ever: read + update (no row) + insert").isEqualTo(3);
            assertThat(statements(() -> {
                BackoffState seen = store.findCredentialWithBackoff(userId).backoff();
                assertThat(store.compareAndSet(userId, seen, new BackoffState(2, T0.plusSeconds(1), false))).isTrue();
            })).as("later failure: read + conditional update").isEqualTo(2);
            assertThat(statements(() -> store.resetBackoff(userId))).as("reset").isEqualTo(1);
            assertThat(statements(() -> {
                BackoffState seen = store.findCredentialWithBackoff(userId).backoff();
                assertThat(seen).isEqualTo(BackoffState.NONE);
                assertThat(store.compareAndSet(userId, seen, new BackoffState(1, T0.plusSeconds(9), false))).isTrue();
            })).as("failure after a reset: read + conditional update").isEqualTo(2);
        }

        @Test
        void compareAndSetFromNoneWhenAnotherNodeCountedFirstIsTwoStatementsAndFalse() {
            store.compareAndSet(userId, BackoffState.NONE, new BackoffState(1, T0, false));

            assertThat(statements(() -> assertThat(store.compareAndSet(userId, BackoffState.NONE,
                    new BackoffState(1, T0.plusMillis(5), false))).isFalse())).isEqualTo(2);
        }

        @Test
        void recoveryCodeRedemptionIsOneStatementPerStep() {
            List<StoredRecoveryCode> codes = codes(8);
            store.replaceAll(userId, codes);

            assertThat(statements(() -> assertThat(store.findUnused(userId)).hasSize(8))).isEqualTo(1);
            assertThat(statements(() -> assertThat(store.markUsed(userId, codes.get(0).id(), T0)).isTrue()))
                    .isEqualTo(1);
            assertThat(statements(() -> assertThat(store.countUnused(userId)).isEqualTo(7))).isEqualTo(1);
        }

        @Test
        void removeSecondFactorIsFourStatementsInOneTransactionAndTakesTheTrustedDevices() {
            enable();
            store.insertTrustedDevice(new dev.twofactor.spi.TrustedDeviceRecord("d-" + UUID.randomUUID(), userId,
                    "Firefox on Linux", "hash", T0, null, T0.plusSeconds(600)));

            assertThat(statements(() -> assertThat(store.removeSecondFactor(userId)).isTrue())).isEqualTo(4);

            assertThat(counting.executed()).last().asString()
                    .startsWith("DELETE FROM " + prefix + "trusted_device WHERE user_id");
            assertThat(store.findTrustedDevices(userId)).isEmpty();
        }

        @Test
        void trustedDeviceCheckIsOneStatement() {
            enable();
            dev.twofactor.spi.TrustedDeviceRecord device = new dev.twofactor.spi.TrustedDeviceRecord(
                    "d-" + UUID.randomUUID(), userId, "Firefox on Linux", "hash", T0, null, T0.plusSeconds(600));
            store.insertTrustedDevice(device);

            assertThat(statements(() -> assertThat(store.findTrustedDeviceForCheck(userId, device.id())
                    .orElseThrow().secondFactorEnabled()).isTrue())).isEqualTo(1);
        }

        @Test
        void regenerateIsThreeStatementsInOneTransaction() {
            store.replaceAll(userId, codes(8));

            assertThat(statements(() -> store.replaceAll(userId, codes(8)))).isEqualTo(3);

            List<String> executed = counting.executed();
            assertThat(executed.get(0)).contains(prefix + "recovery_code_set");
            assertThat(executed.get(1)).startsWith("DELETE FROM " + prefix + "recovery_code WHERE");
            assertThat(executed.get(2)).startsWith("INSERT INTO " + prefix + "recovery_code ");
            assertThat(counting.returned()).containsExactly(new InstrumentedDataSource.Returned(true,
                    counting.returned().get(0).isolation()));
        }

        @Test
        void consumeAndReplaceIsFourStatementsOrTwoWhenTheCodeIsGone() {
            List<StoredRecoveryCode> key = codes(1);
            store.replaceAll(userId, key);

            assertThat(statements(() -> assertThat(store.consumeAndReplace(userId, key.get(0).id(), T0, codes(1)))
                    .isTrue())).isEqualTo(4);
            assertThat(statements(() -> assertThat(store.consumeAndReplace(userId, key.get(0).id(), T0, codes(1)))
                    .isFalse())).isEqualTo(2);
        }

        @Test
        void enrolmentIsOneStatementPerStep() {
            PendingEnrolment pending = new PendingEnrolment("p-1", secret(), T0, T0.plusSeconds(600), -1);

            assertThat(statements(() -> store.savePending(userId, pending))).as("start").isEqualTo(1);
            assertThat(statements(() -> store.findCredentialWithBackoff(userId))).as("read").isEqualTo(1);
            assertThat(statements(() -> assertThat(store.markPendingConfirmed(userId, "p-1", 5)).isTrue()))
                    .as("confirm awaiting acknowledgement").isEqualTo(1);
            assertThat(statements(() -> assertThat(store.activatePending(userId, "p-1", 5, T0)).isTrue()))
                    .as("activate").isEqualTo(1);
        }

        @Test
        void transactionsHandTheConnectionBackWithItsAutoCommitAndIsolation() {
            counting.handOutWithIsolation(Connection.TRANSACTION_SERIALIZABLE);
            List<StoredRecoveryCode> key = codes(1);
            store.replaceAll(userId, key);
            store.consumeAndReplace(userId, key.get(0).id(), T0, codes(1));
            store.consumeAndReplace(userId, key.get(0).id(), T0, codes(1)); // rolled back: the code is gone

            assertThat(counting.returned()).hasSize(3).allSatisfy(state -> {
                assertThat(state.autoCommit()).isTrue();
                assertThat(state.isolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            });
            assertThat(counting.openConnections()).isZero();
        }
    }

    /**
     * The connection dies in the middle of a recovery-code replacement: the call fails with a
     * {@link StorageException} that keeps the SQLState, nothing is left open, the old set still works and no code of
     * the new set exists.
     */
    @Nested
    class ConnectionDeath {

        private JdbcTwoFactorStore healthy;
        private String userId;
        private List<StoredRecoveryCode> old;

        @BeforeEach
        void setUp() {
            emptyTables();
            healthy = newStore(pool);
            userId = "user-" + UUID.randomUUID();
            old = codes(8);
            healthy.replaceAll(userId, old);
        }

        private InstrumentedDataSource dyingAt(String point) {
            Predicate<InstrumentedDataSource.Call> at = switch (point) {
                case "lock" -> call -> call.method().startsWith("execute") && call.sql().contains("recovery_code_set");
                case "delete" -> call -> call.method().startsWith("execute")
                        && call.sql().startsWith("DELETE FROM " + prefix + "recovery_code");
                case "fifth insert" -> call -> call.method().equals("addBatch") && call.addBatchCount() == 5;
                case "batch" -> call -> call.method().equals("executeBatch");
                case "commit" -> call -> call.method().equals("commit");
                default -> throw new IllegalArgumentException(point);
            };
            return new InstrumentedDataSource(database().unpooled(url)).dieAt(at);
        }

        private void assertOldSetIntactAndUsable(List<StoredRecoveryCode> attempted) {
            assertThat(healthy.findUnused(userId)).containsExactlyElementsOf(old);
            for (StoredRecoveryCode code : attempted) {
                assertThat(healthy.markUsed(userId, code.id(), T0)).as("a code of the failed set").isFalse();
            }
            assertThat(healthy.markUsed(userId, old.get(3).id(), T0)).as("an old code").isTrue();
            assertThat(healthy.countUnused(userId)).isEqualTo(7);
        }

        @ParameterizedTest(name = "dies at {0}")
        @ValueSource(strings = {"lock", "delete", "fifth insert", "batch", "commit"})
        void replaceAllWhenConnectionDiesThenStorageExceptionAndOldCodesStillWork(String point) {
            InstrumentedDataSource dying = dyingAt(point);
            JdbcTwoFactorStore store = newStore(dying);
            List<StoredRecoveryCode> fresh = codes(8);

            assertThatThrownBy(() -> store.replaceAll(userId, fresh))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo(InstrumentedDataSource.CONNECTION_FAILURE);
                        assertThat(e.getCause()).isInstanceOf(SQLException.class);
                        assertThat(e.getMessage()).isEqualTo("Could not replace the recovery codes");
                    });

            assertThat(dying.openConnections()).isZero();
            assertOldSetIntactAndUsable(fresh);
        }

        @ParameterizedTest(name = "dies at {0}")
        @ValueSource(strings = {"delete", "batch", "commit"})
        void consumeAndReplaceWhenConnectionDiesThenStorageExceptionAndTheCodeIsNotConsumed(String point) {
            JdbcTwoFactorStore store = newStore(dyingAt(point));
            List<StoredRecoveryCode> replacement = codes(8);

            assertThatThrownBy(() -> store.consumeAndReplace(userId, old.get(0).id(), T0, replacement))
                    .isInstanceOf(StorageException.class);

            assertOldSetIntactAndUsable(replacement);
            assertThat(healthy.markUsed(userId, old.get(0).id(), T0)).as("the code it tried to consume").isTrue();
        }

        @ParameterizedTest(name = "SQLState {0}")
        @ValueSource(strings = {"40001", "40P01"})
        void replaceAllWhenChosenAsDeadlockVictimOnceThenRetriedAndReplaced(String sqlState) {
            AtomicInteger batches = new AtomicInteger();
            InstrumentedDataSource victim = new InstrumentedDataSource(pool)
                    .failAt(call -> call.method().equals("executeBatch") && batches.incrementAndGet() == 1, sqlState);
            List<StoredRecoveryCode> fresh = codes(8);

            newStore(victim).replaceAll(userId, fresh);

            assertThat(healthy.findUnused(userId)).containsExactlyElementsOf(fresh);
            assertThat(batches).hasValue(2);
            assertThat(victim.returned()).as("one connection per attempt, handed back as it came")
                    .hasSize(2).allMatch(InstrumentedDataSource.Returned::autoCommit);
        }

        @Test
        void replaceAllWhenChosenAsDeadlockVictimEveryTimeThenStorageExceptionAfterThreeAttempts() {
            AtomicInteger batches = new AtomicInteger();
            InstrumentedDataSource victim = new InstrumentedDataSource(pool)
                    .failAt(call -> call.method().equals("executeBatch") && batches.incrementAndGet() > 0, "40001");

            assertThatThrownBy(() -> newStore(victim).replaceAll(userId, codes(8)))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.sqlState()).isEqualTo("40001"));

            assertThat(batches).hasValue(3);
            assertThat(victim.openConnections()).isZero();
            assertOldSetIntactAndUsable(List.of());
        }

        @Test
        void singleStatementWhenConnectionDiesThenStorageExceptionAndConnectionClosed() {
            InstrumentedDataSource dying = new InstrumentedDataSource(database().unpooled(url))
                    .dieAt(call -> call.method().startsWith("execute"));
            JdbcTwoFactorStore store = newStore(dying);

            assertThatThrownBy(() -> store.markUsed(userId, old.get(0).id(), T0))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.sqlState()).isEqualTo(InstrumentedDataSource.CONNECTION_FAILURE));

            assertThat(dying.openConnections()).isZero();
            assertThat(dying.openStatements()).isZero();
            assertThat(healthy.countUnused(userId)).isEqualTo(8);
        }

        @Test
        void databaseErrorKeepsItsSqlStateAndCauseAndNoValueInTheMessage() {
            String tooLongName = "n".repeat(300);
            AppPasswordRecord record = new AppPasswordRecord("a1", userId, tooLongName, Set.of(), "hash", T0, null);

            assertThatThrownBy(() -> healthy.insertAppPassword(record))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("22001");
                        assertThat(e.getMessage()).isEqualTo("Could not store the app password");
                        assertThat(e.getCause()).isInstanceOf(SQLException.class);
                    });
            assertThat(healthy.findAppPasswords(userId)).isEmpty();
        }

        @Test
        void userIdLongerThanTheColumnIsRefusedBeforeAnySql() {
            InstrumentedDataSource counting = new InstrumentedDataSource(pool);
            JdbcTwoFactorStore store = newStore(counting);
            String tooLong = "u".repeat(JdbcTwoFactorStore.MAX_USER_ID_LENGTH + 1);

            assertThatThrownBy(() -> store.findCredentialWithBackoff(tooLong))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.advanceLastUsedStep(tooLong, 1))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(counting.executions()).isZero();
            String longest = "\u30e6".repeat(JdbcTwoFactorStore.MAX_USER_ID_LENGTH); // 3 UTF-8 bytes each
            store.replaceAll(longest, codes(2));
            assertThat(store.countUnused(longest)).isEqualTo(2);
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
    }
}
