package dev.twofactor.benchmarks;

import java.security.InvalidKeyException;
import java.time.Instant;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/**
 * java-otp 0.4.0 as a verifier: "{@code new TimeBasedOneTimePasswordGenerator()}",
 * "{@code totp.generateOneTimePassword(key, now)}". It has no verify method, so the caller loops over the window of
 * one step either side of {@link TotpUsers#NOW}, in one of two ways: stopping at the first match, current step first
 * (what most callers write; not constant time, and one HMAC instead of three for a current code), or computing and
 * comparing the whole window every time (what a constant-time verifier does, the peer of target 3). Not thread-safe,
 * like the generator it holds: one per benchmark thread.
 */
final class JavaOtpWindow {

    private final TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator();
    private final Instant[] window = {
        TotpUsers.NOW,
        TotpUsers.NOW.minusSeconds(TotpUsers.PERIOD_SECONDS),
        TotpUsers.NOW.plusSeconds(TotpUsers.PERIOD_SECONDS),
    };

    /** Whether {@code expected} is the code of a step of the window, stopping at the first that matches. */
    boolean firstMatch(SecretKeySpec key, int expected) throws InvalidKeyException {
        for (Instant instant : window) {
            if (generator.generateOneTimePassword(key, instant) == expected) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code expected} is the code of a step of the window, every step computed and compared. */
    boolean wholeWindow(SecretKeySpec key, int expected) throws InvalidKeyException {
        int found = 0;
        for (Instant instant : window) {
            found |= generator.generateOneTimePassword(key, instant) == expected ? 1 : 0;
        }
        return found != 0;
    }
}
