package dev.twofactor.examples.demo.web;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.TrustedDevice;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.TwoFactorTexts;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.EnrolmentStart;
import dev.twofactor.servlet.TrustedDeviceSignIn;
import dev.twofactor.servlet.TwoFactorSignIn;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two-factor card, {@code /my/profile/two-factor}, in its three states, and its actions: enable (QR and secret,
 * then "Confirm and enable" and the recovery codes shown once), change authentication app, regenerate recovery
 * codes, a new emergency key, disable with the current password. Sensitive actions pass the step-up gate first;
 * enable and change start through {@code TwoFactorSignIn}, which refuses them without a recent verification too.
 * Leaving the pending screen discards the pending secret (the filter's {@code cancelPendingEnrolmentOnLeave}).
 * "Trusted devices" lists the browsers remembered at the challenge, with Revoke and Revoke all ({@code POST}s under
 * this path, so the SDK refuses them cross-site; the CSRF token as on every form).
 * Secrets and codes are rendered into the one response that creates them, never kept in the session.
 */
public final class TwoFactorSettingsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/my/profile/two-factor";
    static final String ACTIVATED = TwoFactorTexts.get(TwoFactorTexts.Key.ENROLMENT_ACTIVATED, Locale.ENGLISH);
    static final String ACCEPTED = "Your code was accepted. Save your recovery codes — they're shown once.";
    static final String NOT_ACKNOWLEDGED = "These recovery codes can no longer be confirmed as saved: they were shown"
            + " once, on a page that is gone. Setup was not finished; select Enable two-factor to start again.";

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public TwoFactorSettingsServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DemoUsers.User user = Web.user(request, services);
        String action = Web.action(request);
        if ("/regenerate".equals(action)) {
            services.pages().render(request, response, 200, "confirm.jte", "security", Map.of(
                    "title", services.settings().emergencyKey() ? "Create a new emergency recovery key?"
                            : "Generate new recovery codes?",
                    "text", services.settings().emergencyKey()
                            ? "Your current emergency recovery key will stop working immediately."
                            : TwoFactorTexts.get(TwoFactorTexts.Key.RECOVERY_CODES_REGENERATE_CONFIRM, Locale.ENGLISH),
                    "action", PATH + (services.settings().emergencyKey() ? "/emergency-key" : "/regenerate"),
                    "button", services.settings().emergencyKey() ? "Create new recovery key"
                            : "Generate new recovery codes"));
            return;
        }
        if (!action.isEmpty()) {
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        TwoFactorStatus status = services.service().status(user.id());
        if (status.state() == TwoFactorState.PENDING_CONFIRMATION && status.awaitingAcknowledgement()) {
            // The codes were shown once and are gone: acknowledging them now would be a lie, so start over.
            services.service().cancelEnrolment(user.id());
            Pages.flash(request, "Setup was not finished: the recovery codes were not confirmed as saved."
                    + " Select Enable two-factor to start again.", true);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        Optional<Enrolment> pending = status.hasPendingEnrolment()
                ? services.signIn().pendingEnrolment(request, user.email()) : Optional.empty();
        render(request, response, 200, view(request, user, status, pending.orElse(null),
                status.state() == TwoFactorState.ENABLED, null, null, null, null));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DemoUsers.User user = Web.user(request, services);
        switch (Web.action(request)) {
            case "/enable" -> showPending(request, response, user,
                    services.signIn().startEnrolment(request, user.email()), false);
            case "/change" -> showPending(request, response, user,
                    services.signIn().changeAuthenticator(request, user.email()), true);
            case "/confirm" -> confirm(request, response, user);
            case "/acknowledge" -> acknowledge(request, response, user);
            case "/cancel" -> {
                services.service().cancelEnrolment(user.id());
                Pages.flash(request, "Setup cancelled. The QR code shown before no longer works.", false);
                response.sendRedirect(request.getContextPath() + PATH);
            }
            case "/regenerate", "/emergency-key" -> regenerate(request, response, user);
            case "/disable" -> disable(request, response, user);
            case "/devices/revoke" -> {
                Outcome<TrustedDevice> revoked = services.devices().revoke(request, response,
                        request.getParameter("id"));
                Pages.flash(request, revoked instanceof Outcome.Success<TrustedDevice> device
                        ? device.value().name() + " is no longer remembered: it will be asked for a code at the next"
                                + " sign-in." : revoked.message(), !revoked.succeeded());
                response.sendRedirect(request.getContextPath() + PATH);
            }
            case "/devices/revoke-all" -> {
                int count = services.devices().revokeAll(request, response);
                Pages.flash(request, count == 1 ? "1 device is no longer remembered."
                        : count + " devices are no longer remembered.", false);
                response.sendRedirect(request.getContextPath() + PATH);
            }
            default -> response.sendError(404);
        }
    }

    private void showPending(HttpServletRequest request, HttpServletResponse response, DemoUsers.User user,
                             EnrolmentStart started, boolean change) throws IOException {
        if (started instanceof EnrolmentStart.Started success) {
            TwoFactorStatus status = services.service().status(user.id());
            render(request, response, 200, view(request, user, status, success.enrolment(), change, null, null, null,
                    null));
        } else if (started instanceof EnrolmentStart.StepUpRequired stepUp) {
            // The filter sends such a request to "Unlock settings" first; this covers a session that aged meanwhile.
            Pages.flash(request, stepUp.message(), true);
            response.sendRedirect(request.getContextPath() + services.live().runtime().config().stepUpPath()
                    + "?returnTo=" + PATH);
        } else {
            Pages.flash(request, ((EnrolmentStart.Refused) started).message(), true);
            response.sendRedirect(request.getContextPath() + PATH);
        }
    }

    private void confirm(HttpServletRequest request, HttpServletResponse response, DemoUsers.User user)
            throws IOException {
        boolean change = services.service().status(user.id()).state() == TwoFactorState.ENABLED;
        Outcome<Confirmation> outcome = services.signIn().confirmEnrolment(request, request.getParameter("code"));
        if (outcome instanceof Outcome.Success<Confirmation> success) {
            Confirmation confirmation = success.value();
            TwoFactorStatus status = services.service().status(user.id());
            if (confirmation.newRecoveryCodes().isEmpty()) {
                Pages.flash(request, "Your authentication app was changed. Codes from the previous app no longer"
                        + " work.", false);
                response.sendRedirect(request.getContextPath() + PATH);
                return;
            }
            // Awaiting "I have saved my recovery codes": the token goes into the form beside the codes, nowhere else.
            String token = confirmation.acknowledgementToken();
            render(request, response, 200, view(request, user, status, null, false,
                    confirmation.newRecoveryCodes().get().codes(), token,
                    token == null ? ACTIVATED : ACCEPTED, null));
            return;
        }
        if (outcome instanceof Outcome.Rejected<?> rejected && rejected.reason() == Reason.NO_PENDING_ENROLMENT) {
            Pages.flash(request, outcome.message(), true);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        Enrolment again = services.signIn().pendingEnrolment(request, user.email()).orElse(null);
        render(request, response, Web.failed(response, outcome), view(request, user,
                services.service().status(user.id()), again, change, null, null, null, outcome.message()));
    }

    private void acknowledge(HttpServletRequest request, HttpServletResponse response, DemoUsers.User user)
            throws IOException {
        if (request.getParameter("saved") == null) {
            Pages.flash(request, "Tick \"I have saved my recovery codes\" before Done.", true);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        Outcome<TwoFactorStatus> outcome = services.signIn().acknowledgeRecoveryCodes(request,
                request.getParameter(TwoFactorSignIn.ACKNOWLEDGEMENT_TOKEN_PARAMETER));
        if (outcome.succeeded()) {
            Pages.flash(request, "Two-factor authentication is now active.", false);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        // Not from the page that showed the codes (a reload lost them, or another tab): nobody saved these codes,
        // so the half-done setup goes and the user starts again (409, the SDK's status for NOTHING_TO_ACKNOWLEDGE).
        if (services.service().status(user.id()).awaitingAcknowledgement()) {
            services.service().cancelEnrolment(user.id());
        }
        render(request, response, Web.failed(response, outcome), view(request, user,
                services.service().status(user.id()), null, false, null, null, null, NOT_ACKNOWLEDGED));
    }

    private void regenerate(HttpServletRequest request, HttpServletResponse response, DemoUsers.User user)
            throws IOException {
        Outcome<RecoveryCodes> outcome = services.service().regenerateRecoveryCodes(user.id());
        if (!(outcome instanceof Outcome.Success<RecoveryCodes> success)) {
            Pages.flash(request, outcome.message(), true);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        boolean key = success.value().codes().size() == 1;
        render(request, response, 200, view(request, user, services.service().status(user.id()), null, false,
                success.value().codes(), null, key ? "A new emergency recovery key was created. The old one no"
                        + " longer works." : "New recovery codes were generated. The old codes no longer work.",
                null));
    }

    private void disable(HttpServletRequest request, HttpServletResponse response, DemoUsers.User user)
            throws IOException {
        String password = Optional.ofNullable(request.getParameter("password")).orElse("");
        Outcome<TwoFactorStatus> outcome = services.signIn().disable(request, password.toCharArray());
        if (outcome.succeeded()) {
            Pages.flash(request, "Two-factor authentication is disabled. You can enable it again at any time.",
                    false);
            response.sendRedirect(request.getContextPath() + PATH);
            return;
        }
        render(request, response, Web.failed(response, outcome), view(request, user,
                services.service().status(user.id()), null, true, null, null, null, outcome.message()));
    }

    private TwoFactorView view(HttpServletRequest request, DemoUsers.User user, TwoFactorStatus status,
                               Enrolment enrolment, boolean changingApp, List<String> codes,
                               String acknowledgementToken, String success, String error) {
        TrustedDeviceSignIn devices = services.devices();
        return new TwoFactorView(status, enrolment, changingApp && enrolment != null, codes, acknowledgementToken,
                success, error, Web.unlocked(request, services), services.settings().emergencyKey(),
                services.service().appPasswords(user.id()).size(), services.activity().recent(user.id(), 10),
                devices.offered() ? devices.list(request) : null, devices.thisBrowser(request).orElse(null));
    }

    private void render(HttpServletRequest request, HttpServletResponse response, int status, TwoFactorView view)
            throws IOException {
        services.pages().render(request, response, status, "twoFactor.jte", "security", Map.of("view", view));
    }
}
