package dev.twofactor.internal;

/**
 * UTF-8 into a caller's buffer, byte for byte what {@code String.getBytes(StandardCharsets.UTF_8)} returns, without
 * its new array: a surrogate pair becomes four bytes, and an unpaired surrogate becomes {@code '?'}, as the JDK's
 * encoder replaces it. For {@link JdkGcm}'s associated data (the user id), on every open.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Writes the text in UTF-8 at the start of a buffer.
     *
     * @param text the text
     * @param into at least three bytes per char of the text
     * @return the number of bytes written
     */
    static int encode(String text, byte[] into) {
        int length = text.length();
        int p = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                into[p++] = (byte) c;
            } else if (c < 0x800) {
                into[p++] = (byte) (0xC0 | c >> 6);
                into[p++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                into[p++] = (byte) (0xE0 | c >> 12);
                into[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                into[p++] = (byte) (0x80 | c & 0x3F);
            } else if (isPair(text, i)) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                into[p++] = (byte) (0xF0 | codePoint >> 18);
                into[p++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                into[p++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                into[p++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                into[p++] = '?';
            }
        }
        return p;
    }

    private static boolean isPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
