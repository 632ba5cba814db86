package dev.twofactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.twofactor.internal.Hotp;

/**
 * The TOTP engine (RFC 6238): generates and verifies time-based one-time codes.
 *
 * <p>A code is RFC 4226 HOTP with the counter set to the time step {@code floor(epochSeconds / period)}, with
 * {@code T0 = 0} and all 64 bits of the counter. Defaults: {@link #DEFAULT_ALGORITHM SHA-1},
 * {@value #DEFAULT_DIGITS} digits, a {@link #DEFAULT_PERIOD 30-second} period, a window of
 * {@value #DEFAULT_WINDOW} step either side and {@link Clock#systemUTC()}: what every authenticator app assumes.
 *
 * <p>Instances are immutable and thread-safe. Build one per configuration at start-up and share it:
 * <pre>{@code
 * Totp totp = Totp.defaults();
 * TotpMatch match = totp.verify(secret, userInput);
 * if (match instanceof TotpMatch.Matched m && m.timeStep() > lastAcceptedStep) { ... }
 * }</pre>
 *
 * <p><b>Security.</b> {@link #verifyAtStep} computes the code of every step in the window and compares each with the
 * input without branching on the result, then reports the match closest to the current step. Stopping at the first
 * match would make a code for the current step answer faster than one for the next step, telling an attacker which
 * step a guess hit. Input is parsed by hand instead of with {@code Integer.parseInt}, which accepts {@code +123456}
 * and non-ASCII digits such as Arabic-Indic or fullwidth ones: a code must be exactly {@link #digits()} ASCII digits,
 * so that equal codes have exactly one spelling and odd input cannot reach the HMAC. Each truncated HMAC is reduced to
 * a code by a multiplication and a shift, not a division, whose duration on many CPUs depends on its operands.
 * Verification does not remember accepted codes; replay protection belongs to the caller (see {@link TotpMatch}).
 *
 * <p><b>Performance.</b> Each thread keeps one reusable HMAC state per algorithm and each {@link TotpSecret} keeps its
 * HMAC key prepared after first use, so verifying computes exactly the HMACs of the window and allocates nothing but
 * the {@link TotpMatch.Matched} result. A key given per call ({@link #verifyKey}, {@link #verifyBase32}) is prepared in
 * the thread's scratch space, wiped when the call ends, and allocates nothing more. Malformed input is rejected before
 * any hashing. Where the JVM opens the JDK's SHA implementation to twofactor
 * ({@code --add-opens java.base/sun.security.provider=ALL-UNNAMED}, or {@code =dev.twofactor} on the module path),
 * the prepared key also holds the HMAC midstates and each HMAC-SHA-1 or HMAC-SHA-256 takes two block compressions
 * instead of four; see {@link TotpAlgorithm#midstateHmac()}. With the default window of one step either side:
 * <table>
 *   <caption>Block compressions per verification, window 1 (three HMACs)</caption>
 *   <tr><th></th><th>midstates</th><th>{@code MessageDigest}</th></tr>
 *   <tr><td>a {@code TotpSecret} kept and reused</td><td>6</td><td>12</td></tr>
 *   <tr><td>the key given per call, or a {@code TotpSecret} built per call</td><td>8 (2 to prepare the
 *       key)</td><td>12</td></tr>
 * </table>
 * On the midstate path the compressions that do not depend on each other (a key's two pad blocks; the inner hashes of
 * the window's steps, then their outer hashes, up to three at a time) run side by side on separate chaining states,
 * which the CPU overlaps; the count stays the same. Keys longer than the hash's block (64 bytes for SHA-1 and
 * SHA-256) are hashed first when prepared, as HMAC requires.
 */
public final class Totp {

    /** Default algorithm: {@link TotpAlgorithm#SHA1}, the only one every authenticator app supports. */
    public static final TotpAlgorithm DEFAULT_ALGORITHM = TotpAlgorithm.SHA1;

    /** Default code length: 6 digits. */
    public static final int DEFAULT_DIGITS = 6;

    /** Default period: 30 seconds (RFC 6238 section 5.2). */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

    /**
     * Default window: 1 step either side of the current one, tolerating a code typed just before it changed and
     * clocks up to a period apart (RFC 6238 section 5.2 recommends at most one step of network delay).
     */
    public static final int DEFAULT_WINDOW = 1;

    /** Fewest digits a code may have (RFC 4226 requires at least 6). */
    public static final int MIN_DIGITS = 6;

