package dev.twofactor;

/**
 * A user's two-factor state, as their security settings screen shows it.
 */
public enum TwoFactorState {
    /** No secret; two-factor authentication is off. */
    NOT_CONFIGURED("Not configured"),
    /**
     * A secret was minted and shown but no code confirmed it (or, with acknowledgement required, the recovery codes
     * were not yet acknowledged). It does not protect the account and does not block password sign-in.
     */
    PENDING_CONFIRMATION("Pending confirmation"),
    /** Confirmed: sign-in needs a second factor. */
    ENABLED("Enabled");

    private final String label;

    TwoFactorState(String label) {
        this.label = label;
    }

    /**
     * @return the badge text: "Not configured", "Pending confirmation" or "Enabled"
     */
    public String label() {
        return label;
    }
}
