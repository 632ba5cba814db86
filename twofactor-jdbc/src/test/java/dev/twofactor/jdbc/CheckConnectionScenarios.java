package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.StorageException;
import dev.twofactor.testing.Codes;
import dev.twofactor.testing.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    abstract JdbcIntegrationSuite suite();

    private final MutableClock clock = new MutableClock(START);
    private final Totp phone = Totp.defaults();

    @BeforeEach
    void reset() {
        suite().emptyTables();
        clock.set(START);
    }

    private TwoFactorService service(DataSource dataSource, TwoFactorListener listener) {
        return suite().serviceBuilder(dataSource, clock).listener(listener).build();
    }

    private TotpSecret enable(TwoFactorService service) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment("alice", "alice@example.com"))
                .value();
        assertThat(service.confirmEnrolment("alice", code(enrolment.secret())).succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        return enrolment.secret();
    }

    private String code(TotpSecret secret) {
        return phone.generate(secret, phone.timeStep(clock.instant()));
    }

    private String wrongCode(TotpSecret secret) {
        return Codes.wrong(phone, secret, clock.instant());
    }

    private HikariDataSource poolOfOne() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(suite().url());
        config.setPoolName("twofactor-one-connection");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }

    @Test
    void successfulSignInTakesOneConnectionForItsTwoStatements() {
        InstrumentedDataSource counting = new InstrumentedDataSource(suite().pool());
        TwoFactorService service = service(counting, TwoFactorListener.NONE);
        TotpSecret secret = enable(service);
        counting.reset();

        assertThat(service.verifyCode("alice", code(secret)).succeeded()).isTrue();

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

            assertThat(service.verifyCode("alice", wrongCode(secret))).isEqualTo(Outcome.rejected(Reason.WRONG_CODE));
            assertThat(service.verifyCode("alice", wrongCode(secret))).isEqualTo(Outcome.rejected(Reason.WRONG_CODE));
            clock.advance(Duration.ofMinutes(10));
            assertThat(service.verifyCode("alice", code(secret)).succeeded()).isTrue();

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
        String code = code(secret);

        assertThatThrownBy(() -> service(dying, TwoFactorListener.NONE).verifyCode("alice", code))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(InstrumentedDataSource.CONNECTION_FAILURE));

        assertThat(dying.openConnections()).as("connections left open").isZero();
        assertThat(healthy.verifyCode("alice", code).succeeded()).as("the same code, on a healthy node").isTrue();
    }
}
