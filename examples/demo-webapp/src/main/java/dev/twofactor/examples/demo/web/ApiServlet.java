package dev.twofactor.examples.demo.web;

import dev.twofactor.AppPasswordGrant;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The API for clients that cannot do two-factor sign-in ({@code /api/*}, HTTP Basic with an app password, checked
 * by the SDK's filter): {@code GET /api/me} answers who is calling and what the app password grants;
 * {@code GET /api/projects} needs {@code projects:read}. JSON sessions of the sign-in API use {@code /account/me}.
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public ApiServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/account/me".equals(request.getServletPath())) {
            String user = TwoFactorSessions.signedInUser(request).orElse(null);
            if (user == null) {
                services.json(response, 401, Map.of("error", "not_signed_in", "message", "Sign in first."));
            } else {
                services.json(response, 200, Map.of("userId", user, "administrator",
                        TwoFactorSessions.signedInAdministrator(request)));
            }
            return;
        }
        AppPasswordGrant grant = TwoFactorSessions.appPasswordGrant(request).orElse(null);
        if (grant == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"twofactor\", charset=\"UTF-8\"");
            services.json(response, 401, Map.of("error", "unauthorized",
                    "message", "Use HTTP Basic with your user name and an application password."));
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/me" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("userId", grant.userId());
                body.put("appPassword", grant.name());
                body.put("access", grant.fullAccess() ? "full" : "limited");
                body.put("permissions", grant.fullAccess() ? List.of("*") : new TreeSet<>(grant.permissions()));
                services.json(response, 200, body);
            }
            case "/projects" -> {
                if (!grant.allows("projects:read")) {
                    services.json(response, 403, Map.of("error", "forbidden",
                            "message", "This application password does not grant projects:read."));
                    return;
                }
                services.json(response, 200, Map.of("projects", List.of(
                        Map.of("key", "WEB", "name", "Website relaunch"),
                        Map.of("key", "OPS", "name", "Operations"))));
            }
            default -> services.json(response, 404, Map.of("error", "not_found", "message", "No such endpoint."));
        }
    }
}
