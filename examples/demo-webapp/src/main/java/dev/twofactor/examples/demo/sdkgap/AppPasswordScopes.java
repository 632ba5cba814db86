package dev.twofactor.examples.demo.sdkgap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * SDK gap: explicit app-password scopes. The SDK reads an empty permission set as full access, so a "Limited access"
 * form submitted with no box ticked would silently grant everything. This validates the form against the host's
 * catalogue first: Full access, or Limited access with at least one permission, all of them known. Replace with the
 * SDK's {@code FULL} / {@code LIMITED(permissions)} scopes once they exist.
 */
public final class AppPasswordScopes {

    /** The permissions this demo's API knows, with their labels. */
    public static final Map<String, String> CATALOGUE = catalogue();

    private AppPasswordScopes() {
    }

    private static Map<String, String> catalogue() {
        Map<String, String> permissions = new LinkedHashMap<>();
        permissions.put("profile:read", "Read your profile");
        permissions.put("projects:read", "Read projects");
        permissions.put("projects:write", "Create and change projects");
        permissions.put("issues:read", "Read issues");
        permissions.put("issues:write", "Create and change issues");
        return Map.copyOf(permissions);
    }

    /**
     * @param access {@code "full"} or {@code "limited"}
     * @param permissions the ticked permissions
     * @return the permission set to pass to the SDK (empty for full access), or empty with a bad choice
     */
    public static Optional<Set<String>> validate(String access, String[] permissions) {
        if ("full".equals(access)) {
            return Optional.of(Set.of());
        }
        if (!"limited".equals(access) || permissions == null || permissions.length == 0) {
            return Optional.empty();
        }
        Set<String> chosen = new TreeSet<>();
        for (String permission : permissions) {
            if (!CATALOGUE.containsKey(permission)) {
                return Optional.empty();
            }
            chosen.add(permission);
        }
        return Optional.of(Set.copyOf(chosen));
    }

    /** The text for a rejected choice. */
    public static final String INVALID = "Choose Full access, or Limited access with at least one permission.";
}
