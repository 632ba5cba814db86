package dev.twofactor.testing;

import dev.twofactor.Totp;
import dev.twofactor.TotpAlgorithm;
import dev.twofactor.TotpSecret;

/**
 * A program for {@code MidstatePathTest}'s JVMs: prints, for each algorithm, whether its HMAC uses the midstate path,
 * why not, and one code, one line each. Outside package {@code dev.twofactor}, which the module owns when twofactor is
 * on the module path.
 */
public final class MidstateReport {

    private MidstateReport() {
    }

    /**
     * Prints the report.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        byte[] key = new byte[20];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        for (TotpAlgorithm algorithm : TotpAlgorithm.values()) {
            String code = Totp.builder().algorithm(algorithm).build().generate(TotpSecret.ofBytes(key), 1_234_567L);
            System.out.println(algorithm + " " + algorithm.midstateHmac() + " " + code + " "
                    + algorithm.midstateUnavailableReason().orElse("-"));
        }
    }
}
