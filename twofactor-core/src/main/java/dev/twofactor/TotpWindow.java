package dev.twofactor;

import dev.twofactor.internal.ConstantTime;
import dev.twofactor.internal.Hotp;

/**
 * The two halves of a verification that do not depend on how the key was given ({@link Totp#verifyAtStep},
 * {@link Totp#verifyKeyAtStep}, {@link Totp#verifyBase32}): parsing the user's input, and the constant-time check of
 * every step of the window.
 */
final class TotpWindow {

    private TotpWindow() {
    }

    /**
     * Checks {@code expected} against every step from {@code currentStep - window} to {@code currentStep + window}
     * with the key installed in {@code hotp}: every candidate is computed and compared without branching on the
     * result, and the match closest to the current step (the earlier on a tie) is reported. The steps' HMACs are
     * computed {@value Hotp#LANES} at a time ({@link Hotp#truncate(long, long, long, int)}), side by side where the
     * midstates are in use; a step that is not a candidate (below zero, or past {@link Long#MAX_VALUE}) is computed
     * all the same, as a 64-bit counter, and not compared.
     */
    static TotpMatch check(Hotp hotp, int expected, long currentStep, int window, int digits) {
        int found = 0;
        int matchedDrift = 0;
        // Visit drifts 0, -1, +1, -2, +2, ... so that the first hit is the closest one.
        for (int first = 0, candidates = 2 * window + 1; first < candidates; first += Hotp.LANES) {
            int count = Math.min(Hotp.LANES, candidates - first);
            hotp.truncate(currentStep + drift(first), currentStep + drift(first + 1), currentStep + drift(first + 2),
                    count);
            for (int lane = 0; lane < count; lane++) {
                int drift = drift(first + lane);
                long step = currentStep + drift;
                boolean overflowed = ((currentStep ^ step) & (drift ^ step)) < 0;
                // This branch depends on the time only, never on the secret or the code.
                if (overflowed || step < 0) {
                    continue;
                }
                int candidate = reduce(hotp.truncated(lane), digits);
                int hit = ConstantTime.equal(candidate, expected);
                int firstHit = hit & ~found;
                matchedDrift = ConstantTime.select(firstHit, drift, matchedDrift);
                found |= hit;
            }
        }
        // Only now, with all candidates done, does the outcome steer control flow.
        if (found == 0) {
            return TotpMatch.Mismatch.INSTANCE;
        }
        return new TotpMatch.Matched(currentStep + matchedDrift, matchedDrift);
    }

    /** The drift of the {@code i}-th candidate: 0, -1, +1, -2, +2, ... */
    static int drift(int i) {
        return (i & 1) == 0 ? i >> 1 : -((i + 1) >> 1);
    }

    /** 10 to the power of 0 to {@link Totp#MAX_DIGITS}. */
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000};

    /** Per number of digits d: the shift {@code 31 + ceil(log2 10^d)} of {@link #reduce}. */
    private static final int[] SHIFTS = new int[Totp.MAX_DIGITS + 1];

    /** Per number of digits d: {@code ceil(2^SHIFTS[d] / 10^d)}, the reciprocal {@link #reduce} multiplies by. */
    private static final long[] RECIPROCALS = new long[Totp.MAX_DIGITS + 1];

    static {
        for (int d = Totp.MIN_DIGITS; d <= Totp.MAX_DIGITS; d++) {
            int modulus = POWERS_OF_TEN[d];
            int shift = 31 + (32 - Integer.numberOfLeadingZeros(modulus - 1));
            SHIFTS[d] = shift;
            RECIPROCALS[d] = ((1L << shift) + modulus - 1) / modulus;
        }
    }

    /**
     * Returns {@code value % 10^digits} for a truncated HMAC ({@code 0 <= value < 2^31}, the only values HOTP
     * produces) by a multiplication and a shift instead of a division: {@code idiv} takes a time that depends on its
     * operands on many CPUs, and the value comes from the key. Exact for every such value: with
     * {@code k = 31 + ceil(log2 m)} and {@code M = ceil(2^k / m)}, {@code M * m - 2^k < m <= 2^ceil(log2 m)}, so
     * {@code value * M / 2^k} exceeds {@code value / m} by less than {@code 1 / m} and has the same floor; the product
     * stays below 2^63 for {@code m} up to {@code 10^8}.
     *
     * @param value  the truncated value, 0 to {@code 2^31 - 1}
     * @param digits {@link Totp#MIN_DIGITS} to {@link Totp#MAX_DIGITS}
     * @return the code's value, 0 to {@code 10^digits - 1}
     */
    static int reduce(int value, int digits) {
        int quotient = (int) ((value * RECIPROCALS[digits]) >>> SHIFTS[digits]);
        return value - quotient * POWERS_OF_TEN[digits];
    }

    /**
     * Returns the code's value, or -1 if it is malformed. Branches here depend only on the user's input, which the
     * user already knows, never on the secret.
     */
    static int parseCode(CharSequence code, int digits) {
        if (code == null) {
            return -1;
        }
        int length = code.length();
        if (length > Totp.MAX_CODE_INPUT_LENGTH) {
            return -1;
        }
        int value = 0;
        int count = 0;
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '9' || count == digits) {
                return -1;
            }
            value = value * 10 + (c - '0');
            count++;
        }
        return count == digits ? value : -1;
    }
}
