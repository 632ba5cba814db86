package dev.twofactor;

/**
 * Hashes recovery codes and app passwords for storage with a salted, slow key-derivation function, and checks input
 * against such a hash in constant time. The encoded hash carries the algorithm and its parameters, so they can be
 * raised later without invalidating stored hashes: a hash made with other parameters still matches. The service
 * does not re-hash on use; new parameters apply to every code and app password made from then on (a regenerated set
 * of recovery codes, a new app password), and {@link #needsRehash} tells a host which stored hashes predate them.
 *
 * <p>Implementations are thread-safe.
 */
public interface SecretHasher {

    /**
     * Default PBKDF2 iteration count: {@value}. One hash takes that many HMAC-SHA-256 computations, which an
     * attacker's implementation does with two SHA-256 block compressions each, and so does twofactor's where the JVM
     * opens the JDK's SHA implementation to it ({@link TotpAlgorithm#midstateHmac()}): over a millisecond of CPU per
     * guess, while checking a full set of 8 recovery codes stays near 12 ms, under the 25 ms budget of a sign-in.
     * Without that flag the JDK's own PBKDF2 does four compressions and more bookkeeping per iteration and takes two
     * to three times as long (see the benchmarks). The secrets hashed here are random (40 bits and more), not human
     * passwords, so ten thousand iterations on top of the salt suffice.
     */
    int DEFAULT_PBKDF2_ITERATIONS = 10_000;

    /**
     * PBKDF2-HMAC-SHA256, 16-byte random salt, 32-byte output, {@value #DEFAULT_PBKDF2_ITERATIONS}
     * iterations (chosen so that one guess costs at least a millisecond of CPU while checking a full set of 8
     * recovery codes stays well under 25 ms; see the benchmarks). Encoded as
     * {@code pbkdf2-sha256$<iterations>$<salt Base64>$<hash Base64>}.
     *
     * @return the default hasher
     */
    static SecretHasher pbkdf2() {
        return new Pbkdf2SecretHasher(DEFAULT_PBKDF2_ITERATIONS);
    }

    /**
     * @param iterations PBKDF2 iterations, 1000 to 10,000,000
     * @return a PBKDF2-HMAC-SHA256 hasher with that iteration count; it still checks hashes made with other counts
     * @throws IllegalArgumentException if the count is out of range
     */
    static SecretHasher pbkdf2(int iterations) {
        return new Pbkdf2SecretHasher(iterations);
    }

    /**
     * @param secret the normalised secret (a recovery code without dashes, an app password's digits), 1 to 256
     *               characters
     * @return the encoded hash, e.g. {@code pbkdf2-sha256$10000$<salt>$<hash>}
     */
    String hash(CharSequence secret);

    /**
     * @param secret the normalised input
     * @param encodedHash a value {@link #hash} produced (possibly with other parameters)
     * @return whether the input matches; compared in constant time. {@code false} for a hash this hasher cannot
     *         read (another algorithm, or a corrupted record)
     */
    boolean matches(CharSequence secret, String encodedHash);

    /**
     * For a host that wants to find old hashes (to ask their owners to regenerate recovery codes or re-create app
     * passwords); the service itself does not call it.
     *
     * @param encodedHash a stored hash
     * @return whether it was made with weaker parameters than this hasher uses today (or cannot be read)
     */
    boolean needsRehash(String encodedHash);
}
