package dev.twofactor.examples.demo.web;

import dev.twofactor.Outcome;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.OutcomeResponses;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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

    /**
     * For a page that shows a failed outcome: {@code Retry-After} during a backoff, and the status the SDK gives the
     * outcome ({@link OutcomeResponses#status}: 401 a wrong code or password, 429 a backoff, 403 locked, ...).
     *
     * @return the status to render the page with
     */
    static int failed(HttpServletResponse response, Outcome<?> outcome) {
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        return OutcomeResponses.status(outcome);
    }

    /**
     * @return whether sensitive settings are unlocked: the session's last verification (sign-in, challenge or any
     *         "Unlock settings", which the SDK records) is within the service's step-up window
     */
    static boolean unlocked(HttpServletRequest request, Services services) {
        return !services.service().stepUpRequired(TwoFactorSessions.lastVerifiedAt(request).orElse(null));
    }

    /** @return the path info, or "" */
    static String action(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || "/".equals(info) ? "" : info;
    }
}
