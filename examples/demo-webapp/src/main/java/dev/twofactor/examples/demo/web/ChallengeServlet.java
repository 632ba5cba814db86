package dev.twofactor.examples.demo.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twofactor.servlet.ChallengeResult;
import dev.twofactor.servlet.TrustedDeviceSignIn;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sign-in challenge, {@code /login/two-factor}: "Verify and sign in" with the authenticator code, or "Use recovery
 * code" (under the emergency-key policy "Can't use your mobile device?", whose replacement key is shown once here);
 * "Sign in as a different user" is {@code POST /login/two-factor/cancel}. The SDK checks the code
 * ({@code TwoFactorSignIn.verifyChallenge}); this page renders the answers, also as JSON for the sign-in API.
 * "Remember this device for 30 days" (field {@code rememberDevice}) asks the SDK to remember the browser once the code
 * passed ({@code TrustedDeviceSignIn.rememberAfterChallenge}); the next sign-in on it needs only the password.
 */
public final class ChallengeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public ChallengeServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/cancel".equals(request.getPathInfo())) {
            // "Sign in as a different user" is a POST form: another site's link or image cannot end a sign-in.
            response.setHeader("Allow", "POST");
            response.sendError(405);
            return;
        }
        String user = TwoFactorSessions.challengeUser(request).orElse(null);
        if (user == null) {
            response.sendRedirect(request.getContextPath() + (TwoFactorSessions.signedInUser(request).isPresent()
                    ? "/" : "/login"));
            return;
        }
        boolean recovery = "recovery".equals(request.getParameter("method"));
        show(request, response, 200, user, recovery, TwoFactorSessions.errorMessage(request).orElse(null));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/cancel".equals(request.getPathInfo())) {
            services.signIn().cancelChallenge(request);
            response.sendRedirect(request.getContextPath() + "/login");
            return;
        }
        boolean api = Csrf.isJson(request);
        String code;
        String recoveryCode;
        boolean remember;
        if (api) {
            JsonNode body;
            try {
                body = services.json().readTree(request.getInputStream().readNBytes(4096));
            } catch (JsonProcessingException malformed) {
                body = null;
            }
            code = SignInServlet.text(body, "code");
            recoveryCode = SignInServlet.text(body, "recoveryCode");
            remember = body != null && body.path(TrustedDeviceSignIn.REMEMBER_PARAMETER).asBoolean(false);
        } else {
            code = request.getParameter("code");
            recoveryCode = request.getParameter("recoveryCode");
            remember = request.getParameter(TrustedDeviceSignIn.REMEMBER_PARAMETER) != null;
        }
        ChallengeResult result = services.signIn().verifyChallenge(request, code, recoveryCode);
        if (result.passed() && remember) {
            // "Remember this device": the SDK records it (the passed challenge is the proof) and sets the cookie.
            services.devices().rememberAfterChallenge(request, response);
        }
        if (api) {
            answerJson(request, response, result);
        } else {
            answerPage(request, response, result, code == null || code.isBlank());
        }
    }

    private void answerPage(HttpServletRequest request, HttpServletResponse response, ChallengeResult result,
                            boolean recovery) throws IOException {
        String context = request.getContextPath();
        if (result instanceof ChallengeResult.Passed passed) {
            if (passed.replacementRecoveryCodes().isPresent()) {
                services.pages().render(request, response, 200, "newKey.jte", "", Map.of(
                        "codes", passed.replacementRecoveryCodes().get().codes(),
                        "continuePath", passed.returnPath()));
            } else {
                response.sendRedirect(context + passed.returnPath());
            }
        } else if (result instanceof ChallengeResult.Rejected) {
            response.sendRedirect(context + "/login/two-factor?error=" + URLEncoder.encode(result.error(),
                    StandardCharsets.UTF_8) + (recovery ? "&method=recovery" : ""));
        } else if (result instanceof ChallengeResult.RateLimited limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
            services.pages().message(request, response, 429, "Please wait",
                    limited.message(), "/login/two-factor", "Try again");
        } else if (result instanceof ChallengeResult.Locked) {
            services.pages().message(request, response, 403, "Second factor locked", result.message(),
                    "/login", "Back to sign-in");
        } else if (result instanceof ChallengeResult.Expired) {
            response.sendRedirect(context + "/login?error=" + result.error());
        } else {
            response.sendRedirect(context + "/login");
        }
    }

    private void answerJson(HttpServletRequest request, HttpServletResponse response, ChallengeResult result)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (result instanceof ChallengeResult.Passed passed) {
            body.put("status", "signed_in");
            body.put("userId", passed.userId());
            passed.remainingRecoveryCodes().ifPresent(left -> body.put("remainingRecoveryCodes", left));
            passed.replacementRecoveryCodes().ifPresent(codes -> body.put("recoveryCodes", codes.codes()));
            services.json(response, 200, body);
            return;
        }
        body.put("error", result.error());
        body.put("message", result.message());
        if (result instanceof ChallengeResult.RateLimited limited) {
            response.setHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
            body.put("retryAfter", limited.retryAfterSeconds());
        }
        services.json(response, result.httpStatus(), body);
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, String user,
                      boolean recovery, String error) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("userName", services.users().find(user).map(found -> found.displayName()).orElse(user));
        params.put("recovery", recovery);
        params.put("emergencyKey", services.settings().emergencyKey());
        params.put("error", error);
        TrustedDeviceSignIn devices = services.devices();
        params.put("rememberDays", devices.offered() ? devices.lifetime().toDays() : 0L);
        services.pages().render(request, response, status, "challenge.jte", "login", params);
    }
}
