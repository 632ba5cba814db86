package dev.twofactor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery codes in Crockford's Base32 alphabet: generation in display form and normalisation of typed input.
 */
final class RecoveryCodeFormat {

    /** Crockford's Base32: digits and upper-case letters without I, L, O and U. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** Fewest symbols a code of any valid {@link RecoveryCodePolicy} has (40 bits). */
    static final int MIN_SYMBOLS = 8;
    /** Most symbols a code of any valid {@link RecoveryCodePolicy} has. */
    static final int MAX_SYMBOLS = 64;
    /**
     * Longest input looked at: a code of the longest form with a separator between every pair of symbols and some
     * spaces around it. Longer input is rejected before any loop over it or any hashing.
     */
    static final int MAX_INPUT_LENGTH = 2 * MAX_SYMBOLS + 16;

    private RecoveryCodeFormat() {
    }

    /**
     * @return {@code policy.count()} codes in display form, e.g. {@code 7K3M-Q9PX}
     */
    static List<String> generate(RecoveryCodePolicy policy, SecureRandom random) {
        List<String> codes = new ArrayList<>(policy.count());
        for (int c = 0; c < policy.count(); c++) {
            StringBuilder code = new StringBuilder(policy.symbols() + policy.groups());
            for (int g = 0; g < policy.groups(); g++) {
                if (g > 0) {
                    code.append('-');
                }
                for (int i = 0; i < policy.groupLength(); i++) {
                    // 32 is a power of two, so nextInt(32) is exactly uniform: 5 bits per symbol.
                    code.append(ALPHABET.charAt(random.nextInt(32)));
                }
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /**
     * Normalises typed input to the form that is hashed: upper case, spaces and dashes removed, {@code O} read as
     * {@code 0} and {@code I}/{@code L} as {@code 1}.
     *
     * <p>Any length a valid policy produces is accepted (8 to 64 symbols), not only the current policy's, so codes
     * issued before a change of policy keep working.
     *
     * @return the normalised code, or {@code null} if the input cannot be a recovery code
     */
    static String normalise(CharSequence input) {
        if (input == null || input.length() > MAX_INPUT_LENGTH) {
            return null;
        }
        StringBuilder normalised = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (c == 'O') {
                c = '0';
            } else if (c == 'I' || c == 'L') {
                c = '1';
            }
            if (ALPHABET.indexOf(c) < 0) {
                return null;
            }
            normalised.append(c);
        }
        if (normalised.length() < MIN_SYMBOLS || normalised.length() > MAX_SYMBOLS) {
            return null;
        }
        return normalised.toString();
    }

    /**
     * @return the display code without its dashes, i.e. the normalised form of a generated code
     */
    static String stripDisplay(String displayCode) {
        return displayCode.replace("-", "");
    }
}
