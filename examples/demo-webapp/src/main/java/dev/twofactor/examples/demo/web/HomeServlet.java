package dev.twofactor.examples.demo.web;

import dev.twofactor.TwoFactorState;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** The start page of the workspace, and "not found" for every other unknown path. */
public final class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public HomeServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!"/".equals(path)) {
            services.pages().message(request, response, 404, "Page not found", "There is no page at this address.",
                    "/", "Back to the start page");
            return;
        }
        if (TwoFactorSessions.signedInUser(request).isEmpty()) {
            response.sendRedirect(request.getContextPath() + "/login");
            return;
        }
        DemoUsers.User user = Web.user(request, services);
        boolean enabled = services.service().status(user.id()).state() == TwoFactorState.ENABLED;
        services.pages().render(request, response, 200, "home.jte", "home", Map.of("enabled", enabled));
    }
}
