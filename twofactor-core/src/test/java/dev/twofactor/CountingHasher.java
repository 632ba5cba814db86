package dev.twofactor;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the checks a hasher makes. */
final class CountingHasher implements SecretHasher {

    final SecretHasher delegate = SecretHasher.pbkdf2(1000);
    final AtomicInteger matches = new AtomicInteger();
    /** The stored hash of the last {@link #matches} call. */
    volatile String lastHash;

    @Override
    public String hash(CharSequence secret) {
        return delegate.hash(secret);
    }

    @Override
    public boolean matches(CharSequence secret, String encodedHash) {
        matches.incrementAndGet();
        lastHash = encodedHash;
        return delegate.matches(secret, encodedHash);
    }

    @Override
    public boolean needsRehash(String encodedHash) {
        return delegate.needsRehash(encodedHash);
    }
}
