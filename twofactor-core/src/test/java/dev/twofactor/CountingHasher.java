package dev.twofactor;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the checks a hasher makes. */
final class CountingHasher implements SecretHasher {

    final SecretHasher delegate = SecretHasher.pbkdf2(1000);
    final AtomicInteger matches = new AtomicInteger();

    @Override
    public String hash(CharSequence secret) {
        return delegate.hash(secret);
    }

    @Override
    public boolean matches(CharSequence secret, String encodedHash) {
        matches.incrementAndGet();
        return delegate.matches(secret, encodedHash);
    }

    @Override
    public boolean needsRehash(String encodedHash) {
        return delegate.needsRehash(encodedHash);
    }
}
