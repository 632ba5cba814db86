package dev.twofactor.internal;

import java.util.Arrays;

import org.apache.commons.codec.binary.Base32;

/**
 * The one place where secrets are turned into RFC 4648 Base32 text and back.
 *
 * <p>Output is upper case without {@code =} padding, the form authenticator apps and the Key URI format expect.
 * Input is forgiving about what people type and paste (ASCII case, spaces, dashes, trailing padding) and strict about
 * everything else: a character outside the alphabet is refused rather than skipped, which would turn a typo into a
 * different key that nobody notices. Decoding is done here rather than by commons-codec, whose decoder skips such
 * characters and allocates an 8 KB buffer per call (the bulk of building a {@code TotpSecret} from text per
 * verification); {@link #decodeInto} decodes into the caller's own array. Error messages describe the problem and
 * never contain the input, because the input is a secret.
 */
public final class Base32Text {

    /**
     * Longest text accepted by {@link #decode}, checked before any work that scales with the input. Generous for
     * the largest secret twofactor accepts (1024 bits: 205 characters, grouped with spaces 256).
     */
    public static final int MAX_TEXT_LENGTH = 512;

    private static final Base32 CODEC = new Base32();

    private Base32Text() {
    }

    /**
     * Encodes bytes as upper-case Base32 without padding.
     *
     * @param bytes the bytes
     * @return the text, e.g. {@code JBSWY3DPEHPK3PXP}
     */
    public static String encode(byte[] bytes) {
        String padded = CODEC.encodeToString(bytes);
        int end = padded.length();
        while (end > 0 && padded.charAt(end - 1) == '=') {
            end--;
        }
        return padded.substring(0, end);
    }

    /**
     * Decodes Base32 text: ASCII letters in either case and the digits 2 to 7; spaces and {@code -} anywhere are
     * ignored; {@code =} is tolerated only as trailing padding.
     *
     * @param text the text
     * @return the decoded bytes
     * @throws IllegalArgumentException if the text is too long, contains another character or has a length no
     *                                  Base32 encoder produces; the message does not contain the text
     */
    public static byte[] decode(CharSequence text) {
        byte[] scratch = new byte[MAX_DECODED_LENGTH];
        try {
            return Arrays.copyOf(scratch, decodeInto(text, scratch));
        } finally {
            Arrays.fill(scratch, (byte) 0);
        }
    }

    /** Most bytes any accepted text decodes to: {@value #MAX_TEXT_LENGTH} characters of 5 bits each. */
    public static final int MAX_DECODED_LENGTH = MAX_TEXT_LENGTH * 5 / 8;

    /**
     * Decodes Base32 text, with the rules of {@link #decode}, into the start of an array the caller owns (for
     * example per-thread scratch space it wipes afterwards), in one pass and without allocating. When the text is
     * refused, whatever was written is overwritten with zeros before the exception is thrown.
     *
     * @param text the text
     * @param into where the bytes go, from index 0; at least {@value #MAX_DECODED_LENGTH} bytes
     * @return the number of decoded bytes
     * @throws IllegalArgumentException as {@link #decode}; the message does not contain the text
     */
    public static int decodeInto(CharSequence text, byte[] into) {
        int length = text.length();
        if (length > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    "Secret text is too long: at most " + MAX_TEXT_LENGTH + " characters are accepted");
        }
        if (into.length < MAX_DECODED_LENGTH) {
            throw new IllegalArgumentException("Decoding needs room for " + MAX_DECODED_LENGTH + " bytes");
        }
        int buffer = 0;
        int bits = 0;
        int out = 0;
        int count = 0;
        boolean padding = false;
        String problem = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            int v = c < VALUES.length ? VALUES[c] : INVALID;
            if (v >= 0) {
                if (padding) {
                    problem = "Secret is not valid Base32: '=' padding may only come at the end";
                    break;
                }
                // 5 bits per character, most significant first; the unused low bits of the last character are
                // dropped, as authenticator apps do. Bits already written are never read again (the cast keeps the
                // eight below them), so they are left to shift out of the buffer.
                buffer = buffer << 5 | v;
                bits += 5;
                count++;
                if (bits >= 8) {
                    bits -= 8;
                    into[out++] = (byte) (buffer >>> bits);
                }
            } else if (v == PADDING) {
                padding = true;
            } else if (v == INVALID) {
                problem = "Secret is not valid Base32: only the letters A-Z, the digits 2-7, spaces and '-' are "
                        + "allowed";
                break;
            }
        }
        // 5-bit groups: 1, 3 or 6 characters past a multiple of 8 cannot end a whole number of bytes.
        int remainder = count % 8;
        if (problem == null && (remainder == 1 || remainder == 3 || remainder == 6)) {
            problem = "Secret is not valid Base32: its length is impossible, a character is probably missing or extra";
        }
        if (problem != null) {
            Arrays.fill(into, 0, out, (byte) 0);
            throw new IllegalArgumentException(problem);
        }
        return out;
    }

    private static final byte SKIPPED = -1;
    private static final byte PADDING = -2;
    private static final byte INVALID = -3;

    /** The 5-bit value of each ASCII character, or what else it is: skipped, padding or invalid. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, INVALID);
        for (int i = 0; i < 26; i++) {
            VALUES['A' + i] = (byte) i;
            VALUES['a' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUES['2' + i] = (byte) (26 + i);
        }
        VALUES[' '] = SKIPPED;
        VALUES['-'] = SKIPPED;
        VALUES['='] = PADDING;
    }

    /**
     * Splits text into groups of four separated by single spaces, for reading out or typing by hand.
     *
     * @param text the text, e.g. {@code JBSWY3DPEHPK3PXP}
     * @return the grouped text, e.g. {@code JBSW Y3DP EHPK 3PXP}; the last group may be shorter
     */
    public static String group(String text) {
        StringBuilder grouped = new StringBuilder(text.length() + text.length() / 4);
        for (int i = 0; i < text.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                grouped.append(' ');
            }
            grouped.append(text.charAt(i));
        }
        return grouped.toString();
    }
}
