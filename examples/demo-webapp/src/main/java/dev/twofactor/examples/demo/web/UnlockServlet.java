package dev.twofactor.examples.demo.web;

import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.TwoFactorState;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * "Unlock settings" ({@code /my/profile/two-factor/unlock}): a step-up with the password, an authenticator code or a
 * recovery code before sensitive actions, "not necessary if you recently verified". Every attempt counts toward the
 * backoff; a backoff answers 429 with the time to wait.
 */
public final class UnlockServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public UnlockServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, 200, Optional.ofNullable(request.getParameter("method")).orElse("password"), null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = Optional.ofNullable(request.getParameter("method")).orElse("password");
        Outcome<?> outcome;
        RecoveryCodes replacement = null;
        switch (method) {
            case "code" -> outcome = services.signIn().stepUpWithCode(request,
                    Optional.ofNullable(request.getParameter("code")).orElse(""));
            case "recovery" -> {
                Outcome<RecoveryCodeAccepted> redeemed = services.signIn().stepUpWithRecoveryCode(request,
                        Optional.ofNullable(request.getParameter("recoveryCode")).orElse(""));
                if (redeemed instanceof Outcome.Success<RecoveryCodeAccepted> success) {
                    replacement = success.value().replacementCodes().orElse(null);
                }
                outcome = redeemed;
            }
            default -> outcome = services.signIn().stepUpWithPassword(request,
                    Optional.ofNullable(request.getParameter("password")).orElse("").toCharArray());
        }
        if (!outcome.succeeded()) {
            show(request, response, Web.failed(response, outcome), method, outcome.message());
            return;
        }
        // The SDK recorded the step-up under a new session id: a cookie copied before it does not share it.
        String target = TwoFactorSessions.safeReturnPath(request.getParameter("returnTo"))
                .orElse(TwoFactorSettingsServlet.PATH);
        if (replacement != null) {
            services.pages().render(request, response, 200, "newKey.jte", "security", Map.of(
                    "codes", replacement.codes(), "continuePath", target));
            return;
        }
        Pages.flash(request, "Settings unlocked. You will not be asked again for "
                + services.service().stepUpWindow().toMinutes() + " minutes.", false);
        response.sendRedirect(request.getContextPath() + target);
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, String method,
                      String error) throws IOException {
        DemoUsers.User user = Web.user(request, services);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("method", method);
        params.put("error", error);
        params.put("returnTo", TwoFactorSessions.safeReturnPath(request.getParameter("returnTo"))
                .orElse(TwoFactorSettingsServlet.PATH));
        params.put("hasSecondFactor", services.service().status(user.id()).state() == TwoFactorState.ENABLED);
        params.put("minutes", services.service().stepUpWindow().toMinutes());
        services.pages().render(request, response, status, "unlock.jte", "security", params);
    }
}
