package dev.twofactor;

import java.util.Optional;

/**
 * A recovery code was accepted and is now used up.
 *
 * @param remaining how many unused recovery codes the user has left, so the host can warn when few remain
 * @param replacement with a policy that rotates on use (the "emergency recovery key"), the new set to show the user
 *                    once; otherwise {@code null}
 */
public record RecoveryCodeAccepted(int remaining, RecoveryCodes replacement) {

    /**
     * @return the replacement set, if the policy rotates on use
     */
    public Optional<RecoveryCodes> replacementCodes() {
        return Optional.ofNullable(replacement);
    }
}
