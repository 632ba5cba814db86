package dev.twofactor.internal;

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
        byte[] bytes = new byte[decodedLength(text)];
        decodeChecked(text, bytes);
        return bytes;
    }

    /**
     * Decodes Base32 text, with the rules of {@link #decode}, into the start of an array the caller owns (for
     * example per-thread scratch space it wipes afterwards), so that no copy of the key is left on the heap. Nothing
     * is written unless the whole text is valid and its bytes fit.
     *
     * @param text the text
     * @param into where the bytes go, from index 0
     * @return the number of decoded bytes; if larger than {@code into.length}, nothing was written
     * @throws IllegalArgumentException as {@link #decode}; the message does not contain the text
     */
    public static int decodeInto(CharSequence text, byte[] into) {
        int length = decodedLength(text);
        if (length <= into.length) {
            decodeChecked(text, into);
        }
        return length;
    }

    /** Checks every character and the length, and returns the number of bytes the text decodes to. */
    private static int decodedLength(CharSequence text) {
        int length = text.length();
        if (length > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    "Secret text is too long: at most " + MAX_TEXT_LENGTH + " characters are accepted");
        }
        int count = 0;
        boolean padding = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c == '=') {
                padding = true;
                continue;
            }
            if (padding) {
                throw new IllegalArgumentException("Secret is not valid Base32: '=' padding may only come at the end");
            }
            if (value(c) < 0) {
                throw new IllegalArgumentException(
                        "Secret is not valid Base32: only the letters A-Z, the digits 2-7, spaces and '-' are allowed");
            }
            count++;
        }
        // 5-bit groups: 1, 3 or 6 characters past a multiple of 8 cannot end a whole number of bytes.
        int remainder = count % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new IllegalArgumentException(
                    "Secret is not valid Base32: its length is impossible, a character is probably missing or extra");
        }
        return count * 5 / 8;
    }

    /**
     * Decodes text that {@link #decodedLength} accepted, 5 bits per character, most significant first; the unused
     * low bits of the last character are dropped, as authenticator apps do. Leaves no key bits in locals beyond the
     * call (only primitives).
     */
    private static void decodeChecked(CharSequence text, byte[] into) {
        int bits = 0;
        int buffer = 0;
        int out = 0;
        for (int i = 0, length = text.length(); i < length; i++) {
            int v = value(text.charAt(i));
            if (v < 0) {
                continue; // a space, '-' or trailing '=': decodedLength refused anything else
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                into[out++] = (byte) (buffer >>> bits);
                buffer &= (1 << bits) - 1;
            }
        }
    }

    /** The 5-bit value of a Base32 character of either case, or -1 for anything else. */
    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
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
