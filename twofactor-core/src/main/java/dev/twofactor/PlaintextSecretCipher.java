package dev.twofactor;

import dev.twofactor.spi.EncryptedSecret;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores secrets as they are, under key id {@code plain}; only when asked for, with a warning. */
final class PlaintextSecretCipher implements SecretCipher {

    private static final Logger LOG = LoggerFactory.getLogger(SecretCipher.class);

    PlaintextSecretCipher() {
        LOG.warn("twofactor stores TOTP secrets UNENCRYPTED (SecretCipher.plaintext()). Use only for development and "
                + "tests; in production use SecretCipher.aesGcm(KeyRing).");
    }

    @Override
    public EncryptedSecret seal(String userId, byte[] secret) {
        Objects.requireNonNull(userId, "userId");
        return new EncryptedSecret(EncryptedSecret.PLAINTEXT_KEY_ID, secret);
    }

    @Override
    public byte[] open(String userId, EncryptedSecret sealed) {
        Objects.requireNonNull(userId, "userId");
        if (!EncryptedSecret.PLAINTEXT_KEY_ID.equals(sealed.keyId())) {
            throw new IllegalStateException("Secret is sealed with key '" + sealed.keyId()
                    + "', but the service runs in plaintext mode without keys");
        }
        return sealed.sealed();
    }

    @Override
    public boolean isCurrent(EncryptedSecret sealed) {
        return EncryptedSecret.PLAINTEXT_KEY_ID.equals(sealed.keyId());
    }

    @Override
    public String currentKeyId() {
        return EncryptedSecret.PLAINTEXT_KEY_ID;
    }

    @Override
    public String toString() {
        return "SecretCipher.plaintext()";
    }
}
