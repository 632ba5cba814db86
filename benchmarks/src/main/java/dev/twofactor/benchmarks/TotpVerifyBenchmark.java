package dev.twofactor.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.bastiaanjansen.otp.HMACAlgorithm;
import com.bastiaanjansen.otp.TOTPGenerator;
import com.warrenstrange.googleauth.GoogleAuthenticator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.DefaultCodeVerifier;
import dev.twofactor.Totp;
import dev.twofactor.TotpAlgorithm;
import dev.twofactor.TotpMatch;
import dev.twofactor.TotpSecret;
import org.keycloak.models.utils.TimeBasedOTP;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Targets 1 and 2: verifying one TOTP code (SHA-1, 6 digits, 30 s, window of one step either side) with twofactor,
 * with each peer library called the way its documentation shows, and with a bare JCE floor. Every call uses the next
 * of 1024 users, round robin, so no library can profit from a key it saw on the previous call. Every library sees
 * the same fixed instant, so all of them verify the same codes; {@link #setUp} checks that the measured one accepts the
 * current and previous codes and rejects the wrong one for every user before anything is measured.
 *
 * <p>Where a choice had to be made, it favours the peer: codes handed to APIs that take an {@code int} are parsed in
 * advance (a server would parse the user's text on every call), and per-user objects that a library lets one build
 * once (otp-java's generator, java-otp's {@code Key}) are built in advance. java-otp has no verify method, so it is
 * looped over the window in two ways: stopping at the first match, current step first (what most callers write; not
 * constant time, and one HMAC instead of three for a current code), and computing the whole window every time (what
 * a constant-time verifier does).
 *
 * <p>twofactor is measured as deployed with the JDK's SHA implementation opened to it ({@link #twofactor}, per-key
 * HMAC midstates, see {@link TotpAlgorithm#midstateHmac()}) and without ({@link #twofactorWithoutOpens}); the runner
 * starts the forks accordingly and {@link #setUp} refuses a fork whose path does not match the benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TotpVerifyBenchmark {

    /** Which code is submitted: that of the current step, of the previous step, or a wrong one. */
    @Param({"CURRENT", "PREVIOUS", "WRONG"})
    public TotpUsers.Case code;

    private TotpUsers users;
    private String[] codes;
    private int[] codeValues;
    private int next;

    private Totp totp;

    private SecretKeySpec[] jceKeys;
    private Mac floorMac;
    private final byte[] floorCounter = new byte[8];
    private final byte[] floorOut = new byte[20];

    private DefaultCodeVerifier javaTotp;
    private GoogleAuthenticator googleAuth;
    private TOTPGenerator[] otpJava;
    private JavaOtpWindow javaOtp;
    private TimeBasedOTP keycloak;

    @Setup
    public void setUp(BenchmarkParams params) throws GeneralSecurityException {
        // The runner starts every fork with the JDK's SHA implementation open to twofactor (the recommended set-up)
        // except the fork of twofactorWithoutOpens; check that each twofactor row measures the path its label names.
        BenchmarkMain.checkHmacPath(params);
        users = new TotpUsers();
        codes = users.codes(code);
        codeValues = new int[TotpUsers.COUNT];
        for (int i = 0; i < TotpUsers.COUNT; i++) {
            codeValues[i] = Integer.parseInt(codes[i]);
        }

        totp = Totp.builder().clock(TotpUsers.CLOCK).build();

        jceKeys = new SecretKeySpec[TotpUsers.COUNT];
        for (int i = 0; i < TotpUsers.COUNT; i++) {
            jceKeys[i] = new SecretKeySpec(users.keys[i], "HmacSHA1");
        }
        floorMac = Mac.getInstance("HmacSHA1");

        // java-totp: "TimeProvider timeProvider = new SystemTimeProvider(); CodeGenerator codeGenerator = new
        // DefaultCodeGenerator(); CodeVerifier verifier = new DefaultCodeVerifier(codeGenerator, timeProvider);"
        // with the time provider fixed. Defaults: 30 s, one period of discrepancy either side.
        javaTotp = new DefaultCodeVerifier(new DefaultCodeGenerator(), () -> TotpUsers.EPOCH_SECOND);

        // GoogleAuth: "GoogleAuthenticator gAuth = new GoogleAuthenticator(); gAuth.authorize(secret, code)"; the
        // overload with an explicit time (milliseconds) pins the clock. Default window size 3 = one step either side.
        googleAuth = new GoogleAuthenticator();

        // otp-java: "new TOTPGenerator.Builder(secret).withHOTPGenerator(...).withPeriod(...).build()" with the secret
        // as Base32 bytes, "totp.verify(code, delayWindow)".
        otpJava = new TOTPGenerator[TotpUsers.COUNT];
        for (int i = 0; i < TotpUsers.COUNT; i++) {
            otpJava[i] = new TOTPGenerator.Builder(users.base32[i].getBytes(StandardCharsets.US_ASCII))
                    .withHOTPGenerator(builder -> {
                        builder.withPasswordLength(6);
                        builder.withAlgorithm(otpJavaSha1());
                    })
                    .withPeriod(Duration.ofSeconds(TotpUsers.PERIOD_SECONDS))
                    .withClock(TotpUsers.CLOCK)
                    .build();
        }

        // java-otp has no verify, so the caller loops over the window (JavaOtpWindow).
        javaOtp = new JavaOtpWindow();

        // Keycloak: "new TimeBasedOTP(algorithm, digits, period, lookAround).validateTOTP(token, secretBytes)", as
        // its OTP credential provider calls it; setCalendar pins the clock.
        keycloak = new TimeBasedOTP("HmacSHA1", 6, (int) TotpUsers.PERIOD_SECONDS, 1);
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(TotpUsers.NOW.toEpochMilli());
        keycloak.setCalendar(calendar);

        String benchmark = params.getBenchmark();
        checkLibrary(benchmark.substring(benchmark.lastIndexOf('.') + 1));
    }

    /**
     * Checks, for every user and every case, that the library this trial measures accepts the current and previous
     * codes and rejects the wrong one (twofactor also reports the right drift). Each library is checked in the forks
     * that measure it, so a fork does not spend its start running the other nine cold.
     */
    private void checkLibrary(String method) throws GeneralSecurityException {
        for (TotpUsers.Case which : TotpUsers.Case.values()) {
            String[] whichCodes = users.codes(which);
            boolean accept = which != TotpUsers.Case.WRONG;
            for (int i = 0; i < TotpUsers.COUNT; i++) {
                String c = whichCodes[i];
                int value = Integer.parseInt(c);
                boolean accepted = switch (method) {
                    case "twofactor", "twofactorWithoutOpens" -> {
                        TotpMatch ours = totp.verify(users.secrets[i], c);
                        if (ours instanceof TotpMatch.Matched matched) {
                            TotpUsers.check(matched.drift() == (which == TotpUsers.Case.CURRENT ? 0 : -1),
                                    "twofactor (drift)", which, i);
                        }
                        yield ours.matched();
                    }
                    case "twofactorSecretPerCall" -> totp.verify(TotpSecret.ofBytes(users.keys[i]), c).matched();
                    case "twofactorBase32PerCall", "twofactorBase32PerCallWithoutOpens" ->
                            checkedDrift(totp.verifyBase32(users.base32[i], c), which, i, method);
                    case "twofactorBytesPerCall", "twofactorBytesPerCallWithoutOpens" ->
                            checkedDrift(totp.verifyKey(users.keys[i], c), which, i, method);
                    case "jceFloor" -> floor(i, value);
                    case "javaTotp" -> javaTotp.isValidCode(users.base32[i], c);
                    case "googleAuth" -> googleAuth.authorize(users.base32[i], value, TotpUsers.NOW.toEpochMilli());
                    case "otpJava" -> otpJava[i].verify(c, 1);
                    case "javaOtp" -> javaOtp.firstMatch(jceKeys[i], value);
                    case "javaOtpWholeWindow" -> javaOtp.wholeWindow(jceKeys[i], value);
                    case "keycloak" -> keycloak.validateTOTP(c, users.keys[i]);
                    default -> throw new IllegalStateException("No answer check for benchmark " + method);
                };
                TotpUsers.check(accepted == accept, method, which, i);
            }
        }
    }

    private static boolean checkedDrift(TotpMatch match, TotpUsers.Case which, int user, String method) {
        if (match instanceof TotpMatch.Matched matched) {
            TotpUsers.check(matched.drift() == (which == TotpUsers.Case.CURRENT ? 0 : -1), method + " (drift)", which,
                    user);
        }
        return match.matched();
    }

    private int nextUser() {
        int n = next;
        next = (n + 1) & (TotpUsers.COUNT - 1);
        return n;
    }

    /** twofactor's engine with the user's {@link TotpSecret} as the application holds it. */
    @Benchmark
    public TotpMatch twofactor() {
        int n = nextUser();
        return totp.verify(users.secrets[n], codes[n]);
    }

    /**
     * The same call in a JVM without {@code --add-opens java.base/sun.security.provider}: HMAC over the public
     * {@code MessageDigest} API, four block compressions per HMAC instead of two.
     */
    @Benchmark
    public TotpMatch twofactorWithoutOpens() {
        int n = nextUser();
        return totp.verify(users.secrets[n], codes[n]);
    }

    /**
     * twofactor's engine with the secret wrapped from raw bytes on every call, as a server that keeps no
     * {@link TotpSecret} objects does: the HMAC key is prepared on every call.
     */
    @Benchmark
    public TotpMatch twofactorSecretPerCall() {
        int n = nextUser();
        return totp.verify(TotpSecret.ofBytes(users.keys[n]), codes[n]);
    }

    /**
     * Target 2, like for like with the peers that take Base32 text on every call (java-totp, GoogleAuth):
     * {@link Totp#verifyBase32}, the text decoded and the HMAC key prepared in per-thread scratch space, wiped after.
     */
    @Benchmark
    public TotpMatch twofactorBase32PerCall() {
        int n = nextUser();
        return totp.verifyBase32(users.base32[n], codes[n]);
    }

    /** {@link #twofactorBase32PerCall} in a JVM without {@code --add-opens java.base/sun.security.provider}. */
    @Benchmark
    public TotpMatch twofactorBase32PerCallWithoutOpens() {
        int n = nextUser();
        return totp.verifyBase32(users.base32[n], codes[n]);
    }

    /**
     * Target 2, like for like with the peers that take the key's bytes (Keycloak) or a key object (java-otp) on every
     * call: {@link Totp#verifyKey}, the HMAC key prepared in per-thread scratch space, wiped after.
     */
    @Benchmark
    public TotpMatch twofactorBytesPerCall() {
        int n = nextUser();
        return totp.verifyKey(users.keys[n], codes[n]);
    }

    /** {@link #twofactorBytesPerCall} in a JVM without {@code --add-opens java.base/sun.security.provider}. */
    @Benchmark
    public TotpMatch twofactorBytesPerCallWithoutOpens() {
        int n = nextUser();
        return totp.verifyKey(users.keys[n], codes[n]);
    }

    /**
     * The floor: one reused {@code Mac} per thread, the user's key installed with {@code init}, three HMAC-SHA1 over
     * the counters, truncation and a compare of every step (no early exit). No input parsing, no result object.
     */
    @Benchmark
    public boolean jceFloor() throws InvalidKeyException {
        int n = nextUser();
        return floor(n, codeValues[n]);
    }

    private boolean floor(int n, int expected) throws InvalidKeyException {
        Mac mac = floorMac;
        mac.init(jceKeys[n]);
        byte[] counter = floorCounter;
        byte[] out = floorOut;
        int found = 0;
        for (long step = TotpUsers.STEP - 1; step <= TotpUsers.STEP + 1; step++) {
            long value = step;
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) value;
                value >>>= 8;
            }
            mac.update(counter, 0, 8);
            try {
                mac.doFinal(out, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            int offset = out[19] & 0x0f;
            int binary = (out[offset] & 0x7f) << 24 | (out[offset + 1] & 0xff) << 16
                    | (out[offset + 2] & 0xff) << 8 | (out[offset + 3] & 0xff);
            found |= (binary % 1_000_000) == expected ? 1 : 0;
        }
        return found != 0;
    }

    @Benchmark
    public boolean javaTotp() {
        int n = nextUser();
        return javaTotp.isValidCode(users.base32[n], codes[n]);
    }

    @Benchmark
    public boolean googleAuth() {
        int n = nextUser();
        return googleAuth.authorize(users.base32[n], codeValues[n], TotpUsers.NOW.toEpochMilli());
    }

    @Benchmark
    public boolean otpJava() {
        int n = nextUser();
        return otpJava[n].verify(codes[n], 1);
    }

    /** java-otp looped over the window the way most callers would write it: current step first, stop at a match. */
    @Benchmark
    public boolean javaOtp() throws InvalidKeyException {
        int n = nextUser();
        return javaOtp.firstMatch(jceKeys[n], codeValues[n]);
    }

    /**
     * java-otp with the whole window computed and compared every time, as a constant-time verifier must (and as
     * twofactor, the floor and java-totp do).
     */
    @Benchmark
    public boolean javaOtpWholeWindow() throws InvalidKeyException {
        int n = nextUser();
        return javaOtp.wholeWindow(jceKeys[n], codeValues[n]);
    }

    @Benchmark
    public boolean keycloak() {
        int n = nextUser();
        return keycloak.validateTOTP(codes[n], users.keys[n]);
    }

    /**
     * otp-java deprecates its SHA1 constant as a weak hash, yet HMAC-SHA1 is what every authenticator app uses and
     * what every library here is measured with.
     */
    @SuppressWarnings("deprecation")
    private static HMACAlgorithm otpJavaSha1() {
        return HMACAlgorithm.SHA1;
    }
}
