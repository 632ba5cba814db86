package dev.twofactor.examples.demo.web;

import dev.twofactor.examples.demo.DemoUsers;

/**
 * What every page's layout needs.
 *
 * @param csrf the session's CSRF token, for the forms
 * @param user the signed-in user, or {@code null}
 * @param active the navigation entry to highlight
 * @param flash a one-time message from the previous request (never a secret), or {@code null}
 * @param flashError whether the flash message reports a failure
 * @param requirement the organisation policy's message, when it applies to the signed-in user, or {@code null}
 */
public record PageContext(String csrf, DemoUsers.User user, String active, String flash, boolean flashError,
                          String requirement) {

    /** @return whether a user is signed in */
    public boolean signedIn() {
        return user != null;
    }

    /** @return whether the page belongs to "My profile" (it gets the profile's side navigation) */
    public boolean inProfile() {
        return "security".equals(active) || "app-passwords".equals(active);
    }

    /** @return whether the signed-in user is an administrator */
    public boolean admin() {
        return user != null && user.administrator();
    }
}
