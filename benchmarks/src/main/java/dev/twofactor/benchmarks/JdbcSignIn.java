package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;

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

/**
 * What target 4 measures, set up once: sign-in verification ({@link TwoFactorService#verifyCode}) over
 * {@link JdbcTwoFactorStore} and a HikariCP pool of as many connections as callers, on PostgreSQL or on embedded H2,
 * and its floor ({@link #floor}: the same two statements by hand on the same pool, {@link JdbcFloor}). Each caller
 * walks its own {@value #USERS_PER_THREAD} users ({@link SignInUsers.Driver}), so every call is an accepted code and
 * the compare-and-set really writes; the floor walks the same users through the same steps, so it reads and updates
 * the same rows with the same predicates, and the two may be called in turn on one driver. Users are seeded in bulk
 * ({@link BulkUsers}); the tables get a fresh prefix and are dropped by {@link #close()}. {@link JdbcPairedRounds}
 * times the two side by side.
 *
 * <p>Also the JDBC helpers every store benchmark shares: the pool, the store, the cipher. The PostgreSQL server is read
 * from the system properties {@code twofactor.bench.postgres.url} and {@code .user}, which the runner passes to the
 * JVMs it starts, and the password from the environment variable {@value #POSTGRES_PASSWORD_VARIABLE} (inherited by
 * them, and so never printed with their JVM options).
 */
final class JdbcSignIn implements AutoCloseable {

    static final int USERS_PER_THREAD = 256;

    static final String POSTGRES_URL = "twofactor.bench.postgres.url";
    static final String POSTGRES_USER = "twofactor.bench.postgres.user";
    static final String POSTGRES_PASSWORD_VARIABLE = "TWOFACTOR_BENCH_POSTGRES_PASSWORD";

    private final HikariDataSource pool;
    private final JdbcTwoFactorStore store;
    private final TwoFactorService service;
    private final JdbcFloor jdbcFloor;
    private final SignInUsers.Driver[] drivers;

    /**
     * Seeds {@code threads} × {@value #USERS_PER_THREAD} users in fresh tables of {@code db}.
     *
     * @param db      {@code postgresql} (a server, over TCP) or {@code h2} (embedded, in memory)
     * @param threads the callers, each with its own {@link #driver(int)}, and the pool's size
     */
    JdbcSignIn(String db, int threads) {
        pool = pool(db, threads);
        store = newStore(pool);
        SecretCipher cipher = cipher();
        int count = threads * USERS_PER_THREAD;
        SignInUsers users = BulkUsers.seed(pool, store, cipher, "user-", count, count, 0, 1_000_000L);
        jdbcFloor = new JdbcFloor(pool, store.tablePrefix());
        service = users.service(store, cipher);
        drivers = new SignInUsers.Driver[threads];
        for (int i = 0; i < threads; i++) {
            drivers[i] = users.new Driver(i * USERS_PER_THREAD, USERS_PER_THREAD);
        }
    }

    /** The walk of caller {@code thread}, to be used by that caller only. */
    SignInUsers.Driver driver(int thread) {
        return drivers[thread];
    }

    /** The service's sign-in of the driver's next user and step. */
    Outcome<CodeAccepted> verifyCode(SignInUsers.Driver driver) {
        return driver.signIn(service);
    }

    /** The floor: the sign-in's two statements by hand, for the user and step {@link #verifyCode} would present. */
    boolean floor(SignInUsers.Driver driver) throws SQLException {
        String userId = driver.next();
        boolean advanced = jdbcFloor.signIn(userId, driver.step());
        driver.record(advanced);
        return advanced;
    }

    /** Drops the tables and closes the pool. */
    @Override
    public void close() {
        dropAndClose(pool, store);
    }

    /** Drops the store's tables, then closes the pool, even if the drop failed. */
    static void dropAndClose(HikariDataSource pool, JdbcTwoFactorStore store) {
        try {
            JdbcSchema.drop(pool, store.dialect(), store.tablePrefix());
        } finally {
            pool.close();
        }
    }

    // ------------------------------------------------------------------------------ shared by the store benchmarks

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
