package dev.twofactor.servlet;

import dev.twofactor.UserContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One HTTP Basic credential ({@code Authorization: Basic base64(user:secret)}, RFC 7617, UTF-8), parsed strictly
 * before anything else sees it: a credential that cannot be right (not base64, not UTF-8, no colon, an empty,
 * over-long or control-character user id, an empty or absurdly long secret) is never handed to the service or a
 * store, whatever the store would make of it (a NUL byte or a 300-character id fails in a JDBC driver).
 *
 * <p>{@link #toString()} shows neither part; {@link #wipe()} clears the secret's characters.
 */
final class BasicCredentials {

    /** The longest user id passed on: the JDBC schema's column width. */
    static final int MAX_USER_ID_LENGTH = UserContext.MAX_USER_ID_LENGTH;
    /**
     * The longest secret passed on. An app password is 20 digits, perhaps grouped with spaces or dashes (48
     * characters at most); a host's own password for an allowlisted integration may be longer, but not longer than
     * this.
     */
    static final int MAX_SECRET_LENGTH = 128;
    /** The longest header value decoded: base64 of the longest user id in 4-byte UTF-8, a colon and the secret. */
    private static final int MAX_ENCODED_LENGTH =
            4 * ((MAX_USER_ID_LENGTH * 4 + 1 + MAX_SECRET_LENGTH * 4 + 2) / 3) + 4;

    /** Why a credential was refused unread: one word for the single log line, never the input. */
    enum Malformed {
        NOT_BASE64, NOT_UTF8, NO_COLON, BAD_USER_ID, BAD_SECRET_LENGTH, TOO_LONG
    }

    private final String userId;
    private final CharBuffer secret;

    private BasicCredentials(String userId, CharBuffer secret) {
        this.userId = userId;
        this.secret = secret;
    }

    /**
     * Whether {@code authorization} is a Basic credential at all ({@code Basic} followed by a space or nothing,
     * case-insensitive).
     */
    static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5)
                && (authorization.length() == 5 || authorization.charAt(5) == ' ');
    }

    /**
     * @param authorization an {@code Authorization} header value for which {@link #isBasic} holds
     * @return the credential, or why it cannot be one
     */
    static Parsed parse(String authorization) {
        String encoded = authorization.substring(5).trim();
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            return new Parsed(null, Malformed.TOO_LONG);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return new Parsed(null, Malformed.NOT_BASE64);
        }
        CharBuffer chars;
        try {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            chars = utf8.decode(ByteBuffer.wrap(decoded));
        } catch (CharacterCodingException notUtf8) {
            return new Parsed(null, Malformed.NOT_UTF8);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < chars.length(); i++) {
            if (chars.charAt(i) == ':') {
                colon = i;
                break;
            }
        }
        Malformed malformed = null;
        if (colon < 0) {
            malformed = Malformed.NO_COLON;
        } else if (!UserContext.isValidUserId(chars.subSequence(0, colon).toString())) {
            malformed = Malformed.BAD_USER_ID;
        } else if (chars.length() - colon - 1 < 1 || chars.length() - colon - 1 > MAX_SECRET_LENGTH) {
            malformed = Malformed.BAD_SECRET_LENGTH;
        }
        if (malformed != null) {
            wipe(chars);
            return new Parsed(null, malformed);
        }
        String userId = chars.subSequence(0, colon).toString();
        return new Parsed(new BasicCredentials(userId, chars.slice(colon + 1, chars.length() - colon - 1)), null);
    }

    /** @return the user id, valid as described above */
    String userId() {
        return userId;
    }

    /** @return the secret's characters (the app password or the host's password); wiped by {@link #wipe()} */
    CharSequence secret() {
        return secret;
    }

    /** @return whether the secret has the form of an app password: 20 digits, perhaps grouped by spaces or dashes */
    boolean secretLooksLikeAppPassword() {
        int digits = 0;
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c != ' ' && c != '-') {
                return false;
            }
        }
        return digits == 20;
    }

    /** Clears the decoded characters (user id and secret share one array). */
    void wipe() {
        wipe(secret);
    }

    private static void wipe(CharBuffer chars) {
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[redacted]";
    }

    /**
     * The result of {@link #parse}: exactly one of the two is set.
     *
     * @param credentials the credential
     * @param malformed why there is none
     */
    record Parsed(BasicCredentials credentials, Malformed malformed) {
    }
}
