package dev.twofactor;

import java.security.SecureRandom;
import java.util.Objects;

import dev.twofactor.internal.Base32Text;
import dev.twofactor.internal.ConstantTime;
import dev.twofactor.internal.Hotp;
import dev.twofactor.internal.Randomness;

/**
 * A shared TOTP secret: the HMAC key that the server and the user's authenticator app both hold.
 *
 * <p>Instances are immutable and thread-safe. The key bytes never leave the object except through {@link #bytes()}
 * (a copy) and the Base32 forms, which exist to be shown to the user once and stored by the host application.
 * {@link #toString()} is redacted, {@link #equals(Object)} runs in constant time and {@link #hashCode()} depends on
 * the length only, so that logging, comparing or hashing a secret does not leak it.
 *
 * <p>Sizes: RFC 4226 requires at least 128 bits and recommends 160; twofactor generates 160 by default and accepts
 * 128 to {@value #MAX_BITS} bits.
 *
 * <p>Cost: the first code generated or verified with a secret prepares its HMAC key for that algorithm and keeps it
 * for the secret's lifetime. Where the HMAC midstates are in use ({@link TotpAlgorithm#midstateHmac()}), preparing
 * takes 2 SHA block compressions and each HMAC 2 more, so a verification with a window of one step either side costs
 * 6 compressions with a secret kept and reused and 8 with a secret built per call; over {@code MessageDigest} it
 * costs 12 either way. Keys longer than the hash's block are hashed once more when prepared. An application that
 * keeps no {@code TotpSecret} objects can give the key per call instead ({@link Totp#verifyKey},
 * {@link Totp#verifyBase32}, as the service does with each opened secret): the same compressions, with the key
 * prepared in per-thread scratch space that is wiped when the call ends, and nothing allocated but the result.
 */
public final class TotpSecret {

    /** Fewest bits accepted: the RFC 4226 section 4 minimum. */
    public static final int MIN_BITS = 128;

    /** Bits of a generated secret unless told otherwise: the RFC 4226 recommendation and the common app default. */
    public static final int DEFAULT_BITS = 160;

    /**
     * Most bits accepted: 1024, the block size of SHA-512. HMAC hashes longer keys down first, so they would add
     * nothing but cost, and a bound keeps untrusted input cheap to reject.
     */
    public static final int MAX_BITS = 1024;

    private final byte[] key;
    // HMAC keys prepared per hash function on first use, so that verifying with a long-lived secret does not redo
    // the key set-up every time (the role a cached SecretKeySpec would play for javax.crypto.Mac). They are as
    // sensitive as the key and, like it, never leave this object. Racy caching is safe: Hotp.Key is immutable
    // with final fields, and a thread that sees null merely derives an equal key again.
    private final Hotp.Key[] hmacKeys = new Hotp.Key[Hotp.Hash.values().length];

    private TotpSecret(byte[] key) {
        this.key = key;
    }

    /**
     * Generates a new random secret of {@value #DEFAULT_BITS} bits from twofactor's shared {@link SecureRandom}.
     *
     * @return a new secret
     */
    public static TotpSecret generate() {
        return generate(Randomness.shared(), DEFAULT_BITS);
    }

    /**
     * Generates a new random secret.
     *
     * @param random the source of randomness; pass a {@link SecureRandom} you trust (tests may pass a seeded one)
     * @param bits   a multiple of 8 from {@value #MIN_BITS} to {@value #MAX_BITS}
     * @return a new secret
     * @throws IllegalArgumentException if {@code bits} is out of range or not a multiple of 8
     */
    public static TotpSecret generate(SecureRandom random, int bits) {
        Objects.requireNonNull(random, "random");
        if (bits % 8 != 0) {
            throw new IllegalArgumentException("Secret size must be a multiple of 8 bits, got " + bits);
        }
        checkSize(bits);
        byte[] key = new byte[bits / 8];
        random.nextBytes(key);
        return new TotpSecret(key);
    }

