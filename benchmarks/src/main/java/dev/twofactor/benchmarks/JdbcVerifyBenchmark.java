package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.CodeAccepted;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcSchema;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Target 4: sign-in verification ({@link TwoFactorService#verifyCode}) over {@link JdbcTwoFactorStore} and a HikariCP
 * pool, on PostgreSQL and on embedded H2, with as many benchmark threads as pool connections, against its floor
 * ({@link #floor}: the same two statements by hand on the same pool, {@link JdbcFloor}). Each thread walks its own
 * {@value #USERS_PER_THREAD} users (see {@link SignInUsers}), so every call is an accepted code and the
 * compare-and-set really writes; the floor walks the same users through the same steps, so it reads and updates the
 * same rows with the same predicates. Users are seeded in bulk ({@link BulkUsers}). Tables are created with a fresh
 * prefix for each run and dropped after it.
 *
 * <p>The runner runs it in throughput mode (verifications per second, all threads together) and in sample-time mode
 * (latency percentiles). The PostgreSQL server is read from the system properties {@code twofactor.bench.postgres.url}
 * and {@code .user}, which the runner passes to the forked JVMs, and the password from the environment variable
 * {@value #POSTGRES_PASSWORD_VARIABLE} (inherited by the forks, and so never printed with their JVM options).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcVerifyBenchmark {

    static final int USERS_PER_THREAD = 256;

    static final String POSTGRES_URL = "twofactor.bench.postgres.url";
    static final String POSTGRES_USER = "twofactor.bench.postgres.user";
    static final String POSTGRES_PASSWORD_VARIABLE = "TWOFACTOR_BENCH_POSTGRES_PASSWORD";

    /** The database: {@code postgresql} (a server, over TCP) or {@code h2} (embedded, in memory). */
    @Param({"postgresql", "h2"})
    public String db;

    private HikariDataSource pool;
    private JdbcTwoFactorStore store;
    private TwoFactorService service;
    private SignInUsers users;
    private JdbcFloor jdbcFloor;
    private SignInUsers.Driver[] drivers;
    private final AtomicInteger threadIndex = new AtomicInteger();

    @Setup
    public void setUp(BenchmarkParams params) {
        int threads = params.getThreads();
        pool = pool(db, threads);
        store = newStore(pool);
        SecretCipher cipher = cipher();
        int count = threads * USERS_PER_THREAD;
        users = BulkUsers.seed(pool, store, cipher, "user-", count, count, 0, 1_000_000L);
        jdbcFloor = new JdbcFloor(pool, store.tablePrefix());
        service = users.service(store, cipher);
        // Each benchmark thread's walk, started by the quiet warm-up (QuietWarmUp), continued by its Caller.
        drivers = new SignInUsers.Driver[threads];
        for (int i = 0; i < threads; i++) {
            drivers[i] = users.new Driver(i * USERS_PER_THREAD, USERS_PER_THREAD);
        }
        boolean floor = params.getBenchmark().endsWith(".floor");
        QuietWarmUp.run((floor ? "floor " : "verifyCode ") + db + " " + threads, threads, (thread, calls) -> {
            SignInUsers.Driver driver = drivers[thread];
            driver.prepare(calls);
            for (int i = 0; i < calls; i++) {
                if (floor) {
                    floor(driver);
                } else {
                    verifyCode(driver);
                }
            }
            driver.checkAllAccepted();
        });
    }

    @TearDown
    public void tearDown() {
        try {
            JdbcSchema.drop(pool, store.dialect(), store.tablePrefix());
        } finally {
            pool.close();
        }
    }

    /** One benchmark thread's walk through its own users. */
    @State(Scope.Thread)
    public static class Caller {
        SignInUsers.Driver driver;

        @Setup
        public void setUp(JdbcVerifyBenchmark shared) {
            driver = shared.drivers[shared.threadIndex.getAndIncrement()];
        }

        @Setup(Level.Iteration)
        public void prepare() {
            driver.prepare(1 << 14);
        }

        @TearDown(Level.Iteration)
        public void check() {
            driver.checkAllAccepted();
        }
    }

    @Benchmark
    public Outcome<CodeAccepted> verifyCode(Caller caller) {
        return verifyCode(caller.driver);
    }

    private Outcome<CodeAccepted> verifyCode(SignInUsers.Driver driver) {
        String userId = driver.next();
        Outcome<CodeAccepted> outcome = service.verifyCode(userId, driver.code());
        driver.record(outcome);
        return outcome;
    }

    /**
     * The floor: the sign-in's two statements by hand ({@link JdbcFloor}), for the same user and step as
     * {@link #verifyCode} would present.
     */
    @Benchmark
    public boolean floor(Caller caller) throws SQLException {
        return floor(caller.driver);
    }

    private boolean floor(SignInUsers.Driver driver) throws SQLException {
        String userId = driver.next();
        boolean advanced = jdbcFloor.signIn(userId, driver.step());
        driver.record(advanced);
        return advanced;
    }

    // ------------------------------------------------------------------------------ shared with the runner's count

    static HikariDataSource pool(String db, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-" + db);
        config.setMaximumPoolSize(Math.max(1, size));
        config.setMinimumIdle(Math.max(1, size));
        switch (db) {
            case "h2" -> config.setJdbcUrl("jdbc:h2:mem:bench-" + freshName() + ";DB_CLOSE_DELAY=-1");
            case "postgresql" -> {
                config.setJdbcUrl(System.getProperty(POSTGRES_URL, "jdbc:postgresql://127.0.0.1:5432/test"));
                config.setUsername(System.getProperty(POSTGRES_USER, "postgres"));
                config.setPassword(postgresPassword());
            }
            default -> throw new IllegalArgumentException("Unknown database " + db);
        }
        return new HikariDataSource(config);
    }

    static String postgresPassword() {
        String password = System.getenv(POSTGRES_PASSWORD_VARIABLE);
        return password == null ? "" : password;
    }

    static JdbcTwoFactorStore newStore(DataSource dataSource) {
        return JdbcTwoFactorStore.builder(dataSource)
                .tablePrefix("bench_" + freshName() + "_")
                .createSchemaIfMissing(true)
                .build();
    }

    static SecretCipher cipher() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", key).build());
    }

    private static String freshName() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
