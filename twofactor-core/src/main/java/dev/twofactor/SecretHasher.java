package dev.twofactor;

/**
 * Hashes recovery codes and app passwords for storage with a salted, slow key-derivation function, and checks input
 * against such a hash in constant time. The encoded hash carries the algorithm and its parameters, so they can be
 * raised later without invalidating stored hashes ({@link #needsRehash}).
 *
 * <p>Implementations are thread-safe.
 */
public interface SecretHasher {

    /**
     * PBKDF2-HMAC-SHA256 from the JDK, 16-byte random salt, 32-byte output, with the default iteration count
     * (chosen so that one guess costs at least a millisecond of CPU while checking a full set of 8 recovery codes
     * stays well under 25 ms; see the benchmarks).
     *
     * @return the default hasher
     */
    static SecretHasher pbkdf2() {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * @param iterations PBKDF2 iterations, at least 1000
     * @return a PBKDF2-HMAC-SHA256 hasher with that iteration count
     */
    static SecretHasher pbkdf2(int iterations) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * @param secret the normalised secret (a recovery code without dashes, an app password's digits)
     * @return the encoded hash, e.g. {@code pbkdf2-sha256$20000$<salt>$<hash>}
     */
    String hash(CharSequence secret);

    /**
     * @param secret the normalised input
     * @param encodedHash a value {@link #hash} produced (possibly with other parameters)
     * @return whether the input matches; compared in constant time
     */
    boolean matches(CharSequence secret, String encodedHash);

    /**
     * @param encodedHash a stored hash
     * @return whether it was made with weaker parameters than this hasher uses today
     */
    boolean needsRehash(String encodedHash);
}
