package dev.twofactor.spring.security;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Plain built-in screens for applications that render none of their own ({@link TwoFactorConfigurer#defaultPages}),
 * with the texts of SPEC §4–§6 and the element ids of SPEC §14: the challenge ({@code GET} challenge path), the
 * step-up screen ({@code GET} step-up path) and the two-factor card ({@code GET} enrolment path, and {@code POST} to
 * its {@code /start}, {@code /confirm}, {@code /cancel}, {@code /recovery-codes} and {@code /disable}). It runs after
 * Spring Security's authorization, so the enforcement and step-up rules apply to it as to any page. With trusted
 * devices on, the challenge's two forms carry the "Remember this device for N days" checkbox. A secret, QR
 * code or recovery-code set is kept in the session only until the next rendering of the card.
 */
final class TwoFactorDefaultPagesFilter extends OncePerRequestFilter {

    private static final String SHOW_ONCE = TwoFactorDefaultPagesFilter.class.getName() + ".SHOW_ONCE";

    /** What the card shows once after a POST: a message, an enrolment's secret and QR, recovery codes. */
    private record ShowOnce(String notice, String error, String qr, String secret, List<String> codes)
            implements Serializable {
        @Override
        public String toString() {
            return "ShowOnce[redacted]";
        }
    }

    private final TwoFactorService service;
    private final TwoFactorFactors factors;
    private final TwoFactorAuthorizationManager manager;
    private final DeviceCookie devices;
    private final String challengePath;
    private final String stepUpPath;
    private final String enrolmentPath;
    private final String logoutPath;

    TwoFactorDefaultPagesFilter(TwoFactorService service, TwoFactorFactors factors,
            TwoFactorAuthorizationManager manager, DeviceCookie devices, String challengePath, String stepUpPath,
            String enrolmentPath, String logoutPath) {
        this.service = Objects.requireNonNull(service);
        this.factors = Objects.requireNonNull(factors);
        this.manager = Objects.requireNonNull(manager);
        this.devices = devices;
        this.challengePath = challengePath;
        this.stepUpPath = stepUpPath;
        this.enrolmentPath = enrolmentPath;
        this.logoutPath = logoutPath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Authentication user = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        boolean get = "GET".equals(request.getMethod());
        boolean post = "POST".equals(request.getMethod());
        if (!TwoFactorAuthorizationManager.signedIn(user) || user instanceof AppPasswordAuthenticationToken) {
            chain.doFilter(request, response);
        } else if (get && path.equals(challengePath)) {
            render(response, "Two-factor authentication", challenge(request));
        } else if (get && path.equals(stepUpPath)) {
            render(response, "Unlock settings", stepUp(request));
        } else if (get && path.equals(enrolmentPath)) {
            render(response, "Two-factor authentication", card(request, user));
        } else if (post && path.startsWith(enrolmentPath + "/") && act(request, response, user,
                path.substring(enrolmentPath.length() + 1))) {
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(request.getContextPath() + enrolmentPath);
        } else if (get && path.startsWith(enrolmentPath + "/") && !path.equals(stepUpPath)) {
            // A step-up replays the saved POST as a GET: back to the card, where the button now works.
            response.sendRedirect(request.getContextPath() + enrolmentPath);
        } else {
            chain.doFilter(request, response);
        }
    }

    private String challenge(HttpServletRequest request) {
        return "<h1>Two-factor authentication</h1>" + lastError(request)
                + form(request, challengePath, "<label>Enter the code from your authenticator app <input name=\"code\""
                        + " inputmode=\"numeric\" autocomplete=\"one-time-code\" autofocus></label>"
                        + remember("remember-device"), "Verify and sign in")
                + "<details><summary>Lost your phone? Use a recovery code</summary>"
                + form(request, challengePath, "<label>Recovery code <input name=\"recoveryCode\" autocomplete=\"off\">"
                        + "</label>" + remember("remember-device-recovery"), "Use recovery code") + "</details>"
                + form(request, logoutPath, "", "Sign in as a different user");
    }

    /** The "Remember this device" checkbox (the demo's ids), or nothing when trusted devices are off. */
    private String remember(String id) {
        return devices == null || !devices.offered() ? ""
                : "<label><input type=\"checkbox\" name=\"" + TwoFactorAuthenticationFilter.REMEMBER_DEVICE_PARAMETER
                        + "\" value=\"on\" id=\"" + id + "\"> Remember this device for " + devices.lifetimeDays()
                        + " days</label>";
    }

    private String stepUp(HttpServletRequest request) {
        return "<h1>Unlock settings</h1><p>" + HttpAnswers.escapeHtml(TwoFactorEntryPoint.STEP_UP_MESSAGE) + "</p>"
                + lastError(request)
                + form(request, stepUpPath, "<label>Password <input name=\"password\" type=\"password\""
                        + " autocomplete=\"current-password\"></label>", "Unlock settings")
                + form(request, stepUpPath, "<label>Authenticator code <input name=\"code\" inputmode=\"numeric\""
                        + " autocomplete=\"one-time-code\"></label>", "Unlock settings")
                + form(request, stepUpPath, "<label>Recovery code <input name=\"recoveryCode\""
                        + " autocomplete=\"off\"></label>", "Unlock settings");
    }

    private String card(HttpServletRequest request, Authentication user) {
        TwoFactorStatus status = service.status(user.getName());
        HttpSession session = request.getSession();
        ShowOnce once = session.getAttribute(SHOW_ONCE) instanceof ShowOnce shown ? shown : null;
        session.removeAttribute(SHOW_ONCE);
        String badge = switch (status.state()) {
            case NOT_CONFIGURED -> "Not configured";
            case PENDING_CONFIRMATION -> "Pending confirmation";
            case ENABLED -> "Enabled";
        };
        StringBuilder html = new StringBuilder("<h1>Two-factor authentication <span id=\"two-factor-state\">")
                .append(badge).append("</span></h1>");
        if (manager.requirementFor(user, request) instanceof Requirement.Enrol enrol) {
            html.append("<p id=\"policy\">").append(HttpAnswers.escapeHtml(enrol.message())).append("</p>");
        }
        if (once != null && once.notice() != null) {
            html.append("<p class=\"notice\">").append(HttpAnswers.escapeHtml(once.notice())).append("</p>");
        }
        if (once != null && once.error() != null) {
            html.append("<p id=\"error\">").append(HttpAnswers.escapeHtml(once.error())).append("</p>");
        }
        if (once != null && once.secret() != null) {
            html.append("<p>Scan the QR code with your authenticator app, or type the key.</p><img id=\"qr\" src=\"")
                    .append(HttpAnswers.escapeHtml(once.qr())).append("\" alt=\"QR code\"><p>Key: <code id=\"secret\">")
                    .append(HttpAnswers.escapeHtml(once.secret())).append("</code></p>");
        }
        if (status.pendingExpiresAt() != null) {
            html.append(form(request, enrolmentPath + "/confirm", "<label>Code <input name=\"code\""
                    + " inputmode=\"numeric\" autocomplete=\"one-time-code\"></label>", "Confirm"));
            html.append(form(request, enrolmentPath + "/cancel", "", "Cancel"));
        }
        if (once != null && once.codes() != null) {
            html.append("<h2>Save these recovery codes — shown ONCE</h2><ul id=\"recovery-codes\">");
            for (String code : once.codes()) {
                html.append("<li>").append(HttpAnswers.escapeHtml(code)).append("</li>");
            }
            html.append("</ul>");
        }
        if (status.state() == TwoFactorState.ENABLED) {
            html.append("<p>").append(status.remainingRecoveryCodes()).append(" recovery codes left.</p>")
                    .append(form(request, enrolmentPath + "/recovery-codes", "", "Regenerate recovery codes"))
                    .append(form(request, enrolmentPath + "/start", "", "Change app"))
                    .append(form(request, enrolmentPath + "/disable", "<label>Current password <input"
                            + " name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>",
                            "Disable"));
        } else if (status.pendingExpiresAt() == null) {
            html.append(form(request, enrolmentPath + "/start", "", "Enable"));
        }
        return html.toString();
    }

    /** Performs a card action; {@code false} for an unknown one (left to the application). */
    private boolean act(HttpServletRequest request, HttpServletResponse response, Authentication user,
            String action) {
        String id = user.getName();
        ShowOnce once;
        switch (action) {
            case "start" -> {
                Outcome<Enrolment> started = service.status(id).state() == TwoFactorState.ENABLED
                        ? service.changeAuthenticator(id, id) : service.startEnrolment(id, id);
                once = started instanceof Outcome.Success<Enrolment> ok
                        ? new ShowOnce(null, null, ok.value().qrCode().pngDataUri(4), ok.value().secret().grouped(),
                                null)
                        : new ShowOnce(null, started.message(), null, null, null);
            }
            case "confirm" -> {
                String code = request.getParameter("code");
                Outcome<Confirmation> confirmed = service.confirmEnrolment(id, code == null ? "" : code);
                if (confirmed instanceof Outcome.Success<Confirmation> ok) {
                    factors.grantTotp(request, response);
                    once = new ShowOnce("Two-factor authentication is enabled.", null, null, null,
                            ok.value().newRecoveryCodes().map(RecoveryCodes::codes).orElse(null));
                } else {
                    once = new ShowOnce(null, confirmed.message(), null, null, null);
                }
            }
            case "cancel" -> {
                Outcome<TwoFactorStatus> cancelled = service.cancelEnrolment(id);
                if (cancelled.succeeded()) {
                    TwoFactorFactors.requirementChanged(request);
                }
                once = new ShowOnce(null, cancelled.succeeded() ? null : cancelled.message(), null, null, null);
            }
            case "recovery-codes" -> {
                Outcome<RecoveryCodes> codes = service.regenerateRecoveryCodes(id);
                once = codes instanceof Outcome.Success<RecoveryCodes> ok
                        ? new ShowOnce(null, null, null, null, ok.value().codes())
                        : new ShowOnce(null, codes.message(), null, null, null);
            }
            case "disable" -> {
                String password = request.getParameter("password");
                Outcome<TwoFactorStatus> disabled = service.disable(id,
                        (password == null ? "" : password).toCharArray());
                if (disabled.succeeded()) {
                    TwoFactorFactors.requirementChanged(request);
                }
                once = disabled.succeeded() ? new ShowOnce("Two-factor authentication is disabled.", null, null,
                        null, null) : new ShowOnce(null, disabled.message(), null, null, null);
            }
            default -> {
                return false;
            }
        }
        request.getSession().setAttribute(SHOW_ONCE, once);
        return true;
    }

    private static String lastError(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || request.getParameter("error") == null) {
            return "";
        }
        Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return failure instanceof AuthenticationException e
                ? "<p id=\"error\">" + HttpAnswers.escapeHtml(e.getMessage()) + "</p>" : "";
    }

    private static String form(HttpServletRequest request, String action, String fields, String button) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String token = csrf == null ? "" : "<input type=\"hidden\" name=\"" + HttpAnswers.escapeHtml(
                csrf.getParameterName()) + "\" value=\"" + HttpAnswers.escapeHtml(csrf.getToken()) + "\">";
        return "<form method=\"post\" action=\"" + HttpAnswers.escapeHtml(request.getContextPath() + action) + "\">"
                + token + fields + "<button type=\"submit\">" + HttpAnswers.escapeHtml(button) + "</button></form>";
    }

    private static void render(HttpServletResponse response, String title, String body) throws IOException {
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        response.getOutputStream().write(("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + HttpAnswers.escapeHtml(title) + "</title></head><body>" + body + "</body></html>")
                .getBytes(StandardCharsets.UTF_8));
    }
}
