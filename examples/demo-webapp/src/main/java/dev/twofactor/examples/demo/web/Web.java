package dev.twofactor.examples.demo.web;

import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServletRequest;

/** Small request helpers shared by the servlets. */
final class Web {

    private Web() {
    }

    /**
     * @return the signed-in user (the filter lets only signed-in sessions reach the profile and admin pages)
     * @throws IllegalStateException if nobody is signed in, which the {@link SignedInOnly} filter prevents
     */
    static DemoUsers.User user(HttpServletRequest request, Services services) {
        return TwoFactorSessions.signedInUser(request).flatMap(services.users()::find)
                .orElseThrow(() -> new IllegalStateException("No signed-in user"));
    }

    /** @return the path info, or "" */
    static String action(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || "/".equals(info) ? "" : info;
    }
}
