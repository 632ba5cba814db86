package dev.twofactor.jdbc;

import static dev.twofactor.jdbc.JdbcIntegrationSuite.T0;
import static dev.twofactor.jdbc.JdbcIntegrationSuite.codes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection dies in the middle of a recovery-code replacement: the call fails with a
 * {@link StorageException} that keeps the SQLState, nothing is left open, the old set still works and no code of
 * the new set exists.
 */
abstract class ConnectionDeathScenarios {

    /** The suite of the database these run on. */
    abstract JdbcIntegrationSuite suite();

    private JdbcTwoFactorStore healthy;
    private String userId;
    private List<StoredRecoveryCode> old;

    @BeforeEach
    void setUp() {
        suite().emptyTables();
        healthy = suite().newStore(suite().pool());
        userId = "user-" + UUID.randomUUID();
        old = codes(8);
        healthy.replaceAll(userId, old);
    }

    private InstrumentedDataSource dyingAt(String point) {
        Predicate<InstrumentedDataSource.Call> at = switch (point) {
            case "lock" -> call -> call.method().startsWith("execute") && call.sql().contains("recovery_code_set");
            case "delete" -> call -> call.method().startsWith("execute")
                    && call.sql().startsWith("DELETE FROM " + suite().prefix() + "recovery_code");
            case "fifth insert" -> call -> call.method().equals("addBatch") && call.addBatchCount() == 5;
            case "batch" -> call -> call.method().equals("executeBatch");
            case "commit" -> call -> call.method().equals("commit");
            default -> throw new IllegalArgumentException(point);
        };
        return new InstrumentedDataSource(suite().database().unpooled(suite().url())).dieAt(at);
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
        JdbcTwoFactorStore store = suite().newStore(dying);
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
        JdbcTwoFactorStore store = suite().newStore(dyingAt(point));
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
        InstrumentedDataSource victim = new InstrumentedDataSource(suite().pool())
                .failAt(call -> call.method().equals("executeBatch") && batches.incrementAndGet() == 1, sqlState);
        List<StoredRecoveryCode> fresh = codes(8);

        suite().newStore(victim).replaceAll(userId, fresh);

        assertThat(healthy.findUnused(userId)).containsExactlyElementsOf(fresh);
        assertThat(batches).hasValue(2);
        assertThat(victim.returned()).as("one connection per attempt, handed back as it came")
                .hasSize(2).allMatch(InstrumentedDataSource.Returned::autoCommit);
    }

    @Test
    void replaceAllWhenChosenAsDeadlockVictimEveryTimeThenStorageExceptionAfterThreeAttempts() {
        AtomicInteger batches = new AtomicInteger();
        InstrumentedDataSource victim = new InstrumentedDataSource(suite().pool())
                .failAt(call -> call.method().equals("executeBatch") && batches.incrementAndGet() > 0, "40001");

        assertThatThrownBy(() -> suite().newStore(victim).replaceAll(userId, codes(8)))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.sqlState()).isEqualTo("40001"));

        assertThat(batches).hasValue(3);
        assertThat(victim.openConnections()).isZero();
        assertOldSetIntactAndUsable(List.of());
    }

    @Test
    void singleStatementWhenConnectionDiesThenStorageExceptionAndConnectionClosed() {
        InstrumentedDataSource dying = new InstrumentedDataSource(suite().database().unpooled(suite().url()))
                .dieAt(call -> call.method().startsWith("execute"));
        JdbcTwoFactorStore store = suite().newStore(dying);

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
        InstrumentedDataSource counting = new InstrumentedDataSource(suite().pool());
        JdbcTwoFactorStore store = suite().newStore(counting);
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
