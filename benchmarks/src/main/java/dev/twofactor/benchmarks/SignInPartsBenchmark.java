package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TotpMatch;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Target 3 taken apart: each step of {@link dev.twofactor.TwoFactorService#verifyCode} on the in-memory store,
 * measured alone with the same 4096 users round robin as {@link ServiceVerifyBenchmark}, in nanoseconds per call.
 * The AES-GCM open is {@link SecretOpenBenchmark}; the runner sets these beside the whole check, and what the parts
 * do not account for is the service's own glue (the clock, the gate's logic, the result objects).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignInPartsBenchmark {

    private static final int USERS = ServiceVerifyBenchmark.USERS;
    private static final long FIRST_STEP = 1_000_000L;

    private InMemoryTwoFactorStore store;
    private final String[] userIds = new String[USERS];
    private final byte[][] keys = new byte[USERS][];
    private final String[] codes = new String[USERS];
    private final Totp totp = Totp.defaults();
    private int next;
    private long calls;

    @Setup
    public void setUp(BenchmarkParams params) {
        BenchmarkMain.checkHmacPath(params);
        store = new InMemoryTwoFactorStore();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        SecretCipher cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", kek).build());
        SignInUsers users = SignInUsers.seed(store, cipher, "user-", USERS, FIRST_STEP);
        for (int i = 0; i < USERS; i++) {
            userIds[i] = users.userIds[i];
            keys[i] = users.secrets[i].bytes();
            codes[i] = totp.generate(TotpSecret.ofBytes(keys[i]), FIRST_STEP);
            EncryptedSecret sealed = store.findCredential(userIds[i]).orElseThrow().secret();
            byte[] opened = cipher.open(userIds[i], sealed);
            if (!java.util.Arrays.equals(opened, keys[i])) {
                throw new IllegalStateException("The sealed secret does not open to the user's key");
            }
            if (!(totp.verifyKeyAtStep(keys[i], codes[i], FIRST_STEP) instanceof TotpMatch.Matched)) {
                throw new IllegalStateException("The TOTP part would not accept its code");
            }
        }
    }

    private int nextUser() {
        int n = next;
        next = (n + 1) & (USERS - 1);
        return n;
    }

    /** The one store read of a check: the credential and the second-factor backoff state. */
    @Benchmark
    public CredentialWithBackoff storeRead() {
        return store.findCredentialWithBackoff(userIds[nextUser()]);
    }

    /** The TOTP check with the opened key given per call (what the service does after opening). */
    @Benchmark
    public TotpMatch totpKeyPerCall() {
        int n = nextUser();
        return totp.verifyKeyAtStep(keys[n], codes[n], FIRST_STEP);
    }

    /** The replay compare-and-set under the gate: the accepted step moves forward, conditional on the backoff. */
    @Benchmark
    public boolean stepCompareAndSet() {
        int n = nextUser();
        long step = FIRST_STEP + 1 + calls++ / USERS;
        if (!store.advanceLastUsedStep(userIds[n], step, BackoffState.NONE)) {
            throw new IllegalStateException("The step did not advance");
        }
        return true;
    }

    /** The clock read and the success event as the service builds it, handed to the {@code NONE} listener. */
    @Benchmark
    public TwoFactorEvent event() {
        String userId = userIds[nextUser()];
        TwoFactorEvent event = new TwoFactorEvent(TwoFactorEventType.VERIFIED, userId, null,
                Instant.ofEpochMilli(System.currentTimeMillis()),
                Map.of("check", "TOTP", "drift", Integer.toString(0)));
        TwoFactorListener.NONE.onEvent(event);
        return event;
    }
}
