package dev.twofactor.examples.quickstart;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import java.security.SecureRandom;

/**
 * Two-factor authentication for one user, start to finish, with the in-memory store: enrol, confirm, sign in, a
 * replay refused, a recovery code redeemed. A real application keeps the store in its database (twofactor-jdbc) and
 * the key in its vault, and the user types the codes their phone shows; here the engine plays the phone.
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
        byte[] key = new byte[32]; // in production: from your key vault, never generated at start-up
        new SecureRandom().nextBytes(key);
        TwoFactorService twoFactor = TwoFactorService.builder()
                .issuer("ACME Co")
                .store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("2026-01", key).build()))
                .build();

        // 1. The user clicks "Enable": show the QR code and the key for manual entry.
        Enrolment enrolment = value(twoFactor.startEnrolment("alice", "alice@example.com"));
        System.out.print(enrolment.qrCode().terminal());
        System.out.println("Key URI: " + enrolment.keyUri().toUriString());
        System.out.println("Or enter this key by hand: " + enrolment.secret().grouped());

        // 2. The user types the code their app shows (here: computed, standing in for the phone).
        Totp phone = Totp.defaults();
        Confirmation confirmation = value(twoFactor.confirmEnrolment("alice", phone.generate(enrolment.secret(),
                phone.currentTimeStep())));
        System.out.println("State: " + confirmation.state().label() + ". Save these recovery codes — shown ONCE:");
        confirmation.recoveryCodes().codes().forEach(code -> System.out.println("  " + code));

        // 3. A later sign-in: the password was right, now the second factor. The confirming code is used up; the
        //    phone's next code (its clock a few seconds ahead) is inside the ±1 step window.
        String code = phone.generate(enrolment.secret(), phone.currentTimeStep() + 1);
        System.out.println("Sign-in with " + code + ": " + describe(twoFactor.verifyCode("alice", code)));

        // 4. Lost phone: a recovery code works once, typed in any case.
        String recoveryCode = confirmation.recoveryCodes().codes().get(0);
        RecoveryCodeAccepted redeemed = value(twoFactor.redeemRecoveryCode("alice", recoveryCode.toLowerCase()));
        System.out.println("Recovery code " + recoveryCode + " accepted; " + redeemed.remaining() + " left.");
        System.out.println("Same recovery code again: "
                + describe(twoFactor.redeemRecoveryCode("alice", recoveryCode)));

        // 5. Replay: a code is accepted at most once (and each failure counts toward the brute-force backoff).
        System.out.println("Sign-in code " + code + " again: " + describe(twoFactor.verifyCode("alice", code)));
        System.out.println("Status: " + twoFactor.status("alice"));
    }

    private static <T> T value(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Success<T> success) {
            return success.value();
        }
        throw new IllegalStateException(outcome.message());
    }

    private static String describe(Outcome<?> outcome) {
        return outcome.succeeded() ? "accepted" : "rejected: " + outcome.message();
    }
}
