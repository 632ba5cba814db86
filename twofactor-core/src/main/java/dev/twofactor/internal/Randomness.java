package dev.twofactor.internal;

import java.security.SecureRandom;

/**
 * The one source of randomness for everything twofactor generates: secrets, recovery codes, app passwords, salts,
 * AES-GCM nonces and record ids.
 *
 * <p>Keeping a single place makes it auditable that no code path falls back to {@code java.util.Random} or
 * {@code Math.random()}. {@link SecureRandom} is thread-safe, and the default constructor picks the platform's
 * non-blocking source (NativePRNG on Linux), so one shared instance serves all threads.
 */
public final class Randomness {

    private static final SecureRandom SHARED = new SecureRandom();

    private Randomness() {
    }

    /**
     * Returns the shared, thread-safe {@link SecureRandom}.
     *
     * @return the shared instance; never {@code null}
     */
    public static SecureRandom shared() {
        return SHARED;
    }
}
