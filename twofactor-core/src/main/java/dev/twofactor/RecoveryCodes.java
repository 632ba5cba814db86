package dev.twofactor;

import java.util.List;

/**
 * A freshly issued set of recovery codes, in display form ({@code XXXX-XXXX}). Shown to the user once; only hashes
 * are stored, so they can never be retrieved again.
 *
 * <p>{@link #toString()} never shows the codes.
 *
 * @param codes the codes, in display form
 */
public record RecoveryCodes(List<String> codes) {

    /**
     * Copies.
     *
     * @param codes the codes, in display form
     */

    public RecoveryCodes {
        codes = List.copyOf(codes);
    }

    /**
     * @return the codes, one per line, for a "Copy all codes" button or a download
     */
    public String asText() {
        return String.join("\n", codes);
    }

    @Override
    public String toString() {
        return "RecoveryCodes[" + codes.size() + " codes, redacted]";
    }
}