    /** Most digits a code may have; 8 is the most an authenticator app displays and still fits 31 bits. */
    public static final int MAX_DIGITS = 8;

    /** Largest window: 10 steps either side. Wider windows multiply the chance of guessing a code. */
    public static final int MAX_WINDOW = 10;

    /**
     * Longest code input, in characters, that verification looks at; longer input is {@link TotpMatch.Malformed}
     * at once, before any loop over it, so that an attacker cannot make verification scan megabytes.
     */
    public static final int MAX_CODE_INPUT_LENGTH = 64;

    private static final Totp DEFAULTS = new Builder().build();

    private final TotpAlgorithm algorithm;
    private final int digits;
    private final Duration period;
    private final long periodSeconds;
    private final int window;
    private final Clock clock;
    private final TotpSteps steps;

    private Totp(Builder builder) {
        this.algorithm = builder.algorithm;
        this.digits = builder.digits;
        this.period = builder.period;
        this.periodSeconds = builder.period.getSeconds();
        this.window = builder.window;
        this.clock = builder.clock;
        this.steps = new TotpSteps(clock, periodSeconds);
    }

    /**
     * Returns the engine with every default: SHA-1, 6 digits, 30 seconds, window 1, {@link Clock#systemUTC()}.
     *
     * @return a shared instance
     */
    public static Totp defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder initialised with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder initialised with this engine's settings, to derive a variant such as one with a fixed clock.
     *
     * @return a new builder
     */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /**
     * Returns the HMAC algorithm.
     *
     * @return the algorithm
     */
    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Returns the number of digits in a code.
     *
     * @return 6, 7 or 8
     */
    public int digits() {
        return digits;
    }

    /**
     * Returns the length of a time step.
     *
     * @return a whole number of seconds, at least one
     */
    public Duration period() {
        return period;
    }

    /**
     * Returns how many steps either side of the current one {@link #verify} accepts.
     *
     * @return 0 to {@value #MAX_WINDOW}
     */
    public int window() {
        return window;
    }

