package dev.twofactor;

import dev.twofactor.internal.ConstantTime;
import dev.twofactor.internal.Hotp;
import dev.twofactor.internal.Randomness;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, salt and hash in Base64 without padding,
 * 16-byte salt, 32-byte output. Computed by {@link Hotp#pbkdf2Sha256} from the password's HMAC midstates where the
 * JVM opens the JDK's SHA implementation to twofactor (see {@link TotpAlgorithm#midstateHmac()}), otherwise, and for
 * stored hashes of another shape, by the JDK's {@code PBKDF2WithHmacSHA256}; both give the same bytes.
 */
final class Pbkdf2SecretHasher implements SecretHasher {

    static final String PREFIX = "pbkdf2-sha256$";
    static final int MIN_ITERATIONS = 1000;
    /** Upper bound when reading a stored hash, so a corrupted record cannot make one check run for minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** Longest secret hashed: recovery codes and app passwords are far shorter; this bounds the work of bad input. */
    static final int MAX_SECRET_LENGTH = 256;

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final int iterations;

    Pbkdf2SecretHasher(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "PBKDF2 iterations must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS
                    + ", got " + iterations);
        }
        this.iterations = iterations;
    }

    @Override
    public String hash(CharSequence secret) {
        checkSecret(secret);
        byte[] salt = new byte[SALT_BYTES];
        Randomness.shared().nextBytes(salt);
        byte[] hash = derive(secret, salt, iterations, HASH_BITS);
        try {
            return PREFIX + iterations + '$' + ENCODER.encodeToString(salt) + '$' + ENCODER.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    @Override
    public boolean matches(CharSequence secret, String encodedHash) {
        checkSecret(secret);
        Objects.requireNonNull(encodedHash, "encodedHash");
        Parsed parsed = Parsed.of(encodedHash);
        if (parsed == null) {
            return false;
        }
        byte[] candidate = derive(secret, parsed.salt, parsed.iterations, parsed.hash.length * 8);
        try {
            return ConstantTime.equals(candidate, parsed.hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    @Override
    public boolean needsRehash(String encodedHash) {
        Parsed parsed = Parsed.of(Objects.requireNonNull(encodedHash, "encodedHash"));
        return parsed == null || parsed.iterations < iterations;
    }

    int iterations() {
        return iterations;
    }

    @Override
    public String toString() {
        return "SecretHasher.pbkdf2(" + iterations + ")";
    }

    private static void checkSecret(CharSequence secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() == 0 || secret.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("Secret to hash must have 1 to " + MAX_SECRET_LENGTH + " characters");
        }
    }

    private static byte[] derive(CharSequence secret, byte[] salt, int iterations, int bits) {
        if (bits == HASH_BITS) {
            // The same PBKDF2, from the password's HMAC midstates where the JVM allows (Hotp.pbkdf2Sha256): half
            // the work per iteration. The JDK's PBKDF2 takes the password's chars as UTF-8 (unpaired surrogates
            // replaced), as the encoder does here; no String copy of the secret is made.
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
            byte[] password = new byte[encoded.remaining()];
            encoded.get(password);
            Arrays.fill(encoded.array(), (byte) 0);
            try {
                byte[] derived = Hotp.pbkdf2Sha256(password, salt, iterations);
                if (derived != null) {
                    return derived;
                }
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }
        char[] chars = new char[secret.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = secret.charAt(i);
        }
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        Arrays.fill(chars, '\0');
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A stored hash taken apart; {@code null} from {@link #of} when it is not one this hasher can read. */
    private record Parsed(int iterations, byte[] salt, byte[] hash) {
        static Parsed of(String encoded) {
            if (!encoded.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
            if (parts.length != 3) {
                return null;
            }
            try {
                int iterations = Integer.parseInt(parts[0]);
                byte[] salt = DECODER.decode(parts[1]);
                byte[] hash = DECODER.decode(parts[2]);
                if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length < 16
                        || hash.length > 64) {
                    return null;
                }
                return new Parsed(iterations, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
