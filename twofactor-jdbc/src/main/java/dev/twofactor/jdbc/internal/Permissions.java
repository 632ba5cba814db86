package dev.twofactor.jdbc.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * An app password's permission set as one text column: each permission followed by a line feed, with backslash and
 * line feed escaped ({@code \\}, {@code \n}), sorted. The empty set (full access) is the empty text, and a set holding
 * one empty permission is {@code "\n"}, so the two never meet.
 */
public final class Permissions {

    private Permissions() {
    }

    /**
     * @param permissions the set
     * @return its column text
     */
    public static String encode(Set<String> permissions) {
        StringBuilder text = new StringBuilder();
        for (String permission : new TreeSet<>(permissions)) {
            for (int i = 0; i < permission.length(); i++) {
                char c = permission.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    default -> text.append(c);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * @param text column text written by {@link #encode}
     * @return the set
     * @throws IllegalStateException if the text is not in that form
     */
    public static Set<String> decode(String text) {
        Set<String> permissions = new HashSet<>();
        StringBuilder permission = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                permissions.add(permission.toString());
                permission.setLength(0);
            } else if (c == '\\' && i + 1 < text.length()) {
                char escaped = text.charAt(++i);
                switch (escaped) {
                    case '\\' -> permission.append('\\');
                    case 'n' -> permission.append('\n');
                    default -> throw malformed();
                }
            } else if (c == '\\') {
                throw malformed();
            } else {
                permission.append(c);
            }
        }
        if (permission.length() > 0) {
            throw malformed();
        }
        return permissions;
    }

    private static IllegalStateException malformed() {
        return new IllegalStateException("Malformed permissions column");
    }
}
