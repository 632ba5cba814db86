package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;

/**
 * SDK gap: one mapping from any {@link Outcome} to an HTTP status, a {@code Retry-After} header and the text to show,
 * so every handler of the demo answers alike (the SDK has it only inside its challenge handler). Replace with the
 * SDK's public mapping once it exists.
 */
public final class OutcomeHttp {

    private OutcomeHttp() {
    }

    /**
     * @param outcome a failed outcome
     * @return 429 during a backoff, 403 when locked, 400 for a rejection
     */
    public static int status(Outcome<?> outcome) {
        if (outcome instanceof Outcome.RateLimited<?>) {
            return 429;
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return 403;
        }
        return outcome.succeeded() ? 200 : 400;
    }

    /**
     * Sets the status and, during a backoff, {@code Retry-After}.
     *
     * @param response the response
     * @param outcome a failed outcome
     */
    public static void apply(HttpServletResponse response, Outcome<?> outcome) {
        response.setStatus(status(outcome));
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
    }

    /**
     * @param outcome a failed outcome
     * @return the text to show: the reason's text, the wait (with the right plural) or the lock
     */
    public static String message(Outcome<?> outcome) {
        if (outcome instanceof Outcome.RateLimited<?> limited) {
            return waitText(limited.retryAfterSeconds());
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return "Too many failed attempts: your second factor is locked. Ask an administrator to reset it.";
        }
        if (outcome instanceof Outcome.Rejected<?> rejected) {
            return rejected.reason().message();
        }
        return "";
    }

    /**
     * @param seconds the time left
     * @return "Too many attempts. Try again in N second(s)."
     */
    public static String waitText(long seconds) {
        return "Too many attempts. Try again in " + seconds + (seconds == 1 ? " second." : " seconds.");
    }

    /**
     * @param outcome a failed outcome
     * @return the stable error code of the JSON answers
     */
    public static String error(Outcome<?> outcome) {
        if (outcome instanceof Outcome.RateLimited<?>) {
            return "rate_limited";
        }
        if (outcome instanceof Outcome.Locked<?>) {
            return "locked";
        }
        if (outcome instanceof Outcome.Rejected<?> rejected) {
            return rejected.reason().name().toLowerCase(Locale.ROOT);
        }
        return "ok";
    }

    /**
     * @param outcome an outcome
     * @param reason a reason
     * @return whether the outcome is a rejection for that reason
     */
    public static boolean rejectedFor(Outcome<?> outcome, Reason reason) {
        return outcome instanceof Outcome.Rejected<?> rejected && rejected.reason() == reason;
    }
}
