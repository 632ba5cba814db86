package dev.twofactor;

/**
 * An authenticator code was accepted.
 *
 * @param timeStep the time step the code belonged to; it and every earlier step are now used
 * @param drift how many steps the user's clock is off: -1 (code of the previous step), 0 or +1 with the default window
 */
public record CodeAccepted(long timeStep, int drift) {
}
