package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backoff states of {@link InMemoryTwoFactorStore}: one {@link ConcurrentHashMap} per {@link BackoffScope}, keyed
 * by the user id itself, so that a look-up builds no key object and hashes only the id (its hash is cached in the
 * string). A user without failures has no entry ({@link BackoffState#NONE}). Reads take no lock; the store makes
 * every change under its gate lock, which is what makes a change and a gated accept one atomic step.
 */
final class InMemoryBackoffs {

    /** Indexed by {@link BackoffScope#ordinal()}. */
    private final Map<String, BackoffState>[] states;

    @SuppressWarnings("unchecked")
    InMemoryBackoffs() {
        states = new Map[BackoffScope.values().length];
        for (int i = 0; i < states.length; i++) {
            states[i] = new ConcurrentHashMap<>();
        }
    }

    private Map<String, BackoffState> of(BackoffScope scope) {
        return states[Objects.requireNonNull(scope, "scope").ordinal()];
    }

    BackoffState find(String userId, BackoffScope scope) {
        Objects.requireNonNull(userId, "userId");
        BackoffState state = of(scope).get(userId);
        return state != null ? state : BackoffState.NONE;
    }

    /** The store's compare-and-set; the caller holds the gate lock. */
    boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected, BackoffState next) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        if (!find(userId, scope).equals(expected)) {
            return false;
        }
        if (next.equals(BackoffState.NONE)) {
            of(scope).remove(userId);
        } else {
            of(scope).put(userId, next);
        }
        return true;
    }

    /** Back to {@link BackoffState#NONE}; the caller holds the gate lock. */
    void reset(String userId, BackoffScope scope) {
        Objects.requireNonNull(userId, "userId");
        of(scope).remove(userId);
    }
}
