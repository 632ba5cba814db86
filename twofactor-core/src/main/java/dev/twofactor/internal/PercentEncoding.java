package dev.twofactor.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding of UTF-8 text, for the label and parameters of {@code otpauth://} URIs.
 *
 * <p>{@code java.net.URLEncoder} is not used: it implements HTML form encoding, which writes {@code +} for a space.
 * In a URI path {@code +} is a literal plus sign, and authenticator apps show it as one.
 */
public final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /**
     * Encodes every character except the RFC 3986 unreserved ones ({@code A-Z a-z 0-9 - . _ ~}) as {@code %XX}
     * escapes of its UTF-8 bytes, with upper-case hex digits.
     *
     * @param text the text
     * @return the encoded text, pure ASCII
     * @throws IllegalArgumentException if the text has an unpaired surrogate and so no UTF-8 form
     */
    public static String encode(String text) {
        ByteBuffer bytes;
        try {
            bytes = newEncoder().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Text is not well-formed Unicode (unpaired surrogate)", e);
        }
        StringBuilder encoded = new StringBuilder(bytes.remaining() * 3);
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xff;
            if (isUnreserved(b)) {
                encoded.append((char) b);
            } else {
                encoded.append('%').append(HEX[b >>> 4]).append(HEX[b & 0x0f]);
            }
        }
        return encoded.toString();
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8; every other character, including {@code +}, stands for itself.
     *
     * @param text the encoded text
     * @return the decoded text
     * @throws IllegalArgumentException if a {@code %} is not followed by two hex digits or the escaped bytes are not
     *                                  UTF-8
     */
    public static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length());
        byte[] run = new byte[text.length() / 3];
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                decoded.append(c);
                i++;
                continue;
            }
            // A run of escapes is decoded together: one character may span several escaped bytes.
            int count = 0;
            while (i < text.length() && text.charAt(i) == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("Incomplete percent-escape at the end");
                }
                int high = hexValue(text.charAt(i + 1));
                int low = hexValue(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException(
                            "Invalid percent-escape: '%' must be followed by two hex digits");
                }
                run[count++] = (byte) (high << 4 | low);
                i += 3;
            }
            try {
                decoded.append(decoder.decode(ByteBuffer.wrap(run, 0, count)));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("Percent-escapes do not form valid UTF-8", e);
            }
        }
        return decoded.toString();
    }

    private static CharsetEncoder newEncoder() {
        return StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static int hexValue(char c) {
        // Not Character.digit: it also accepts non-ASCII digits such as fullwidth ones.
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
