package dev.twofactor.servlet;

import static dev.twofactor.servlet.TwoFactorApp.CONTEXT;
import static dev.twofactor.servlet.TwoFactorApp.signedIn;
import static dev.twofactor.servlet.TwoFactorApp.success;
import static dev.twofactor.servlet.TwoFactorApp.text;

import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.TwoFactorService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The security settings of {@link TwoFactorApp}'s host application, as a host would write them on the helpers: the
 * enrolment area with its sensitive actions (start, confirm, disable, recovery codes, trusted devices, app
 * passwords), the "unlock settings" step-up page and JSON endpoints answering service outcomes with
 * {@link OutcomeResponses}.
 */
// The Set form of createAppPassword is still tested here.
@SuppressWarnings("deprecation")
final class SettingsPages {

    private final AtomicInteger applicationHits;
    private final TwoFactorService service;
    private final TwoFactorWebConfig config;
    private final TwoFactorSignIn signIn;
    private final TrustedDeviceSignIn devices;

    SettingsPages(TwoFactorApp app) {
        this.applicationHits = app.applicationHits;
        this.service = app.service;
        this.config = app.config;
        this.signIn = app.signIn;
        this.devices = app.devices;
    }

    /** The enrolment area, beneath {@code /my/profile/two-factor}. */
    HttpServlet enrolmentArea() {
        return new EnrolmentServlet();
    }

    /** The step-up screen. */
    HttpServlet stepUpPage() {
        return new StepUpServlet();
    }

    /** The host's own JSON endpoints, beneath {@code /outcome}. */
    HttpServlet outcomeEndpoints() {
        return new OutcomeServlet();
    }