    /**
     * Reads a secret from Base32 text as typed or pasted by a person or found in a key URI.
     *
     * <p>Accepted: ASCII letters in either case, the digits 2 to 7, spaces and {@code -} anywhere (they are ignored),
     * and trailing {@code =} padding. Anything else is rejected rather than skipped, so that a typo cannot silently
     * produce a different key. The unused low bits of the last character are ignored, as authenticator apps do.
     *
     * @param text the Base32 text, e.g. {@code "jbsw y3dp ehpk 3pxp ..."}
     * @return the secret
     * @throws IllegalArgumentException if the text is not Base32 or the key is shorter than {@value #MIN_BITS} or
     *                                  longer than {@value #MAX_BITS} bits; the message never contains the text
     */
    public static TotpSecret fromBase32(CharSequence text) {
        Objects.requireNonNull(text, "text");
        byte[] key = Base32Text.decode(text);
        checkSize(key.length * 8);
        return new TotpSecret(key);
    }

    /**
     * Wraps raw key bytes, for example read from the host's encrypted store.
     *
     * @param key the key; copied, so later changes to the array do not affect the secret
     * @return the secret
     * @throws IllegalArgumentException if the key is shorter than 16 bytes ({@value #MIN_BITS} bits) or longer than
     *                                  {@value #MAX_BITS} bits
     */
    public static TotpSecret ofBytes(byte[] key) {
        Objects.requireNonNull(key, "key");
        checkSize(key.length * 8);
        return new TotpSecret(key.clone());
    }

    static void checkSize(int bits) {
        if (bits < MIN_BITS) {
            throw new IllegalArgumentException(
                    "Secret is too short: " + bits + " bits, at least " + MIN_BITS + " are required");
        }
        if (bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "Secret is too long: " + bits + " bits, at most " + MAX_BITS + " are accepted");
        }
    }

    /**
     * Returns the key bytes.
     *
     * @return a new copy of the key
     */
    public byte[] bytes() {
        return key.clone();
    }

    /**
     * Returns the key size.
     *
     * @return the number of bits, a multiple of 8
     */
    public int bits() {
        return key.length * 8;
    }

    /**
     * Returns the key as upper-case Base32 without padding, the form of the key URI's {@code secret} parameter.
     *
     * @return e.g. {@code "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}
     */
    public String base32() {
        return Base32Text.encode(key);
    }

    /**
     * Returns the Base32 form in groups of four characters separated by spaces, for users who type the key into
     * their app by hand instead of scanning the QR code. {@link #fromBase32} accepts this form.
     *
     * @return e.g. {@code "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"}
     */
    public String grouped() {
        return Base32Text.group(base32());
    }

    Hotp.Key hmacKey(Hotp.Hash hash) {
        Hotp.Key prepared = hmacKeys[hash.ordinal()];
        if (prepared == null) {
            prepared = Hotp.Key.derive(hash, key);
            hmacKeys[hash.ordinal()] = prepared;
        }
        return prepared;
    }

    /**
     * Compares the keys in constant time, so that timing does not reveal how much of a guessed key was right.
     *
     * @param other another object
     * @return whether {@code other} is a {@code TotpSecret} with the same key
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TotpSecret that && ConstantTime.equals(key, that.key);
    }

    /**
     * Returns a hash of the key length only: any hash of the key bytes would publish information about the key to
     * everything that can see the hash code (hash tables, heap dumps, debug output).
     *
     * @return a value that depends only on {@link #bits()}
     */
    @Override
    public int hashCode() {
        return 31 + key.length;
    }

    /**
     * Returns a redacted description that is safe to log.
     *
     * @return e.g. {@code "TotpSecret[160 bits, redacted]"}
     */
    @Override
    public String toString() {
        return "TotpSecret[" + bits() + " bits, redacted]";
    }
}
