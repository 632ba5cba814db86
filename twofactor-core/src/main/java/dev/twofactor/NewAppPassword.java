package dev.twofactor;

import java.util.Objects;

/**
 * A just-created app password: its metadata and the 20-digit code, to be shown to the user once. Only a hash is
 * stored. {@link #toString()} never shows the code.
 *
 * @param appPassword the metadata
 * @param code the 20-digit code in display form (groups of four digits separated by spaces)
 */
public record NewAppPassword(AppPassword appPassword, String code) {

    /**
     * Validates.
     *
     * @param appPassword the metadata
     * @param code the 20-digit code in display form (groups of four digits separated by spaces)
     */

    public NewAppPassword {
        Objects.requireNonNull(appPassword, "appPassword");
        Objects.requireNonNull(code, "code");
    }

    @Override
    public String toString() {
        return "NewAppPassword[" + appPassword + ", code=redacted]";
    }
}
