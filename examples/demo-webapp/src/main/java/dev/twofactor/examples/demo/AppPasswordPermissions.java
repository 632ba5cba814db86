package dev.twofactor.examples.demo;

import java.util.Map;

/**
 * The permissions this demo's API knows ({@code /api/projects} checks {@code projects:read}), with their labels for
 * the "Limited access" form. The names are declared to the SDK as its catalogue
 * ({@code TwoFactorService.Builder#appPasswordPermissions}), which refuses a limited scope without any of them or
 * with a name outside it.
 */
public final class AppPasswordPermissions {

    /** Permission name to label. */
    public static final Map<String, String> LABELS = Map.of(
            "profile:read", "Read your profile",
            "projects:read", "Read projects",
            "projects:write", "Create and change projects",
            "issues:read", "Read issues",
            "issues:write", "Create and change issues");

    private AppPasswordPermissions() {
    }
}
