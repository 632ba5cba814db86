package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One connection per sign-in check ({@link JdbcTwoFactorStore#runCheck}): the read and the gated update of a
 * successful sign-in share one connection taken from the pool; the connection goes back before the failure count and
 * the events, so a listener that uses the same pool of a single connection never waits; a check that throws gives its
 * connection back; and a connection that dies in the middle of a check leaves the code unused.
 */
abstract class CheckConnectionScenarios {

    abstract JdbcIntegrationSuite suite();

    private final ScenarioClock time = new ScenarioClock();

    @BeforeEach
    void reset() {
        suite().emptyTables();
        time.reset();
    }

    private TwoFactorService service(DataSource dataSource, TwoFactorListener listener) {
        return suite().serviceBuilder(dataSource, time.clock).listener(listener).build();
    }

    private TotpSecret enable(TwoFactorService service) {
        return time.enable(service, "alice").secret();
    }

    private HikariDataSource poolOfOne() {
        return suite().poolOfOne("twofactor-one-connection", 1000);
    }

    @Test
    void successfulSignInTakesOneConnectionForItsTwoStatements() {
        InstrumentedDataSource counting = new InstrumentedDataSource(suite().pool());
        TwoFactorService service = service(counting, TwoFactorListener.NONE);
        TotpSecret secret = enable(service);
        counting.reset();

        assertThat(service.verifyCode("alice", time.code(secret)).succeeded()).isTrue();

        assertThat(counting.executions()).as("statements").isEqualTo(2);
        assertThat(counting.returned()).as("connections taken and given back").hasSize(1);
        assertThat(counting.openConnections()).isZero();
    }

    @Test
    void listenerThatUsesTheOnlyConnectionOfTheSamePoolNeverWaitsForTheCheck() {
        try (HikariDataSource one = poolOfOne()) {
            List<String> borrowed = new CopyOnWriteArrayList<>();
            TwoFactorService service = service(one, event -> {
                try (Connection connection = one.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                    borrowed.add(event.type().name());
                } catch (SQLException e) {
                    borrowed.add(event.type() + " failed: " + e.getMessage());
                }
            });
            TotpSecret secret = enable(service);
            borrowed.clear();

            String wrong = time.wrongCode(secret);
            assertThat(service.verifyCode("alice", wrong)).isEqualTo(Outcome.rejected(Reason.WRONG_CODE));
            assertThat(service.verifyCode("alice", wrong)).isEqualTo(Outcome.rejected(Reason.WRONG_CODE));
            time.advance(Duration.ofMinutes(10));
            assertThat(service.verifyCode("alice", time.code(secret)).succeeded()).isTrue();

            assertThat(borrowed).containsExactly("VERIFICATION_FAILED", "VERIFICATION_FAILED", "BACKOFF_STARTED",
                    TwoFactorEventType.VERIFIED.name());
        }
    }

    @Test
    void checkThatThrowsGivesItsConnectionBack() {
        try (HikariDataSource one = poolOfOne()) {
            JdbcTwoFactorStore store = suite().newStore(one);
            IllegalStateException failure = new IllegalStateException("the check failed");

            assertThatThrownBy(() -> store.runCheck(() -> {
                store.findCredentialWithBackoff("alice");
                throw failure;
            })).isSameAs(failure);

            assertThat(store.findCredential("alice")).as("the only connection is back in the pool").isEmpty();
        }
    }

    @Test
    void connectionThatDiesInTheMiddleOfTheCheckThenStorageExceptionAndTheCodeIsStillUnused() {
        TwoFactorService healthy = service(suite().pool(), TwoFactorListener.NONE);
        TotpSecret secret = enable(healthy);
        InstrumentedDataSource dying = new InstrumentedDataSource(suite().database().unpooled(suite().url()))
                .dieAt(call -> call.method().startsWith("execute") && call.sql() != null
                        && call.sql().replaceAll("\\s+", " ").startsWith("UPDATE " + suite().prefix()
                                + "credential SET last_used_step"));
        String code = time.code(secret);

        assertThatThrownBy(() -> service(dying, TwoFactorListener.NONE).verifyCode("alice", code))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(InstrumentedDataSource.CONNECTION_FAILURE));

        assertThat(dying.openConnections()).as("connections left open").isZero();
        assertThat(healthy.verifyCode("alice", code).succeeded()).as("the same code, on a healthy node").isTrue();
    }
}
