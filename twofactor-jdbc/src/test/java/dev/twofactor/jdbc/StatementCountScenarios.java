package dev.twofactor.jdbc;

import static dev.twofactor.jdbc.JdbcIntegrationSuite.T0;
import static dev.twofactor.jdbc.JdbcIntegrationSuite.codes;
import static dev.twofactor.jdbc.JdbcIntegrationSuite.secret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.testing.MutableClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statements per store call, counted by a wrapper of the pool: a fixed property of the implementation (how many
 * round trips each call costs), not a timing. Also checks that every connection and statement is closed.
 */
abstract class StatementCountScenarios {

    /** The suite of the database these run on. */
    abstract JdbcIntegrationSuite suite();

    private InstrumentedDataSource counting;
    private JdbcTwoFactorStore store;
    private String userId;

    @BeforeEach
    void setUp() {
        suite().emptyTables();
        counting = new InstrumentedDataSource(suite().pool());
        store = suite().newStore(counting);
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
        assertThat(counting.executed().get(1))
                .startsWith("UPDATE " + suite().prefix() + "credential SET last_used_step");
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
        assertThat(counting.executed().get(1))
                .startsWith("UPDATE " + suite().prefix() + "credential SET last_used_step")
                .contains("NOT EXISTS (SELECT 1 FROM " + suite().prefix() + "backoff b");
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
                .startsWith("DELETE FROM " + suite().prefix() + "trusted_device WHERE user_id");
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
    void aPurgeOfExpiredDevicesIsOneBoundedDeletePerCall() {
        for (int i = 0; i < 3; i++) {
            store.insertTrustedDevice(new dev.twofactor.spi.TrustedDeviceRecord("d-" + UUID.randomUUID(), userId,
                    "Firefox on Linux", "hash", T0, null, T0.plusSeconds(i)));
        }

        assertThat(statements(() -> assertThat(store.deleteExpiredTrustedDevices(T0.plusSeconds(5), 2)).isEqualTo(2)))
                .isEqualTo(1);

        assertThat(counting.executed()).singleElement().asString()
                .startsWith("DELETE FROM " + suite().prefix() + "trusted_device WHERE");
        assertThat(store.findTrustedDevices(userId)).hasSize(1);
    }

    @Test
    void regenerateIsThreeStatementsInOneTransaction() {
        store.replaceAll(userId, codes(8));

        assertThat(statements(() -> store.replaceAll(userId, codes(8)))).isEqualTo(3);

        List<String> executed = counting.executed();
        assertThat(executed.get(0)).contains(suite().prefix() + "recovery_code_set");
        assertThat(executed.get(1)).startsWith("DELETE FROM " + suite().prefix() + "recovery_code WHERE");
        assertThat(executed.get(2)).startsWith("INSERT INTO " + suite().prefix() + "recovery_code ");
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
