package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.TwoFactorService;
import dev.twofactor.servlet.RequestMatcher;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * SDK gap: "navigating away discards the pending secret" (SPEC §4). The enrolment screens call {@link #pendingShown}
 * when they show a pending QR code; the next {@code GET} of this session to a page outside the enrolment paths
 * cancels that pending enrolment through the service (an {@code ENROLMENT_CANCELLED} event). Only a flag is kept in
 * the session, so other pages cost nothing. Replace with the filter's opt-in setting once the SDK has it.
 */
public final class LeavingDiscardsPending implements Filter {

    private static final String ATTRIBUTE = LeavingDiscardsPending.class.getName();

    private final Supplier<TwoFactorService> service;
    private final RequestMatcher stays;

    /**
     * @param service the current service
     * @param stays the paths that do not count as leaving (the enrolment screens, static files)
     */
    public LeavingDiscardsPending(Supplier<TwoFactorService> service, RequestMatcher stays) {
        this.service = service;
        this.stays = stays;
    }

    /**
     * @param request the request that showed a pending enrolment of the signed-in user
     */
    public static void pendingShown(HttpServletRequest request) {
        request.getSession().setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    /**
     * @param request a request whose pending enrolment was confirmed or cancelled
     */
    public static void pendingGone(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(ATTRIBUTE) != null && "GET".equals(request.getMethod())
                && !stays.matches(request)) {
            pendingGone(request);
            TwoFactorSessions.signedInUser(request).ifPresent(user -> service.get().cancelEnrolment(user));
        }
        chain.doFilter(request, response);
    }
}
