package dev.twofactor;

/**
 * The outcome of {@link Totp#verify(TotpSecret, CharSequence)}: matched (with the time step and clock drift),
 * mismatched, or malformed input.
 *
 * <p>Callers that only need a yes or no use {@link #matched()}. Testing for the three records ({@code instanceof},
 * or a pattern {@code switch} on Java 21) lets them treat malformed input (a typo, a paste of the wrong thing)
 * differently from a wrong code, e.g. by not counting it towards a lockout.
 *
 * <p>Replay protection is the caller's job: remember {@link Matched#timeStep()} of the last accepted code per user
 * and refuse a step that is not later.
 */
public sealed interface TotpMatch permits TotpMatch.Matched, TotpMatch.Mismatch, TotpMatch.Malformed {

    /**
     * Tells whether the code was accepted.
     *
     * @return {@code true} only for {@link Matched}
     */
    boolean matched();

    /**
     * The code matched the time step {@code timeStep}.
     *
     * @param timeStep the matching time step, {@code floor(epochSeconds / period)}; never negative
     * @param drift    {@code timeStep} minus the current step: {@code 0} for the current code, {@code -1} for the
     *                 previous one, {@code +1} for the next one; always within the engine's window
     */
    record Matched(long timeStep, int drift) implements TotpMatch {

        /**
         * Always {@code true}.
         *
         * @return {@code true}
         */
        @Override
        public boolean matched() {
            return true;
        }
    }

    /** The code was well formed but matched no time step in the window. */
    record Mismatch() implements TotpMatch {

        /** The shared instance; all instances are equal. */
        public static final Mismatch INSTANCE = new Mismatch();

        /**
         * Always {@code false}.
         *
         * @return {@code false}
         */
        @Override
        public boolean matched() {
            return false;
        }
    }

    /**
     * The input was not exactly {@link Totp#digits()} ASCII digits {@code 0-9} once ASCII spaces were removed (or it
     * was {@code null} or longer than {@link Totp#MAX_CODE_INPUT_LENGTH}). No HMAC was computed.
     */
    record Malformed() implements TotpMatch {

        /** The shared instance; all instances are equal. */
        public static final Malformed INSTANCE = new Malformed();

        /**
         * Always {@code false}.
         *
         * @return {@code false}
         */
        @Override
        public boolean matched() {
            return false;
        }
    }
}
