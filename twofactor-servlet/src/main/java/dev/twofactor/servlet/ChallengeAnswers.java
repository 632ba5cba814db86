package dev.twofactor.servlet;

import dev.twofactor.TwoFactorTexts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The ready-made answers of {@link TwoFactorSignIn#handleChallengeSubmission} for each {@link ChallengeResult}, as
 * the table in its javadoc lists them: JSON for API requests, redirects and short pages for browsers.
 */
final class ChallengeAnswers {

    private ChallengeAnswers() {
    }

    static void write(TwoFactorWebConfig config, HttpServletRequest request, HttpServletResponse response,
                      ChallengeResult result) throws IOException {
        boolean api = config.apiRequests().matches(request);
        if (result instanceof ChallengeResult.Passed passed) {
            answerPassed(request, response, passed, api);
            return;
        }
        if (result instanceof ChallengeResult.RateLimited limited) {
            Responses.retryAfter(response, limited.retryAfterSeconds());
        }
        if (api) {
            Json body = Json.object().put("error", result.error()).put("message", result.message());
            if (result instanceof ChallengeResult.RateLimited limited) {
                body.put("retryAfter", limited.retryAfterSeconds());
            }
            Responses.json(response, result.httpStatus(), body);
        } else if (result instanceof ChallengeResult.Rejected) {
            Responses.redirect(request, response, config.challengePath(), TwoFactorSessions.ERROR_PARAMETER,
                    result.error());
        } else if (result instanceof ChallengeResult.RateLimited) {
            Responses.html(request, response, 429, result.message(), config.challengePath(),
                    ServletTexts.text(TwoFactorTexts.Key.LINK_TRY_AGAIN));
        } else if (result instanceof ChallengeResult.Locked) {
            Responses.html(request, response, 403, result.message(), config.challengeCancelPath(),
                    ServletTexts.text(TwoFactorTexts.Key.CHALLENGE_SIGN_IN_AS_DIFFERENT_USER));
        } else if (result instanceof ChallengeResult.Expired) {
            Responses.redirect(request, response, config.loginPath(), TwoFactorSessions.ERROR_PARAMETER,
                    result.error());
        } else {
            Responses.redirect(request, response, config.loginPath());
        }
    }

    private static void answerPassed(HttpServletRequest request, HttpServletResponse response,
                                     ChallengeResult.Passed passed, boolean api) throws IOException {
        String location = request.getContextPath() + passed.returnPath();
        if (api) {
            Json body = Json.object().put("status", "signed_in").put("userId", passed.userId())
                    .put("redirect", location);
            passed.remainingRecoveryCodes().ifPresent(remaining -> body.put("remainingRecoveryCodes", remaining));
            passed.replacementRecoveryCodes().ifPresent(codes -> body.put("recoveryCodes", codes.codes()));
            if (request.getAttribute(TrustedDeviceSignIn.REMEMBERED_ATTRIBUTE) != null) {
                body.put("deviceRemembered", true);
            }
            Responses.json(response, 200, body);
        } else if (passed.replacementRecoveryCodes().isPresent()) {
            StringBuilder page = new StringBuilder(512)
                    .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                    .append(Responses.escapeHtml(ServletTexts.text(TwoFactorTexts.Key.RECOVERY_CODES_NEW_TITLE)))
                    .append("</title></head><body><h1>")
                    .append(Responses.escapeHtml(ServletTexts.text(TwoFactorTexts.Key.RECOVERY_CODES_SAVE_ONCE)))
                    .append("</h1><ul id=\"recovery-codes\">");
            for (String code : passed.replacementRecoveryCodes().get().codes()) {
                page.append("<li>").append(Responses.escapeHtml(code)).append("</li>");
            }
            page.append("</ul><p><a href=\"").append(Responses.escapeHtml(location))
                    .append("\">").append(Responses.escapeHtml(ServletTexts.text(TwoFactorTexts.Key.LINK_CONTINUE)))
                    .append("</a></p></body></html>\n");
            Responses.htmlPage(response, 200, page.toString());
        } else {
            Responses.redirect(request, response, passed.returnPath());
        }
    }
}
