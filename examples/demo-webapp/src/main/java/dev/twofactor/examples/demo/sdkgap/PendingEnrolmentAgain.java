package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.Enrolment;
import dev.twofactor.KeyUri;
import dev.twofactor.QrCode;
import dev.twofactor.SecretCipher;
import dev.twofactor.TotpSecret;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.PendingEnrolment;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * SDK gap: show the same pending QR code again (after a reload, or beside "That code did not match") within the
 * pending enrolment's lifetime, instead of minting a new secret that the user's app does not know. The SDK returns
 * the secret only from {@code startEnrolment}; this reads the sealed pending secret from the store and opens it with
 * the application's cipher, never keeping it anywhere. Replace with the SDK's "pending enrolment again" once it exists.
 */
public final class PendingEnrolmentAgain {

    private final CredentialStore store;
    private final SecretCipher cipher;
    private final String issuer;
    private final Clock clock;

    /**
     * @param store the credential store the service uses
     * @param cipher the service's cipher
     * @param issuer the service's issuer
     * @param clock the service's clock
     */
    public PendingEnrolmentAgain(CredentialStore store, SecretCipher cipher, String issuer, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * @param userId the user
     * @param accountName the account name shown in the app (as at the start)
     * @return the live, not yet confirmed pending enrolment, if there is one
     */
    public Optional<Enrolment> find(String userId, String accountName) {
        PendingEnrolment pending = store.findCredential(userId).map(credential -> credential.pending()).orElse(null);
        if (pending == null || pending.confirmed() || pending.isExpired(clock.instant())) {
            return Optional.empty();
        }
        byte[] raw = cipher.open(userId, pending.secret());
        try {
            TotpSecret secret = TotpSecret.ofBytes(raw);
            KeyUri uri = KeyUri.of(issuer, accountName, secret);
            return Optional.of(new Enrolment(secret, uri, QrCode.encode(uri.toUriString()), pending.expiresAt()));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