    /**
     * Returns the clock that {@link #verify(TotpSecret, CharSequence)} and {@link #currentTimeStep()} read.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the time step of an instant: {@code floor(epochSeconds / period)} with {@code T0 = 0}.
     *
     * @param instant the instant
     * @return the step; negative for instants before 1970-01-01T00:00:00Z, which have no code
     */
    public long timeStep(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), periodSeconds);
    }

    /**
     * Returns the time step of the clock's current instant.
     *
     * @return the step
     */
    public long currentTimeStep() {
        return steps.current();
    }

    /**
     * Generates the code for a time step. This is RFC 4226 HOTP with counter {@code timeStep}, so an engine with
     * the default settings also produces the RFC 4226 test vectors.
     *
     * @param secret   the secret
     * @param timeStep the time step (the HOTP counter), not negative
     * @return the code, zero-padded to {@link #digits()} ASCII digits
     * @throws IllegalArgumentException if {@code timeStep} is negative
     */
    public String generate(TotpSecret secret, long timeStep) {
        Objects.requireNonNull(secret, "secret");
        if (timeStep < 0) {
            throw new IllegalArgumentException(
                    "Time step must not be negative: instants before 1970-01-01T00:00:00Z have no TOTP code");
        }
        int code;
        try (Hotp hotp = Hotp.begin(secret.hmacKey(algorithm.hash()))) {
            code = TotpWindow.reduce(hotp.truncate(timeStep), digits);
        }
        char[] text = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            text[i] = (char) ('0' + code % 10);
            code /= 10;
        }
        return new String(text);
    }

    /**
     * Generates the code for the time step containing an instant.
     *
     * @param secret  the secret
     * @param instant the instant, not before 1970-01-01T00:00:00Z
     * @return the code, zero-padded to {@link #digits()} ASCII digits
     * @throws IllegalArgumentException if the instant is before 1970
     */
    public String generateAt(TotpSecret secret, Instant instant) {
        return generate(secret, timeStep(instant));
    }

    /**
     * Verifies a code at the clock's current instant; see {@link #verifyAtStep}.
     *
     * @param secret the secret
     * @param code   the user's input; may be {@code null}
     * @return the outcome
     */
    public TotpMatch verify(TotpSecret secret, CharSequence code) {
        return verifyAtStep(secret, code, currentTimeStep());
    }

    /**
     * Verifies a code at a given instant; see {@link #verifyAtStep}.
     *
     * @param secret the secret
     * @param code   the user's input; may be {@code null}
     * @param now    the instant to verify at
     * @return the outcome
     */
    public TotpMatch verify(TotpSecret secret, CharSequence code, Instant now) {
        Objects.requireNonNull(now, "now");
        return verifyAtStep(secret, code, timeStep(now));
    }

    /**
     * Verifies a code against every time step from {@code currentStep - window} to {@code currentStep + window}.
     *
     * <p>Input: ASCII spaces are removed (apps display {@code "123 456"}); what remains must be exactly
     * {@link #digits()} characters {@code '0'..'9'}. Anything else, including {@code null}, signs, other Unicode
     * digits and input longer than {@value #MAX_CODE_INPUT_LENGTH} characters, is {@link TotpMatch.Malformed}, decided
     * before any HMAC is computed.
     *
     * <p>Every step of the window is computed and compared in constant time; when more than one matches (possible,
     * as codes are only 6 to 8 digits), the one closest to {@code currentStep} is reported, the earlier one on a tie,
     * since typing a code takes time and so a code from the previous step is the likelier intent. Steps below zero
     * (before 1970) and above {@link Long#MAX_VALUE} are not candidates; if none remains the result is a
     * {@link TotpMatch.Mismatch}.
     *
     * @param secret      the secret
     * @param code        the user's input; may be {@code null}
     * @param currentStep the current time step, e.g. from {@link #timeStep(Instant)}
     * @return {@link TotpMatch.Matched} with the step and drift, {@link TotpMatch.Mismatch} or
     *         {@link TotpMatch.Malformed}
     */
    public TotpMatch verifyAtStep(TotpSecret secret, CharSequence code, long currentStep) {
        Objects.requireNonNull(secret, "secret");
        int expected = TotpWindow.parseCode(code, digits);
        if (expected < 0) {
            return TotpMatch.Malformed.INSTANCE;
        }
        try (Hotp hotp = Hotp.begin(secret.hmacKey(algorithm.hash()))) {
            return TotpWindow.check(hotp, expected, currentStep, window, digits);
        }
    }

    /**
     * Verifies a code at the clock's current instant with the key given as raw bytes; see {@link #verifyKeyAtStep}.
     *
     * @param key  the raw key, {@value TotpSecret#MIN_BITS} to {@value TotpSecret#MAX_BITS} bits; never retained nor
     *             changed (wiping it afterwards is the caller's part)
     * @param code the user's input; may be {@code null}
     * @return the outcome
     * @throws IllegalArgumentException if the key is shorter or longer than a {@link TotpSecret} may be
     */
    public TotpMatch verifyKey(byte[] key, CharSequence code) {
        return verifyKeyAtStep(key, code, currentTimeStep());
    }

    /**
     * {@link #verifyAtStep} with the key given as raw bytes for this call only, without building a
     * {@link TotpSecret}: the HMAC key is prepared in the calling thread's scratch space, used for every step of the
     * window and wiped before this returns, so nothing derived from the key outlives the call and nothing is allocated
     * but the result. Same input rules, same constant-time check of every step.
     *
     * @param key         the raw key, as for {@link #verifyKey}
     * @param code        the user's input; may be {@code null}
     * @param currentStep the current time step
     * @return the outcome
     * @throws IllegalArgumentException if the key is shorter or longer than a {@link TotpSecret} may be
     */
    public TotpMatch verifyKeyAtStep(byte[] key, CharSequence code, long currentStep) {
        Objects.requireNonNull(key, "key");
        TotpSecret.checkSize(key.length * 8);
        int expected = TotpWindow.parseCode(code, digits);
        if (expected < 0) {
            return TotpMatch.Malformed.INSTANCE;
        }
        try (Hotp hotp = Hotp.beginPerCall(algorithm.hash(), key, 0, key.length)) {
            return TotpWindow.check(hotp, expected, currentStep, window, digits);
        }
    }

    /**
     * Verifies a code at the clock's current instant with the key given as Base32 text for this call only, as a
     * server that keeps its secrets as text calls a TOTP library: {@link #verifyKey} after decoding the text with the
     * rules of {@link TotpSecret#fromBase32}, into the calling thread's scratch space, wiped before this returns.
     *
     * @param base32Secret the key as Base32 text; never retained
     * @param code         the user's input; may be {@code null}
     * @return the outcome
     * @throws IllegalArgumentException if the text is not Base32 or its key is shorter or longer than a
     *                                  {@link TotpSecret} may be; the message never contains the text
     */
    public TotpMatch verifyBase32(CharSequence base32Secret, CharSequence code) {
        Objects.requireNonNull(base32Secret, "base32Secret");
        try (Hotp hotp = Hotp.beginBase32(algorithm.hash(), base32Secret, TotpSecret::checkSize)) {
            int expected = TotpWindow.parseCode(code, digits);
            return expected < 0 ? TotpMatch.Malformed.INSTANCE : TotpWindow.check(hotp, expected, currentTimeStep(),
                    window, digits);
        }
    }

    /**
     * Compares the settings, including the clock.
     *
     * @param other another object
     * @return whether {@code other} is an engine with equal settings
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Totp that
                && algorithm == that.algorithm
                && digits == that.digits
                && periodSeconds == that.periodSeconds
                && window == that.window
                && clock.equals(that.clock);
    }

    /**
     * Hashes the settings.
     *
     * @return a hash of the settings
     */
    @Override
    public int hashCode() {
        return Objects.hash(algorithm, digits, periodSeconds, window, clock);
    }

    /**
     * Describes the settings.
     *
     * @return e.g. {@code "Totp[SHA1, 6 digits, period 30s, window 1, SystemClock[Z]]"}
     */
    @Override
    public String toString() {
        return "Totp[" + algorithm + ", " + digits + " digits, period " + periodSeconds + "s, window " + window
                + ", " + clock + "]";
    }

    /**
     * Builds a {@link Totp}. Starts from the defaults (or from an engine's settings, see {@link Totp#newBuilder()});
     * setters reject {@code null} at once and {@link #build()} checks every range, so an invalid engine never
     * exists. Not thread-safe; the engine it builds is.
     */
    public static final class Builder {

        private TotpAlgorithm algorithm = DEFAULT_ALGORITHM;
        private int digits = DEFAULT_DIGITS;
        private Duration period = DEFAULT_PERIOD;
        private int window = DEFAULT_WINDOW;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder(Totp totp) {
            this.algorithm = totp.algorithm;
            this.digits = totp.digits;
            this.period = totp.period;
            this.window = totp.window;
            this.clock = totp.clock;
        }

        /**
         * Sets the HMAC algorithm; default {@link TotpAlgorithm#SHA1}.
         *
         * @param algorithm the algorithm
         * @return this builder
         */
        public Builder algorithm(TotpAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Sets the code length; default {@value Totp#DEFAULT_DIGITS}.
         *
         * @param digits 6, 7 or 8 (checked by {@link #build()})
         * @return this builder
         */
        public Builder digits(int digits) {
            this.digits = digits;
            return this;
        }

        /**
         * Sets the time step length; default 30 seconds.
         *
         * @param period a whole number of seconds, at least one (checked by {@link #build()})
         * @return this builder
         */
        public Builder period(Duration period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        /**
         * Sets how many steps either side of the current one are accepted; default {@value Totp#DEFAULT_WINDOW}.
         * Each extra step makes a guessed code more likely to pass, so keep it small.
         *
         * @param window 0 to {@value Totp#MAX_WINDOW} (checked by {@link #build()})
         * @return this builder
         */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /**
         * Sets the clock; default {@link Clock#systemUTC()}. Tests inject {@link Clock#fixed}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Checks the settings and builds the engine.
         *
         * @return the engine
         * @throws IllegalArgumentException if digits, period or window is out of range
         */
        public Totp build() {
            if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
                throw new IllegalArgumentException(
                        "Digits must be from " + MIN_DIGITS + " to " + MAX_DIGITS + ", got " + digits);
            }
            if (period.isNegative() || period.getSeconds() < 1) {
                throw new IllegalArgumentException("Period must be at least 1 second, got " + period);
            }
            if (period.getNano() != 0) {
                throw new IllegalArgumentException("Period must be a whole number of seconds, got " + period);
            }
            if (period.getSeconds() > Integer.MAX_VALUE) {
                // Key URIs carry the period as an int.
                throw new IllegalArgumentException(
                        "Period must be at most " + Integer.MAX_VALUE + " seconds, got " + period);
            }
            if (window < 0 || window > MAX_WINDOW) {
                throw new IllegalArgumentException("Window must be from 0 to " + MAX_WINDOW + ", got " + window);
            }
            return new Totp(this);
        }
    }
}
