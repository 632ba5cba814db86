package dev.twofactor.examples.demo.web;

import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The host's own access rule, after the SDK's filter: the application's pages need a signed-in user (anonymous
 * visitors go to {@code /login}), and {@code /admin/*} an administrator.
 */
public final class SignedInOnly implements Filter {

    private final Pages pages;

    /**
     * @param pages renders the refusal page
     */
    public SignedInOnly(Pages pages) {
        this.pages = pages;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (TwoFactorSessions.signedInUser(request).isEmpty()) {
            if (Csrf.isJson(request) || "application/json".equals(request.getHeader("Accept"))) {
                response.setStatus(401);
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"not_signed_in\"}");
            } else {
                response.sendRedirect(request.getContextPath() + "/login");
            }
            return;
        }
        if (request.getServletPath().startsWith("/admin") && !TwoFactorSessions.signedInAdministrator(request)) {
            pages.message(request, response, 403, "Administrators only",
                    "You need an administrator account to open the security settings of the organisation.", "/",
                    "Back to the start page");
            return;
        }
        chain.doFilter(request, response);
    }
}
