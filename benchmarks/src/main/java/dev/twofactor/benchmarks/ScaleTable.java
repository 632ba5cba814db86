package dev.twofactor.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.CodeAccepted;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcTwoFactorStore;

/**
 * One table of target 5: the sign-in of {@link JdbcSignIn} (one thread, PostgreSQL) with {@code users} enrolled users,
 * seeded in bulk ({@link BulkUsers}) into tables of their own ({@value #PREFIX}{@code <random>_}), dropped by
 * {@link #close()}. In both sizes {@value #EXERCISED} users sign in, round robin: all of them at 1,000, one at a
 * random place in each thousandth of the table at 1,000,000, so the index is reached all over and the rows read are
 * not those of a small table that stays in the cache. Every tenth user also has a backoff row (as a reset leaves it).
 * {@link ScalePairedRounds} times two of them side by side.
 *
 * <p>Once seeded, the statements of one real sign-in are explained ({@link Plans}) and the plans written to
 * {@code plans-<users>.txt} in the directory given, or printed.
 */
final class ScaleTable implements AutoCloseable {

    static final String PREFIX = "bench_scale_";
    static final int EXERCISED = 1000;

    private static final long FIRST_STEP = 1_000_000L;

    private final int users;
    private final HikariDataSource pool;
    private final JdbcTwoFactorStore store;
    private final TwoFactorService service;
    private final SignInUsers.Driver driver;

    /**
     * Seeds {@code users} enabled users in fresh tables and explains the sign-in's statements.
     *
     * @param reportDir where to write the plans, or {@code null} to print them
     */
    ScaleTable(int users, String reportDir) throws IOException, SQLException {
        this.users = users;
        pool = JdbcSignIn.pool("postgresql", 1);
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        store = JdbcTwoFactorStore.builder(pool)
                .tablePrefix(PREFIX + HexFormat.of().formatHex(random) + "_")
                .createSchemaIfMissing(true)
                .build();
        SecretCipher cipher = JdbcSignIn.cipher();
        long start = System.nanoTime();
        SignInUsers signIn = BulkUsers.seed(pool, store, cipher, "user-", users, EXERCISED, 10, FIRST_STEP);
        System.out.printf("(seeded %,d users in %.1f s)%n", users, (System.nanoTime() - start) / 1e9);
        service = signIn.service(store, cipher);
        explain(cipher, signIn, reportDir);
        driver = signIn.new Driver(0, EXERCISED);
    }

    /** The walk through the exercised users, for one caller thread. */
    SignInUsers.Driver driver() {
        return driver;
    }

    /**
     * One real sign-in of the last exercised user through a recording data source, its statements explained; then
     * that user's last used step is put back, so the measured walk finds every user as seeded.
     */
    private void explain(SecretCipher cipher, SignInUsers signIn, String dir) throws IOException, SQLException {
        List<Plans.Executed> executed = new ArrayList<>();
        JdbcTwoFactorStore recorded = JdbcTwoFactorStore.builder(Plans.recording(pool, executed))
                .tablePrefix(store.tablePrefix())
                .build();
        TwoFactorService recording = signIn.service(recorded, cipher);
        SignInUsers.Driver one = signIn.new Driver(EXERCISED - 1, 1);
        one.prepare(1);
        String userId = one.next();
        if (!(recording.verifyCode(userId, one.code()) instanceof Outcome.Success)) {
            throw new IllegalStateException("The sign-in to explain was not accepted");
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement reset = connection.prepareStatement("UPDATE " + store.tablePrefix()
                     + "credential SET last_used_step = ? WHERE user_id = ?")) {
            reset.setLong(1, FIRST_STEP - 1);
            reset.setString(2, userId);
            reset.executeUpdate();
        }
        Plans.Explained plans = Plans.explain(pool, executed, store.tablePrefix());
        String text = "users: " + users + "\nall plans use an index: " + plans.allIndexed() + "\n" + plans.text();
        if (dir == null) {
            System.out.print(text);
        } else {
            Files.writeString(Path.of(dir, "plans-" + users + ".txt"), text);
        }
    }

    /** The service's sign-in of the driver's next user and step. */
    Outcome<CodeAccepted> verifyCode() {
        return driver.signIn(service);
    }

    /** Drops the tables and closes the pool. */
    @Override
    public void close() {
        JdbcSignIn.dropAndClose(pool, store);
    }
}
