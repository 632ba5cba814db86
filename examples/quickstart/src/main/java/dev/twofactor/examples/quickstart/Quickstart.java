package dev.twofactor.examples.quickstart;

import dev.twofactor.KeyUri;
import dev.twofactor.QrCode;
import dev.twofactor.Totp;
import dev.twofactor.TotpMatch;
import dev.twofactor.TotpSecret;

/**
 * Enrols a user with the TOTP engine alone: a new secret, its key URI and QR code, then the current code verified.
 * A real application stores the secret (encrypted) with the user and verifies the code the user types.
 */
public final class Quickstart {

    private Quickstart() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // One engine for the whole application: immutable and thread-safe.
        Totp totp = Totp.defaults();

        TotpSecret secret = TotpSecret.generate();
        KeyUri keyUri = KeyUri.of("ACME Co", "alice@example.com", secret, totp);

        System.out.println("Scan this with an authenticator app:");
        System.out.print(QrCode.encode(keyUri.toUriString()).terminal());
        System.out.println("or enter the key by hand: " + secret.grouped());
        System.out.println("Key URI: " + keyUri.toUriString());

        // Here the user would type the code the app shows; we compute it ourselves.
        String code = totp.generate(secret, totp.currentTimeStep());
        TotpMatch match = totp.verify(secret, code);
        System.out.println("Current code " + code + ": " + describe(match));
        System.out.println("Code 000000: " + describe(totp.verify(secret, "000000")));
        System.out.println("Code +12345: " + describe(totp.verify(secret, "+12345")));
    }

    private static String describe(TotpMatch match) {
        if (match instanceof TotpMatch.Matched matched) {
            return "accepted (time step " + matched.timeStep() + ", drift " + matched.drift() + ")";
        }
        return match instanceof TotpMatch.Malformed ? "rejected: not a 6-digit code" : "rejected: wrong code";
    }
}
