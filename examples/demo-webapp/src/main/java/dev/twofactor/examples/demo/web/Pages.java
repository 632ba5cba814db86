package dev.twofactor.examples.demo.web;

import dev.twofactor.Requirement;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.TwoFactorSessions;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the precompiled JTE templates (HTML content type: every {@code ${...}} is escaped for its context) with the
 * layout's {@link PageContext}, and carries one-time flash messages across a redirect.
 */
public final class Pages {

    private static final String FLASH = Pages.class.getName() + ".flash";

    private record Flash(String text, boolean error) implements Serializable {
    }

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final DemoUsers users;

    /**
     * @param users the accounts, to name the signed-in user
     */
    public Pages(DemoUsers users) {
        this.users = users;
    }

    /**
     * @param request the request
     * @param text a message for the next page (never a secret)
     * @param error whether it reports a failure
     */
    public static void flash(HttpServletRequest request, String text, boolean error) {
        request.getSession().setAttribute(FLASH, new Flash(text, error));
    }

    /**
     * @param request the request
     * @param response the response
     * @param status the HTTP status
     * @param template the template name, e.g. {@code "login.jte"}
     * @param active the navigation entry to highlight
     * @param params the template's parameters besides {@code page}
     * @throws IOException if the response cannot be written
     */
    public void render(HttpServletRequest request, HttpServletResponse response, int status, String template,
                       String active, Map<String, Object> params) throws IOException {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", context(request, active));
        Utf8ByteOutput output = new Utf8ByteOutput();
        engine.render(template, all, output);
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                + "style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'");
        response.setContentLength(output.getContentLength());
        output.writeTo(response.getOutputStream());
    }

    /**
     * A page with a title, a text and one link: errors, the 429 wait, the lock.
     *
     * @param request the request
     * @param response the response
     * @param status the HTTP status
     * @param title the heading
     * @param text the text
     * @param linkPath where the link goes
     * @param linkText the link's text
     * @throws IOException if the response cannot be written
     */
    public void message(HttpServletRequest request, HttpServletResponse response, int status, String title,
                        String text, String linkPath, String linkText) throws IOException {
        render(request, response, status, "message.jte", "", Map.of("title", title, "text", text,
                "linkPath", linkPath, "linkText", linkText));
    }

    /** The policy's text; during a grace period with its deadline, since nothing is blocked yet. */
    private static String requirementText(Requirement.Enrol enrol) {
        if (enrol.enforced() || enrol.graceDeadline().isEmpty()) {
            return enrol.message();
        }
        return "Two-factor authentication is required by your organisation. Set it up before "
                + TwoFactorView.time(enrol.graceDeadline().get()) + ".";
    }

    private PageContext context(HttpServletRequest request, String active) {
        DemoUsers.User user = TwoFactorSessions.signedInUser(request).flatMap(users::find).orElse(null);
        HttpSession session = request.getSession(false);
        Flash flash = null;
        if (session != null && session.getAttribute(FLASH) instanceof Flash found) {
            flash = found;
            session.removeAttribute(FLASH);
        }
        String requirement = TwoFactorSessions.enrolmentRequirement(request).map(Pages::requirementText)
                .orElse(null);
        return new PageContext(Csrf.token(request), user, active, flash == null ? null : flash.text(),
                flash != null && flash.error(), requirement);
    }
}
