package dev.twofactor.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.IntPredicate;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.warrenstrange.googleauth.GoogleAuthenticator;
import dev.twofactor.CodeAccepted;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TotpAlgorithm;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.EncryptedSecret;
import org.keycloak.models.utils.TimeBasedOTP;

/**
 * A diagnostic for a shared, overloaded machine, not part of the runner: the thread CPU time per call of targets 2
 * and 3 and of each part of a sign-in, every candidate run in turn in one JVM, rounds interleaved, medians of 8
 * rounds after 4 of warm-up, with the bytes each call allocates (the thread's allocation counter, which setup work
 * between JMH iterations cannot inflate). Wall-clock throughput (what JMH measures) tracks how much of a core a
 * process got; CPU time per call tracks what the call costs, which is what the ratios are about. Run it twice, with
 * and without the flag:
 *
 * <pre>
 * java --add-opens java.base/sun.security.provider=ALL-UNNAMED \
 *     --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED \
 *     -cp benchmarks/target/benchmarks.jar dev.twofactor.benchmarks.CpuTimeBreakdown
 * java -cp benchmarks/target/benchmarks.jar dev.twofactor.benchmarks.CpuTimeBreakdown
 * </pre>
 */
public final class CpuTimeBreakdown {

    private static final int USERS = ServiceVerifyBenchmark.USERS;
    private static final long FIRST_STEP = 1_000_000L;
    private static final int CALLS = 40_000;

    private static Object sink;

    private CpuTimeBreakdown() {
    }

    public static void main(String[] args) throws GeneralSecurityException {
        Map<String, IntPredicate> candidates = new LinkedHashMap<>();
        TotpUsers users = new TotpUsers();
        for (TotpUsers.Case which : TotpUsers.Case.values()) {
            engine(candidates, users, which);
        }
        service(candidates);
        measure(candidates);
    }

