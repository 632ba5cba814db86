package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Target 5: recovery codes with the default hasher ({@link SecretHasher#pbkdf2()}).
 *
 * <ul>
 *   <li>{@code redeemWrongCode}: the worst case of {@link TwoFactorService#redeemRecoveryCode}, a well-formed wrong
 *       code against a full set of 8 unused codes, so every stored hash is checked.</li>
 *   <li>{@code redeemWrongCodeWithoutOpens}: the same in a JVM without {@code --add-opens}.</li>
 *   <li>{@code offlineGuess}: what one guess costs an attacker holding a stored hash: one
 *       {@link SecretHasher#matches}, computed as an attacker's own code would, from the HMAC midstates.</li>
 * </ul>
 *
 * <p>The user is enrolled through the public API, so the 8 codes are hashed exactly as in production. The backoff
 * policy tolerates every failure here: with the default one, the second wrong code would be turned away before any
 * hashing, and the benchmark would measure the refusal instead of the redemption.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryCodeBenchmark {

    private static final String USER = "alice";

    private TwoFactorService service;
    private SecretHasher hasher;
    private String wrongCode;
    private String storedHash;
    private long notRejected;

    @Setup
    public void setUp(BenchmarkParams params) {
        BenchmarkMain.checkHmacPath(params);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        hasher = SecretHasher.pbkdf2();
        service = TwoFactorService.builder()
                .issuer("Benchmarks")
                .store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", key).build()))
                .hasher(hasher)
                .backoffPolicy(BackoffPolicy.builder()
                        .toleratedFailures(Integer.MAX_VALUE - 1)
                        .lockAfter(Integer.MAX_VALUE)
                        .build())
                .listener(TwoFactorListener.NONE)
                .build();
        Enrolment enrolment = success(service.startEnrolment(USER, "alice@example.com"));
        Confirmation confirmation = success(service.confirmEnrolment(USER,
                Totp.defaults().generate(enrolment.secret(), Totp.defaults().currentTimeStep())));
        List<String> codes = confirmation.newRecoveryCodes().orElseThrow().codes();
        if (codes.size() != 8) {
            throw new IllegalStateException("Expected the default set of 8 recovery codes, got " + codes.size());
        }
        wrongCode = wrongCodeNotIn(codes);
        storedHash = hasher.hash(codes.get(0).replace("-", ""));
        Outcome<RecoveryCodeAccepted> first = service.redeemRecoveryCode(USER, wrongCode);
        if (!(first instanceof Outcome.Rejected)) {
            throw new IllegalStateException("A wrong recovery code was not rejected: " + first);
        }
        if (hasher.matches(wrongCode.replace("-", ""), storedHash)
                || !hasher.matches(codes.get(0).replace("-", ""), storedHash)) {
            throw new IllegalStateException("The hasher does not tell right from wrong");
        }
    }

    /** A code in the display format, from the same alphabet, that is none of the user's codes. */
    private static String wrongCodeNotIn(List<String> codes) {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        SecureRandom random = new SecureRandom();
        while (true) {
            StringBuilder code = new StringBuilder(9);
            for (int i = 0; i < 8; i++) {
                if (i == 4) {
                    code.append('-');
                }
                code.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = code.toString().toUpperCase(Locale.ROOT);
            if (!codes.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static <T> T success(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Success<T> success) {
            return success.value();
        }
        throw new IllegalStateException("Set-up step failed: " + outcome);
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (notRejected != 0) {
            throw new IllegalStateException(notRejected + " wrong recovery codes were not rejected");
        }
    }

    @Benchmark
    public Outcome<RecoveryCodeAccepted> redeemWrongCode() {
        Outcome<RecoveryCodeAccepted> outcome = service.redeemRecoveryCode(USER, wrongCode);
        if (!(outcome instanceof Outcome.Rejected)) {
            notRejected++;
        }
        return outcome;
    }

    /**
     * The same in a JVM without {@code --add-opens java.base/sun.security.provider}: the JDK's own PBKDF2, four
     * SHA-256 block compressions per iteration instead of two.
     */
    @Benchmark
    public Outcome<RecoveryCodeAccepted> redeemWrongCodeWithoutOpens() {
        return redeemWrongCode();
    }

    @Benchmark
    public boolean offlineGuess() {
        return hasher.matches(wrongCode.replace("-", ""), storedHash);
    }

    /** The iteration count of the default hasher, read from a hash it made. */
    static String defaultParameters() {
        String hash = SecretHasher.pbkdf2().hash("0123456789");
        String[] parts = hash.split("\\$");
        return "PBKDF2-HMAC-SHA256, " + parts[1] + " iterations, 16-byte salt, 256-bit output (" + parts[0] + ")";
    }
}
