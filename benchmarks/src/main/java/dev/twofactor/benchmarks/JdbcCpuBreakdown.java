package dev.twofactor.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;


import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.TwoFactorStore;

/**
 * A diagnostic of target 4 on H2 with one thread, not part of the runner: where the sign-in's time over the JDBC floor
 * goes, in thread CPU time per call (H2 runs in the calling thread), every step in turn in one JVM on one pool of one
 * connection, rounds interleaved, medians of the last 7 of 14 rounds of 20,000 calls:
 *
 * <ul>
 *   <li>the floor ({@link JdbcFloor}: both statements on one connection), and the same statements with a connection
 *       taken for each, as the store takes them;</li>
 *   <li>the store's two calls of a sign-in ({@code findCredentialWithBackoff}, then the gated
 *       {@code advanceLastUsedStep}), without the service: the adapter's cost over the floor;</li>
 *   <li>{@code verifyCode} over the store; and, in memory ({@link InMemoryTwoFactorStore}), {@code verifyCode}, the
 *       in-memory store's two calls, and the AES-GCM open with the TOTP check: the service's cost over its store.</li>
 * </ul>
 *
 * <pre>
 * java --add-opens java.base/sun.security.provider=ALL-UNNAMED \
 *     --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED \
 *     -cp benchmarks/target/benchmarks.jar dev.twofactor.benchmarks.JdbcCpuBreakdown
 * </pre>
 */
public final class JdbcCpuBreakdown {

    private static final int USERS = 256;
    private static final long FIRST_STEP = 1_000_000L;
    private static final int CALLS = 20_000;
    private static final int ROUNDS = 14;

    private JdbcCpuBreakdown() {
    }

    /** One call of a step, for the user and step the driver is at; throws if it was not accepted. */
    private interface Step {
        void run(SignInUsers.Driver driver) throws Exception;
    }

    private record Measured(SignInUsers.Driver driver, Step step) {
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource pool = JdbcSignIn.pool("h2", 1)) {
            JdbcTwoFactorStore store = JdbcSignIn.newStore(pool);
            SecretCipher cipher = JdbcSignIn.cipher();
            SignInUsers users = BulkUsers.seed(pool, store, cipher, "user-", USERS, USERS, 0, FIRST_STEP);
            SignInUsers.Driver overJdbc = users.new Driver(0, USERS);
            JdbcFloor floor = new JdbcFloor(pool, store.tablePrefix());
            TwoFactorService service = users.service(store, cipher);

            InMemoryTwoFactorStore memory = new InMemoryTwoFactorStore();
            SignInUsers inMemory = SignInUsers.seed(memory, cipher, "user-", USERS, FIRST_STEP);
            SignInUsers.Driver overMemory = inMemory.new Driver(0, USERS);
            TwoFactorService memoryService = inMemory.service(memory, cipher);
            EncryptedSecret[] sealed = new EncryptedSecret[USERS];
            for (int i = 0; i < USERS; i++) {
                sealed[i] = memory.findCredential(inMemory.userIds[i]).orElseThrow().secret();
            }
            Totp totp = Totp.defaults();

            Map<String, Measured> steps = new LinkedHashMap<>();
            steps.put("floor (one connection)", new Measured(overJdbc,
                    d -> accepted(floor.signIn(d.next(), d.step()))));
            steps.put("floor, a connection per statement", new Measured(overJdbc,
                    d -> accepted(floor.signInConnectionPerStatement(d.next(), d.step()))));
            steps.put("JDBC store: read + gated update", new Measured(overJdbc, d -> storeCalls(store, d)));
            steps.put("the same in the store's runCheck", new Measured(overJdbc,
                    d -> store.runCheck(() -> {
                        storeCalls(store, d);
                        return null;
                    })));
            steps.put("verifyCode over JDBC", new Measured(overJdbc,
                    d -> accepted(service.verifyCode(d.next(), d.code()) instanceof Outcome.Success)));
            steps.put("verifyCode in memory", new Measured(overMemory,
                    d -> accepted(memoryService.verifyCode(d.next(), d.code()) instanceof Outcome.Success)));
            steps.put("in-memory store: read + gated update", new Measured(overMemory, d -> storeCalls(memory, d)));
            steps.put("AES-GCM open + TOTP check", new Measured(overMemory, d -> {
                String userId = d.next();
                byte[] key = cipher.open(userId, sealed[Integer.parseInt(userId.substring("user-".length()))]);
                accepted(totp.verifyKeyAtStep(key, d.code(), d.step()).matched());
                java.util.Arrays.fill(key, (byte) 0);
            }));

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<String, List<Double>> nanos = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<String, Measured> entry : steps.entrySet()) {
                    SignInUsers.Driver driver = entry.getValue().driver();
                    driver.prepare(CALLS);
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < CALLS; i++) {
                        entry.getValue().step().run(driver);
                    }
                    long used = threads.getCurrentThreadCpuTime() - start;
                    driver.checkAllAccepted();
                    nanos.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add((double) used / CALLS);
                }
            }
            System.out.println("CPU ns per call, H2 in memory, 1 thread (median of the last " + (ROUNDS / 2)
                    + " of " + ROUNDS + " rounds of " + CALLS + " calls):");
            for (Map.Entry<String, List<Double>> entry : nanos.entrySet()) {
                List<Double> last = new ArrayList<>(entry.getValue().subList(ROUNDS / 2, ROUNDS));
                Collections.sort(last);
                System.out.printf(Locale.ROOT, "  %-40s %,8.0f   (range %,.0f to %,.0f)%n", entry.getKey(),
                        last.get(last.size() / 2), last.get(0), last.get(last.size() - 1));
            }
        }
    }

    private static void storeCalls(TwoFactorStore store, SignInUsers.Driver driver) {
        String userId = driver.next();
        CredentialWithBackoff read = store.findCredentialWithBackoff(userId);
        accepted(store.advanceLastUsedStep(userId, driver.step(), read.backoff()));
    }

    private static void accepted(boolean accepted) {
        if (!accepted) {
            throw new IllegalStateException("A sign-in step was not accepted");
        }
    }
}
