package dev.twofactor.benchmarks;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.twofactor.TotpSecret;

/**
 * A fixed population of users for the engine benchmarks: 1024 random 160-bit secrets, each with the 6-digit SHA-1
 * code of the current step, of the previous step and a wrong code, all at one fixed instant.
 *
 * <p>The codes come from {@link #referenceCode}, a plain {@code javax.crypto.Mac} implementation of RFC 4226 written
 * here, not from twofactor, so that a bug in the engine cannot make the engine agree with itself. The secrets come
 * from a seeded generator, so that every run measures the same inputs.
 */
public final class TotpUsers {

    /** Number of users; a power of two so that the round-robin index is a mask. */
    static final int COUNT = 1024;

    /** The fixed "now" every library is given: 15 seconds into its 30-second step, far from either edge. */
    static final long EPOCH_SECOND = 1_700_000_025L;

    static final Instant NOW = Instant.ofEpochSecond(EPOCH_SECOND);

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final long PERIOD_SECONDS = 30;

    static final long STEP = EPOCH_SECOND / PERIOD_SECONDS;

    /** Which code each call submits. */
    public enum Case {
        /** The code of the current step. */
        CURRENT,
        /** The code of the step before (typed just before it changed). */
        PREVIOUS,
        /** A code that matches no step within two of the current one: every step of the window is hashed. */
        WRONG
    }

    final byte[][] keys = new byte[COUNT][];
    final TotpSecret[] secrets = new TotpSecret[COUNT];
    final String[] base32 = new String[COUNT];
    final String[] current = new String[COUNT];
    final String[] previous = new String[COUNT];
    final String[] wrong = new String[COUNT];

    TotpUsers() {
        SplittableRandom random = new SplittableRandom(20_240_601L);
        for (int i = 0; i < COUNT; i++) {
            byte[] key = new byte[20];
            random.nextBytes(key);
            keys[i] = key;
            secrets[i] = TotpSecret.ofBytes(key);
            base32[i] = secrets[i].base32();
            current[i] = referenceCode(key, STEP);
            previous[i] = referenceCode(key, STEP - 1);
            String candidate;
            do {
                candidate = String.format("%06d", random.nextInt(1_000_000));
            } while (matchesNear(key, candidate));
            wrong[i] = candidate;
        }
    }

    String[] codes(Case which) {
        return switch (which) {
            case CURRENT -> current;
            case PREVIOUS -> previous;
            case WRONG -> wrong;
        };
    }

    private static boolean matchesNear(byte[] key, String code) {
        for (long step = STEP - 2; step <= STEP + 2; step++) {
            if (referenceCode(key, step).equals(code)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4226 HOTP-SHA1, 6 digits, straight from the RFC's description. */
    static String referenceCode(byte[] key, long counter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = (hash[offset] & 0x7f) << 24 | (hash[offset + 1] & 0xff) << 16
                    | (hash[offset + 2] & 0xff) << 8 | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails the trial when a library does not give the expected answer: a benchmark of a broken call is void. */
    static void check(boolean condition, String library, Case which, int user) {
        if (!condition) {
            throw new IllegalStateException(library + " gave the wrong answer for the " + which + " code of user "
                    + user + "; its benchmark would measure nothing useful");
        }
    }
}
