package dev.twofactor;

import dev.twofactor.spi.Credential;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Key rotation (SPEC §11): re-seals active secrets sealed with an older key. */
final class KeyRotation {

    private static final Logger LOG = LoggerFactory.getLogger(TwoFactorService.class);

    private final Context context;

    KeyRotation(Context context) {
        this.context = context;
    }

    int reencrypt(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        SecretCipher cipher = context.cipher;
        int resealed = 0;
        List<String> page = context.credentials.findUsersWithSecretNotSealedBy(cipher.currentKeyId(), batchSize);
        if (page.isEmpty()) {
            LOG.info("No TOTP secret left to re-seal: every active secret is sealed with key '{}'{}",
                    cipher.currentKeyId(), context.acceptPlaintextSecrets
                            ? "; acceptPlaintextSecretsForMigration can be switched off" : "");
        }
        for (String userId : page) {
            Credential credential = context.credentials.findCredential(userId).orElse(null);
            if (credential == null || !credential.enabled() || cipher.isCurrent(credential.secret())) {
                continue;
            }
            byte[] raw = context.open(userId, credential.secret());
            try {
                if (context.credentials.replaceSecret(userId, credential.secret(), cipher.seal(userId, raw))) {
                    resealed++;
                }
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (resealed > 0) {
            LOG.info("Re-sealed {} TOTP secrets with key '{}'", resealed, cipher.currentKeyId());
        }
        return resealed;
    }

    /** {@link TwoFactorService#checkKeyRing()}. */
    void checkKeyRing() {
        java.util.Set<String> missing = new java.util.TreeSet<>();
        for (String keyId : context.credentials.findKeyIds()) {
            boolean plaintext = dev.twofactor.spi.EncryptedSecret.PLAINTEXT_KEY_ID.equals(keyId);
            if (plaintext ? !context.acceptPlaintextSecrets && !context.cipher.hasKey(keyId)
                    : !context.cipher.hasKey(keyId)) {
                missing.add(keyId);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The store holds secrets sealed with key id(s) " + missing + " that the "
                    + "key ring does not hold: restore the key ring from backup (the database and the key ring are "
                    + "backed up and restored together); without the key those users cannot sign in with their "
                    + "second factor");
        }
    }
}
