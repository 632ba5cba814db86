package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import dev.twofactor.CodeAccepted;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
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
 * Target 3: the complete sign-in check, {@link TwoFactorService#verifyCode}, with the in-memory store: one read of
 * credential and backoff, AES-256-GCM opening of the sealed secret, the TOTP check, the replay compare-and-set and
 * the backoff bookkeeping, and the event to the listener. Every call is an accepted code of a fresh (user, step)
 * pair (see {@link SignInUsers}); a call that is not accepted fails the run.
 *
 * <p>Listeners: {@code NONE} is {@link TwoFactorListener#NONE}; {@code AUDIT_LOG} is the service's default, the SLF4J
 * audit log, here with logging off (the benchmarks bind SLF4J to its no-operation provider).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ServiceVerifyBenchmark {

    static final int USERS = 4096;

    /** The event listener the service is built with. */
    @Param({"NONE", "AUDIT_LOG"})
    public String listener;

    private Fixture fixture;
    private SignInUsers users;

    @Setup
    public void setUp(BenchmarkParams params) {
        BenchmarkMain.checkHmacPath(params);
        fixture = Fixture.create(listener.equals("AUDIT_LOG"));
        users = fixture.users();
    }

    /**
     * The service this benchmark measures: {@value #USERS} enabled users on the in-memory store, their secrets sealed
     * with AES-256-GCM under a random key, the users' clock, and the listener {@code NONE} or the default audit log.
     * {@link CheckPairedRounds} times the same.
     */
    record Fixture(TwoFactorService service, SignInUsers users) {

        static Fixture create(boolean auditLog) {
            InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            SecretCipher cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", key).build());
            SignInUsers users = SignInUsers.seed(store, cipher, "user-", USERS, 1_000_000L);
            TwoFactorService.Builder builder = TwoFactorService.builder()
                    .issuer("Benchmarks")
                    .store(store)
                    .secretCipher(cipher)
                    .clock(users.clock);
            if (!auditLog) {
                builder.listener(TwoFactorListener.NONE);
            }
            return new Fixture(builder.build(), users);
        }

        /** One call: the next (user, step) of {@code driver}, its outcome recorded. */
        Outcome<CodeAccepted> verify(SignInUsers.Driver driver) {
            return driver.signIn(service);
        }
    }

    /** One benchmark thread's walk through the users. */
    @State(Scope.Thread)
    public static class Caller {
        SignInUsers.Driver driver;

        @Setup
        public void setUp(ServiceVerifyBenchmark shared) {
            // Single-threaded target: one thread walks all users.
            driver = shared.users.new Driver(0, USERS);
        }

        @Setup(Level.Iteration)
        public void prepare() {
            driver.prepare(1 << 19);
        }

        @TearDown(Level.Iteration)
        public void check() {
            driver.checkAllAccepted();
        }
    }

    @Benchmark
    public Outcome<CodeAccepted> verifyCode(Caller caller) {
        return verify(caller);
    }

    /**
     * The same in a JVM without {@code --add-opens} for {@code sun.security.provider} and
     * {@code com.sun.crypto.provider} (HMAC over MessageDigest, the AES-GCM open through Cipher).
     */
    @Benchmark
    public Outcome<CodeAccepted> verifyCodeWithoutOpens(Caller caller) {
        return verify(caller);
    }

    private Outcome<CodeAccepted> verify(Caller caller) {
        return fixture.verify(caller.driver);
    }
}
