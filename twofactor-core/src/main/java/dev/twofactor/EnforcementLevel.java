package dev.twofactor;

/**
 * Which users the organisation requires to use two-factor authentication.
 */
public enum EnforcementLevel {
    /** Nobody is required to. */
    NONE("Not required"),
    /** Administrators (as the host defines them) are required to. */
    ADMINS("Require MFA for admins"),
    /** Everyone is required to. */
    EVERYONE("Require MFA for everyone");

    private final String label;

    EnforcementLevel(String label) {
        this.label = label;
    }

    /**
     * @return the setting's label on the admin screen
     */
    public String label() {
        return label;
    }
}
