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
     * result, and the match closest to the current step (the earlier on a tie) is reported.
     */
    static TotpMatch check(Hotp hotp, int expected, long currentStep, int window, int modulus) {
        int found = 0;
        int matchedDrift = 0;
        // Visit drifts 0, -1, +1, -2, +2, ... so that the first hit is the closest one.
        for (int i = 0, candidates = 2 * window + 1; i < candidates; i++) {
            int drift = (i & 1) == 0 ? i >> 1 : -((i + 1) >> 1);
            long step = currentStep + drift;
            boolean overflowed = ((currentStep ^ step) & (drift ^ step)) < 0;
            // This branch depends on the time only, never on the secret or the code.
            if (overflowed || step < 0) {
                continue;
            }
            int candidate = hotp.truncate(step) % modulus;
            int hit = ConstantTime.equal(candidate, expected);
            int first = hit & ~found;
            matchedDrift = ConstantTime.select(first, drift, matchedDrift);
            found |= hit;
        }
        // Only now, with all candidates done, does the outcome steer control flow.
        if (found == 0) {
            return TotpMatch.Mismatch.INSTANCE;
        }
        return new TotpMatch.Matched(currentStep + matchedDrift, matchedDrift);
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