    /**
     * Runs every candidate in turn, {@value #CALLS} calls a round, 12 rounds interleaved, and prints for each the
     * median thread CPU time per call of the last 8 rounds and the bytes the last round allocated per call.
     */
    static void measure(Map<String, IntPredicate> candidates) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        long self = Thread.currentThread().getId();
        Map<String, List<Double>> nanos = new LinkedHashMap<>();
        Map<String, Double> bytes = new LinkedHashMap<>();
        for (int round = 0; round < 12; round++) {
            for (Map.Entry<String, IntPredicate> candidate : candidates.entrySet()) {
                IntPredicate call = candidate.getValue();
                boolean any = false;
                long allocated = allocation.getThreadAllocatedBytes(self);
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < CALLS; i++) {
                    any ^= call.test(i);
                }
                long cpu = threads.getCurrentThreadCpuTime() - start;
                allocated = allocation.getThreadAllocatedBytes(self) - allocated;
                sink = any;
                if (round >= 4) {
                    nanos.computeIfAbsent(candidate.getKey(), k -> new ArrayList<>()).add(cpu / (double) CALLS);
                    bytes.put(candidate.getKey(), allocated / (double) CALLS);
                }
            }
        }
        System.out.printf(Locale.ROOT, "thread CPU ns per call (median of 8 rounds of %,d calls) and bytes allocated "
                + "per call (last round); midstates %s%n", CALLS, TotpAlgorithm.SHA1.midstateHmac());
        for (Map.Entry<String, List<Double>> entry : nanos.entrySet()) {
            List<Double> values = entry.getValue();
            Collections.sort(values);
            System.out.printf(Locale.ROOT, "%-44s %7.0f ns %7.0f B%n", entry.getKey(), values.get(values.size() / 2),
                    bytes.get(entry.getKey()));
        }
    }

    private static void engine(Map<String, IntPredicate> candidates, TotpUsers users, TotpUsers.Case which) {
        String[] codes = users.codes(which);
        int[] values = new int[TotpUsers.COUNT];
        SecretKeySpec[] keys = new SecretKeySpec[TotpUsers.COUNT];
        for (int i = 0; i < TotpUsers.COUNT; i++) {
            values[i] = Integer.parseInt(codes[i]);
            keys[i] = new SecretKeySpec(users.keys[i], "HmacSHA1");
        }
        int mask = TotpUsers.COUNT - 1;
        Totp totp = Totp.builder().clock(TotpUsers.CLOCK).build();
        TimeBasedOneTimePasswordGenerator javaOtp = new TimeBasedOneTimePasswordGenerator();
        Instant[] window = {TotpUsers.NOW, TotpUsers.NOW.minusSeconds(30), TotpUsers.NOW.plusSeconds(30)};
        TimeBasedOTP keycloak = new TimeBasedOTP("HmacSHA1", 6, 30, 1);
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(TotpUsers.NOW.toEpochMilli());
        keycloak.setCalendar(calendar);
        GoogleAuthenticator googleAuth = new GoogleAuthenticator();
        String c = " " + which;
        candidates.put("twofactor, held TotpSecret" + c, i -> totp.verify(users.secrets[i & mask], codes[i & mask])
                .matched());
        candidates.put("twofactor, bytes per call" + c, i -> totp.verifyKey(users.keys[i & mask], codes[i & mask])
                .matched());
        candidates.put("twofactor, Base32 per call" + c, i -> totp.verifyBase32(users.base32[i & mask],
                codes[i & mask]).matched());
        candidates.put("java-otp, first match" + c, i -> {
            for (Instant instant : window) {
                if (otp(javaOtp, keys[i & mask], instant) == values[i & mask]) {
                    return true;
                }
            }
            return false;
        });
        candidates.put("java-otp, whole window" + c, i -> {
            int found = 0;
            for (Instant instant : window) {
                found |= otp(javaOtp, keys[i & mask], instant) == values[i & mask] ? 1 : 0;
            }
            return found != 0;
        });
        candidates.put("Keycloak" + c, i -> keycloak.validateTOTP(codes[i & mask], users.keys[i & mask]));
        candidates.put("GoogleAuth" + c, i -> googleAuth.authorize(users.base32[i & mask], values[i & mask],
                TotpUsers.NOW.toEpochMilli()));
    }

    private static int otp(TimeBasedOneTimePasswordGenerator generator, SecretKeySpec key, Instant instant) {
        try {
            return generator.generateOneTimePassword(key, instant);
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void service(Map<String, IntPredicate> candidates) {
        InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        SecretCipher cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", kek).build());
        SignInUsers users = SignInUsers.seed(store, cipher, "user-", USERS, FIRST_STEP);
        TwoFactorService service = TwoFactorService.builder().issuer("Benchmarks").store(store).secretCipher(cipher)
                .clock(users.clock).build();
        SignInUsers.Driver driver = users.new Driver(0, USERS);
        driver.prepare(12 * CALLS);
        EncryptedSecret[] sealed = new EncryptedSecret[USERS];
        byte[][] keys = new byte[USERS][];
        String[] codes = new String[USERS];
        Totp totp = Totp.defaults();
        for (int i = 0; i < USERS; i++) {
            sealed[i] = store.findCredential(users.userIds[i]).orElseThrow().secret();
            keys[i] = users.secrets[i].bytes();
            codes[i] = totp.generate(users.secrets[i], FIRST_STEP);
        }
        int mask = USERS - 1;
        long[] casCalls = {0};
        candidates.put("verifyCode (default audit log, logging off)", i -> {
            Outcome<CodeAccepted> outcome = service.verifyCode(driver.next(), driver.code());
            if (!(outcome instanceof Outcome.Success)) {
                throw new IllegalStateException("A sign-in was not accepted: " + outcome);
            }
            return true;
        });
        candidates.put("  part: store read", i -> store.findCredentialWithBackoff(users.userIds[i & mask]) != null);
        candidates.put("  part: AES-GCM open", i -> cipher.open(users.userIds[i & mask], sealed[i & mask]) != null);
        candidates.put("  part: TOTP, key per call", i -> totp.verifyKeyAtStep(keys[i & mask], codes[i & mask],
                FIRST_STEP).matched());
        // A store of its own, so that moving the users' steps on does not turn the service's codes into replays.
        InMemoryTwoFactorStore casStore = new InMemoryTwoFactorStore();
        SignInUsers.seed(casStore, cipher, "user-", USERS, FIRST_STEP);
        candidates.put("  part: step compare-and-set", i -> casStore.advanceLastUsedStep(users.userIds[i & mask],
                FIRST_STEP + 1 + casCalls[0]++ / USERS, BackoffState.NONE));
        candidates.put("  part: clock and event", i -> {
            TwoFactorEvent event = new TwoFactorEvent(TwoFactorEventType.VERIFIED, users.userIds[i & mask], null,
                    Instant.ofEpochMilli(System.currentTimeMillis()),
                    Map.of("check", "TOTP", "drift", Integer.toString(0)));
            TwoFactorListener.NONE.onEvent(event);
            return event.details().isEmpty();
        });
    }
}
