package dev.twofactor;

/**
 * What recovery codes look like and how they behave. Immutable.
 *
 * <ul>
 *   <li>{@link #STANDARD} (default): 8 codes of the form {@code XXXX-XXXX} (two groups of four Crockford Base32
 *       symbols, 40 bits each), each usable once.</li>
 *   <li>{@link #EMERGENCY_KEY}: the Atlassian-style single "emergency recovery key", one code of
 *       {@code XXXX-XXXX-XXXX-XXXX} (80 bits), replaced by a new one the moment it is used.</li>
 * </ul>
 * Symbols come from Crockford's Base32 alphabet ({@code 0-9 A-Z} without {@code I L O U}); input is normalised:
 * case-insensitive, spaces and dashes ignored, {@code O} read as {@code 0} and {@code I}/{@code L} as {@code 1}.
 *
 * @param count codes per set, 1 to 32
 * @param groups groups per code, 1 to 8
 * @param groupLength symbols per group, 2 to 8; a code carries {@code 5 * groups * groupLength} bits, at least 40
 * @param rotateOnUse whether using a code replaces the whole set with a new one (shown once in the result)
 */
public record RecoveryCodePolicy(int count, int groups, int groupLength, boolean rotateOnUse) {

    /** 8 codes, {@code XXXX-XXXX}, single use. */
    public static final RecoveryCodePolicy STANDARD = new RecoveryCodePolicy(8, 2, 4, false);

    /** One key, {@code XXXX-XXXX-XXXX-XXXX}, replaced on use. */
    public static final RecoveryCodePolicy EMERGENCY_KEY = new RecoveryCodePolicy(1, 4, 4, true);

    /**
     * Validates.
     *
     * @param count codes per set, 1 to 32
     * @param groups groups per code, 1 to 8
     * @param groupLength symbols per group, 2 to 8; a code carries {@code 5 * groups * groupLength} bits, at least 40
     * @param rotateOnUse whether using a code replaces the whole set with a new one (shown once in the result)
     */

    public RecoveryCodePolicy {
        if (count < 1 || count > 32) {
            throw new IllegalArgumentException("count must be between 1 and 32");
        }
        if (groups < 1 || groups > 8) {
            throw new IllegalArgumentException("groups must be between 1 and 8");
        }
        if (groupLength < 2 || groupLength > 8) {
            throw new IllegalArgumentException("groupLength must be between 2 and 8");
        }
        if (5 * groups * groupLength < 40) {
            throw new IllegalArgumentException("a recovery code must carry at least 40 bits");
        }
    }

    /**
     * @return the number of Crockford symbols in one code
     */
    public int symbols() {
        return groups * groupLength;
    }
}
