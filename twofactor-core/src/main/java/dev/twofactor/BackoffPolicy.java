package dev.twofactor;

import java.time.Duration;
import java.util.Objects;

/**
 * How consecutive failures of second-factor checks are slowed down, per user.
 *
 * <p>The first {@link #toleratedFailures()} consecutive failures pass without delay. Each further failure starts a
 * backoff of {@link #initialDelay()}, doubling with each further failure up to {@link #maxDelay()}. During a backoff
 * every check is refused without looking at the input. After {@link #lockAfter()} consecutive failures the user's
 * second factor is locked until an administrator resets it (NIST SP 800-63B caps consecutive failures at 100).
 * A success resets the count. Immutable.
 *
 * <p>Defaults: tolerated failures 1, initial delay 1 s, maximum delay 3600 s, lock after 100 failures.
 */
public final class BackoffPolicy {

    /** The defaults above. */
    public static final BackoffPolicy DEFAULT = builder().build();

    private final int toleratedFailures;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int lockAfter;

    private BackoffPolicy(Builder builder) {
        this.toleratedFailures = builder.toleratedFailures;
        this.initialDelay = builder.initialDelay;
        this.maxDelay = builder.maxDelay;
        this.lockAfter = builder.lockAfter;
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder initialised with this policy
     */
    public Builder newBuilder() {
        Builder builder = new Builder();
        builder.toleratedFailures = toleratedFailures;
        builder.initialDelay = initialDelay;
        builder.maxDelay = maxDelay;
        builder.lockAfter = lockAfter;
        return builder;
    }

    /**
     * @return consecutive failures that pass without delay
     */
    public int toleratedFailures() {
        return toleratedFailures;
    }

    /**
     * @return the first backoff
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * @return the longest backoff
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * @return consecutive failures that lock the second factor
     */
    public int lockAfter() {
        return lockAfter;
    }

    /**
     * @param failures consecutive failures so far, including the one just made
     * @return the backoff that the latest of them starts: zero up to {@link #toleratedFailures()}, then
     *         {@link #initialDelay()} doubling per failure, capped at {@link #maxDelay()}
     */
    public Duration delayAfter(int failures) {
        int beyond = failures - toleratedFailures;
        if (beyond <= 0) {
            return Duration.ZERO;
        }
        // Doubling overflows long quickly; past 62 doublings the cap has long been reached.
        int doublings = Math.min(beyond - 1, 62);
        long millis = initialDelay.toMillis();
        long max = maxDelay.toMillis();
        long delay = doublings >= Long.numberOfLeadingZeros(millis) - 1 ? max : millis << doublings;
        return Duration.ofMillis(Math.min(delay, max));
    }

    /**
     * @param failures consecutive failures so far
     * @return whether they lock the second factor
     */
    public boolean locksAt(int failures) {
        return failures >= lockAfter;
    }

    @Override
    public String toString() {
        return "BackoffPolicy[toleratedFailures=" + toleratedFailures + ", initialDelay=" + initialDelay
                + ", maxDelay=" + maxDelay + ", lockAfter=" + lockAfter + "]";
    }

    /** Builds a {@link BackoffPolicy}; validates at once. */
    public static final class Builder {
        private int toleratedFailures = 1;
        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(3600);
        private int lockAfter = 100;

        private Builder() {
        }

        /**
         * @param toleratedFailures 0 or more; default 1
         * @return this builder
         */
        public Builder toleratedFailures(int toleratedFailures) {
            if (toleratedFailures < 0) {
                throw new IllegalArgumentException("toleratedFailures must not be negative");
            }
            this.toleratedFailures = toleratedFailures;
            return this;
        }

        /**
         * @param initialDelay at least 1 ms; default 1 s
         * @return this builder
         */
        public Builder initialDelay(Duration initialDelay) {
            Objects.requireNonNull(initialDelay, "initialDelay");
            if (initialDelay.toMillis() < 1) {
                throw new IllegalArgumentException("initialDelay must be at least 1 ms");
            }
            this.initialDelay = initialDelay;
            return this;
        }

        /**
         * @param maxDelay at least the initial delay; default 3600 s
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (maxDelay.toMillis() < 1) {
                throw new IllegalArgumentException("maxDelay must be at least 1 ms");
            }
            this.maxDelay = maxDelay;
            return this;
        }

        /**
         * @param lockAfter consecutive failures that lock, more than the tolerated failures; default 100
         * @return this builder
         */
        public Builder lockAfter(int lockAfter) {
            if (lockAfter < 1) {
                throw new IllegalArgumentException("lockAfter must be at least 1");
            }
            this.lockAfter = lockAfter;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalStateException if maxDelay is shorter than initialDelay, or lockAfter is not above
         *                               toleratedFailures
         */
        public BackoffPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalStateException("maxDelay must not be shorter than initialDelay");
            }
            if (lockAfter <= toleratedFailures) {
                throw new IllegalStateException("lockAfter must be greater than toleratedFailures");
            }
            return new BackoffPolicy(this);
        }
    }
}
