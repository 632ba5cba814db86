package dev.twofactor.testing;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** Codes for tests of a check. Published in core's test-jar for the other modules' tests and for integrators' own. */
public final class Codes {

    private Codes() {
    }

    /**
     * @param totp   the verifier's settings (digits, period, window)
     * @param secret the user's secret
     * @param now    when the code is presented
     * @return a well-formed code that matches no step of {@code totp}'s window at {@code now}: the answer must be a
     *         wrong code, never a lucky match
     */
    public static String wrong(Totp totp, TotpSecret secret, Instant now) {
        long step = totp.timeStep(now);
        Set<String> window = new HashSet<>();
        for (long s = step - totp.window(); s <= step + totp.window(); s++) {
            window.add(totp.generate(secret, s));
        }
        long modulus = (long) Math.pow(10, totp.digits());
        for (long i = 0; ; i++) {
            String candidate = String.format("%0" + totp.digits() + "d", (123_457 + i * 7919) % modulus);
            if (!window.contains(candidate)) {
                return candidate;
            }
        }
    }
}
