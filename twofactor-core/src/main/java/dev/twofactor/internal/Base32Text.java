package dev.twofactor.internal;

import java.util.Arrays;

import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base32;

/**
 * The one place where secrets are turned into RFC 4648 Base32 text and back.
 *
 * <p>Output is upper case without {@code =} padding, the form authenticator apps and the Key URI format expect.
 * Input is forgiving about what people type and paste (ASCII case, spaces, dashes, trailing padding) and strict about
 * everything else. commons-codec's decoder silently skips characters outside the alphabet, which would turn a typo
 * into a different key that nobody notices; so the alphabet and the length are checked here first. Error messages
 * describe the problem and never contain the input, because the input is a secret.
 */
public final class Base32Text {

    /**
     * Longest text accepted by {@link #decode}, checked before any work that scales with the input. Generous for
     * the largest secret twofactor accepts (1024 bits: 205 characters, grouped with spaces 256).
     */
    public static final int MAX_TEXT_LENGTH = 512;

    // Lenient about the unused low bits of the last character, as authenticator apps are: they carry no key material,
    // so a typo there still yields the intended key.
    private static final Base32 CODEC = Base32.builder().setDecodingPolicy(CodecPolicy.LENIENT).get();

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
        int length = text.length();
        if (length > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    "Secret text is too long: at most " + MAX_TEXT_LENGTH + " characters are accepted");
        }
        byte[] normalized = new byte[length];
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
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (!(c >= 'A' && c <= 'Z') && !(c >= '2' && c <= '7')) {
                Arrays.fill(normalized, (byte) 0);
                throw new IllegalArgumentException(
                        "Secret is not valid Base32: only the letters A-Z, the digits 2-7, spaces and '-' are allowed");
            }
            normalized[count++] = (byte) c;
        }
        // 5-bit groups: 1, 3 or 6 characters past a multiple of 8 cannot end a whole number of bytes.
        int remainder = count % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            Arrays.fill(normalized, (byte) 0);
            throw new IllegalArgumentException(
                    "Secret is not valid Base32: its length is impossible, a character is probably missing or extra");
        }
        byte[] exact = Arrays.copyOf(normalized, count);
        Arrays.fill(normalized, (byte) 0);
        try {
            return CODEC.decode(exact);
        } finally {
            Arrays.fill(exact, (byte) 0);
        }
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
