package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.ScenarioClock.Enabled;
import dev.twofactor.spi.StorageException;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow database: request A's first write statement sleeps (held until request B has finished), and B runs in
 * that gap on another node. Whatever A checked before it slept, the store decides: no second acceptance of one code,
 * no second use of one recovery code, no second wrong guess checked past the tolerated failure. And an exhausted
 * pool answers a clear {@link StorageException} within its connection timeout instead of hanging.
 */
abstract class SlowDatabaseScenarios {

    abstract JdbcIntegrationSuite suite();

    private final ScenarioClock time = new ScenarioClock();

    @BeforeEach
    void reset() {
        suite().emptyTables();
        time.reset();
    }

    @Test
    void sameCodeTwiceWhileTheFirstRequestIsSlowThenExactlyOneAccepted() throws Exception {
        Enabled alice = time.enable(service(suite().pool()), "alice");
        String code = time.code(alice.secret());

        List<Outcome<?>> outcomes = slowFirstThenSecond(service -> service.verifyCode("alice", code));

        assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(outcomes).contains(Outcome.rejected(Reason.CODE_ALREADY_USED));
    }

    @Test
    void sameRecoveryCodeTwiceWhileTheFirstRequestIsSlowThenExactlyOneAccepted() throws Exception {
        Enabled alice = time.enable(service(suite().pool()), "alice");
        String recovery = alice.recoveryCodes().codes().get(0);

        List<Outcome<?>> outcomes = slowFirstThenSecond(service -> service.redeemRecoveryCode("alice", recovery));

        assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(service(suite().pool()).status("alice").remainingRecoveryCodes()).isEqualTo(7);
    }

    @Test
    void twoWrongCodesWhileTheFirstRequestIsSlowThenOnlyOneIsCheckedPastTheToleratedFailure() throws Exception {
        TwoFactorService healthy = service(suite().pool());
        Enabled alice = time.enable(healthy, "alice");
        String wrong = time.wrongCode(alice.secret());
        assertThat(healthy.verifyCode("alice", wrong)).isEqualTo(Outcome.rejected(Reason.WRONG_CODE)); // tolerated

        List<Outcome<?>> outcomes = slowFirstThenSecond(service -> service.verifyCode("alice", wrong));

        assertThat(outcomes).filteredOn(o -> o.equals(Outcome.rejected(Reason.WRONG_CODE))).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.RateLimited).hasSize(1);
        assertThat(suite().newStore(suite().pool()).findBackoff("alice").failures()).isEqualTo(2);
        assertThat(healthy.verifyCode("alice", time.code(alice.secret()))).as("the right code during the backoff")
                .isInstanceOf(Outcome.RateLimited.class);
    }

    @Test
    void exhaustedPoolAnswersAStorageExceptionWithinItsTimeoutAndWorksOnceAConnectionIsBack() throws Exception {
        try (HikariDataSource tiny = suite().poolOfOne("twofactor-exhausted", 250)) {
            TwoFactorService service = service(tiny);
            Connection held = tiny.getConnection();
            long started = System.nanoTime();

            Throwable thrown = catchThrowable(() -> service.status("alice"));

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(thrown).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.getMessage()).startsWith("Could not");
                assertThat(e.getCause().getMessage()).contains("Connection is not available");
            });
            assertThat(millis).as("answered after the pool's timeout, not hanging").isLessThan(10_000);
            held.close();
            assertThat(service.status("alice").state()).isEqualTo(dev.twofactor.TwoFactorState.NOT_CONFIGURED);
        }
    }

    /**
     * Runs {@code call} as request A on a data source whose first write statement waits until request B (the same
     * call on a healthy node) has finished, then lets A go on.
     */
    private List<Outcome<?>> slowFirstThenSecond(Function<TwoFactorService, Outcome<?>> call) throws Exception {
        CountDownLatch asleep = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicBoolean slept = new AtomicBoolean();
        DataSource slow = new InstrumentedDataSource(suite().pool()).failAt(statement -> {
            boolean write = statement.method().startsWith("execute") && statement.sql() != null
                    && !statement.sql().strip().toUpperCase(Locale.ROOT).startsWith("SELECT");
            if (write && slept.compareAndSet(false, true)) {
                asleep.countDown();
                try {
                    wake.await(20, TimeUnit.SECONDS); // the statement that sleeps
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }, "HY000");
        CompletableFuture<Outcome<?>> first = CompletableFuture.supplyAsync(() -> call.apply(service(slow)));
        assertThat(asleep.await(20, TimeUnit.SECONDS)).as("request A reached its write").isTrue();
        Outcome<?> second = call.apply(service(suite().pool()));
        wake.countDown();
        return List.of(first.get(30, TimeUnit.SECONDS), second);
    }

    private TwoFactorService service(DataSource dataSource) {
        return suite().serviceBuilder(dataSource, time.clock).build();
    }
}
