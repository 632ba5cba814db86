package dev.twofactor;

import dev.twofactor.internal.JdkGcm;
import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.EncryptedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AES-256-GCM: sealed = 12-byte nonce ‖ ciphertext ‖ 128-bit tag, the user id (UTF-8) as associated data.
 *
 * <p>Opening runs on every sign-in, so each thread keeps one {@link Cipher} per key of the ring instead of looking
 * one up per call; {@code init} resets it completely before each use. One per key rather than one for all keys: the
 * JDK's AES keeps the expanded schedule of the last key it was given only, so a cipher switched between keys (records
 * of an old and a new key mixed during a rotation) expands the key again on every switch, which costs several times
 * the rest of an open ({@code SecretOpenVariantsBenchmark} in the benchmarks module).
 *
 * <p>Where the JVM allows it ({@link JdkGcm#choose}: {@code com.sun.crypto.provider} opened to twofactor, the
 * {@code SunJCE} provider the one {@code Cipher} gets for the key, the kill switch {@value JdkGcm#PROPERTY} not
 * off, a known-answer check passed), each thread's means for a key also hold a {@link JdkGcm}, which opens in the
 * cipher's place on the JDK's AES and GHASH with the key's expanded schedule and GHASH subkey kept: what
 * {@code Cipher.init} builds again on every call, most of an open's cost ({@code SecretOpenBenchmark}). It accepts and
 * refuses the same records, with the same exceptions. Sealing always uses the {@code Cipher}.
 *
 * <p>A fresh random nonce per seal keeps the (key, nonce) pair unique: with 96-bit random nonces, 2^32 seals under one
 * key keep the collision chance below 2^-32 (NIST SP 800-38D).
 */
final class AesGcmSecretCipher implements SecretCipher {

    private static final Logger LOG = LoggerFactory.getLogger(SecretCipher.class);

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private final KeyRing keyRing;
    /** Per key id, each thread's means for that key. */
    private final Map<String, ThreadLocal<PerThread>> perThread;

    /**
     * One thread's means for one key: its {@code Cipher}, and where the JVM allows it the JDK's AES-GCM primitives
     * that open in its place ({@code gcm}, else {@code null} and {@code reason} says why).
     */
    private record PerThread(Cipher cipher, JdkGcm gcm, String reason) {

        static PerThread create(SecretKeySpec key) {
            Cipher cipher = newCipher();
            JdkGcm.Choice choice = JdkGcm.choose(key, cipher);
            return new PerThread(cipher, choice.gcm(), choice.reason());
        }
    }

    AesGcmSecretCipher(KeyRing keyRing) {
        this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
        Map<String, ThreadLocal<PerThread>> byKey = new HashMap<>();
        for (String keyId : keyRing.keyIds()) {
            SecretKeySpec key = keyRing.key(keyId);
            byKey.put(keyId, ThreadLocal.withInitial(() -> PerThread.create(key)));
        }
        this.perThread = Map.copyOf(byKey);
    }

    /**
     * Returns why opening with a key on the calling thread goes through {@code Cipher} rather than the JDK's AES-GCM
     * primitives ({@link JdkGcm}), for tests.
     *
     * @param keyId a key id of the ring
     * @return the reason, or {@code null} if the primitives open
     */
    String fastOpenUnavailableReason(String keyId) {
        ThreadLocal<PerThread> means = perThread.get(keyId);
        if (means == null) {
            throw new IllegalArgumentException("No key '" + keyId + "' in the ring");
        }
        return means.get().reason();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", e);
        }
    }

    @Override
    public EncryptedSecret seal(String userId, byte[] secret) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(secret, "secret");
        byte[] nonce = new byte[NONCE_BYTES];
        Randomness.shared().nextBytes(nonce);
        byte[] sealed = new byte[NONCE_BYTES + secret.length + TAG_BITS / 8];
        System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
        try {
            Cipher cipher = perThread.get(keyRing.primaryKeyId()).get().cipher();
            cipher.init(Cipher.ENCRYPT_MODE, keyRing.primaryKey(),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(secret, 0, secret.length, sealed, NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not seal a secret with key '" + keyRing.primaryKeyId() + "'", e);
        }
        return new EncryptedSecret(keyRing.primaryKeyId(), sealed);
    }

    @Override
    public byte[] open(String userId, EncryptedSecret sealed) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sealed, "sealed");
        String keyId = sealed.keyId();
        if (EncryptedSecret.PLAINTEXT_KEY_ID.equals(keyId)) {
            // A record from plaintext mode, still readable so that reencryptSecrets can seal it. Nothing authenticates
            // it (no tag, no user binding), so every such open is logged: a record nobody sealed in plaintext mode
            // was written into the store by someone else.
            LOG.warn("Opened a TOTP secret stored in plaintext (key id '{}'), which is not authenticated: run "
                    + "TwoFactorService.reencryptSecrets to seal it. If this application never ran with "
                    + "SecretCipher.plaintext(), the record was written into the store by someone else.", keyId);
            return sealed.sealed();
        }
        SecretKeySpec key = keyRing.key(keyId);
        if (key == null) {
            throw new IllegalStateException("Secret is sealed with key '" + keyId + "', which is not in the key ring");
        }
        byte[] bytes = sealed.sealed();
        if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("Secret sealed with key '" + keyId + "' is too short to be AES-GCM");
        }
        try {
            PerThread means = perThread.get(keyId).get();
            if (means.gcm() != null) {
                return means.gcm().open(bytes, userId);
            }
            Cipher cipher = means.cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("Secret sealed with key '" + keyId
                    + "' does not authenticate (tampered, or sealed for another user)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not open a secret sealed with key '" + keyId + "'", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public boolean isCurrent(EncryptedSecret sealed) {
        return keyRing.primaryKeyId().equals(sealed.keyId());
    }

    @Override
    public boolean hasKey(String keyId) {
        return keyRing.key(keyId) != null;
    }

    @Override
    public String currentKeyId() {
        return keyRing.primaryKeyId();
    }

    @Override
    public String toString() {
        return "SecretCipher.aesGcm(" + keyRing + ")";
    }
}