    /** A host's own JSON endpoints, answering every service outcome with {@link OutcomeResponses}. */
    private final class OutcomeServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            String user = TwoFactorSessions.signedInUser(request).orElseThrow();
            switch (request.getPathInfo()) {
                case "/step-up" -> OutcomeResponses.write(response,
                        signIn.stepUpWithPassword(request, request.getParameter("password").toCharArray()));
                case "/revoke" -> OutcomeResponses.write(response,
                        service.revokeAppPassword(user, request.getParameter("id")));
                case "/acknowledge" -> OutcomeResponses.write(response, signIn.acknowledgeRecoveryCodes(request,
                        request.getParameter(TwoFactorSignIn.ACKNOWLEDGEMENT_TOKEN_PARAMETER)));
                default -> text(response, 404, "no such action");
            }
        }
    }

    /** The enrolment area (security settings), with its sensitive actions. */
    private final class EnrolmentServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            if ("/devices".equals(request.getPathInfo())) {
                text(response, 200, "devices " + devices.list(request).stream().map(device -> device.id() + " "
                        + device.name()).toList() + " this=" + devices.thisBrowser(request).orElse("-"));
                return;
            }
            if ("/pending".equals(request.getPathInfo())) {
                // The enrolment page reloaded: the same pending secret again, or the "Enable" button.
                String user = TwoFactorSessions.signedInUser(request).orElseThrow();
                text(response, 200, signIn.pendingEnrolment(request, user + "@example.com")
                        .map(enrolment -> "pending " + enrolment.secret().base32()).orElse("enable button"));
                return;
            }
            text(response, 200, "enrolment " + request.getRequestURI() + " user=" + signedIn(request)
                    + " required=" + TwoFactorSessions.enrolmentRequirement(request)
                    .map(enrol -> enrol.message()).orElse("-"));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            String user = TwoFactorSessions.signedInUser(request).orElse(null);
            if (user == null) {
                text(response, 401, "not signed in");
                return;
            }
            String action = request.getPathInfo() == null ? "" : request.getPathInfo();
            switch (action) {
                // /start and /change are the filter's enrolment-start paths; /begin and /begin-change are not, so
                // there only the helper's own step-up rule holds.
                case "/start", "/begin" -> answer(response, signIn.startEnrolment(request, user + "@example.com"));
                case "/change", "/begin-change" ->
                        answer(response, signIn.changeAuthenticator(request, user + "@example.com"));
                case "/confirm" -> answer(response, signIn.confirmEnrolment(request, request.getParameter("code")),
                        confirmation -> "confirmed " + confirmation.state());
                case "/disable-after-step-up" -> answer(response, signIn.disable(request),
                        status -> "disabled " + status.state());
                case "/confirm-codes" -> answer(response,
                        signIn.confirmEnrolment(request, request.getParameter("code")),
                        confirmation -> "confirmed " + confirmation.state() + " token="
                                + confirmation.acknowledgementToken() + " codes="
                                + confirmation.newRecoveryCodes().map(codes -> codes.codes().size()).orElse(0));
                case "/disable" -> answer(response,
                        signIn.disable(request, request.getParameter("password").toCharArray()),
                        status -> "disabled " + status.state());
                case "/download-codes" -> {
                    RecoveryCodes codes = success(service.regenerateRecoveryCodes(user));
                    RecoveryCodesDownload.write(response, codes, "Servlet Test", user + "@example.com",
                            service.clock().instant());
                }
                case "/regenerate" -> answer(response, service.regenerateRecoveryCodes(user),
                        codes -> "regenerated " + codes.codes().size());
                case "/devices/revoke" -> answer(response,
                        devices.revoke(request, response, request.getParameter("id")),
                        device -> "revoked " + device.id());
                case "/devices/revoke-all" -> text(response, 200, "revoked " + devices.revokeAll(request, response));
                case "/password-changed" -> text(response, 200,
                        "revoked " + service.trustedDevices().passwordChanged(user));
                case "/app-passwords" -> answer(response,
                        service.createAppPassword(user, request.getParameter("name"), Set.of()),
                        created -> "created " + created.appPassword().name());
                default -> text(response, 404, "no such action");
            }
        }
    }

    /** "Unlock settings": step-up with the password or a code, then back to a validated local path. */
    private final class StepUpServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            text(response, 200, "step-up page returnTo=" + request.getParameter("returnTo"));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            applicationHits.incrementAndGet();
            String password = request.getParameter("password");
            String recoveryCode = request.getParameter("recoveryCode");
            Outcome<?> outcome = password != null
                    ? signIn.stepUpWithPassword(request, password.toCharArray())
                    : recoveryCode != null ? signIn.stepUpWithRecoveryCode(request, recoveryCode)
                    : signIn.stepUpWithCode(request, request.getParameter("code"));
            if (outcome instanceof Outcome.Success<?> success
                    && success.value() instanceof RecoveryCodeAccepted accepted
                    && accepted.replacementCodes().isPresent()) {
                // A rotate-on-use policy: the host shows the replacement set, once, instead of redirecting.
                text(response, 200, "replacement=" + String.join(",", accepted.replacementCodes().get().codes()));
            } else if (outcome.succeeded()) {
                String target = TwoFactorSessions.safeReturnPath(request.getParameter("returnTo"))
                        .orElse(config.enrolmentPath());
                response.sendRedirect(CONTEXT + target);
            } else if (outcome instanceof Outcome.RateLimited<?> limited) {
                response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
                text(response, 429, limited.message());
            } else {
                text(response, 401, outcome.message());
            }
        }
    }

    private static void answer(HttpServletResponse response, EnrolmentStart start) throws IOException {
        if (start instanceof EnrolmentStart.Started started) {
            text(response, 200, started.enrolment().secret().base32());
        } else if (start instanceof EnrolmentStart.StepUpRequired stepUp) {
            text(response, 403, stepUp.message());
        } else {
            text(response, 400, ((EnrolmentStart.Refused) start).message());
        }
    }

    private static <T> void answer(HttpServletResponse response, Outcome<T> outcome,
                                   Function<T, String> describe) throws IOException {
        if (outcome instanceof Outcome.Success<T> success) {
            text(response, 200, describe.apply(success.value()));
        } else if (outcome instanceof Outcome.RateLimited<T> limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
            text(response, 429, limited.message());
        } else {
            text(response, 400, outcome.message());
        }
    }
}
