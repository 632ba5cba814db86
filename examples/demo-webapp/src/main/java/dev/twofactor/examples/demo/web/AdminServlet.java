package dev.twofactor.examples.demo.web;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Outcome;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.examples.demo.DemoSettings;
import dev.twofactor.examples.demo.DemoUsers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin → Settings → Security ({@code /admin/settings/security}): "Require MFA for everyone", "Require MFA for
 * admins", the grace period, the recovery-code policy, the acknowledgement; the users with their two-factor state,
 * unenrol (with the administrator's own current code; not themselves) and reset a lock; the purge of expired trusted
 * devices.
 */
public final class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/admin/settings/security";
    /** The grace periods offered, in hours. */
    private static final List<Integer> GRACE_HOURS = List.of(0, 1, 24, 72, 168);

    /**
     * One row of the users table.
     *
     * @param user the user
     * @param status their two-factor status
     * @param self whether it is the signed-in administrator
     * @param emergencyKey whether the organisation uses one emergency recovery key instead of 8 codes
     */
    public record UserRow(DemoUsers.User user, TwoFactorStatus status, boolean self, boolean emergencyKey) {

        /** @return the badge's text */
        public String badge() {
            return switch (status.state()) {
                case ENABLED -> "Enabled";
                case PENDING_CONFIRMATION -> "Pending confirmation";
                case NOT_CONFIGURED -> "Not configured";
            };
        }

        /**
         * @return what the user has to recover with, in the terms of the current policy: codes left of 8, whether
         *         the emergency key is there, codes kept from before a switch to the key; a dash without two-factor
         */
        public String recovery() {
            if (status.state() != TwoFactorState.ENABLED) {
                return "—";
            }
            int left = status.remainingRecoveryCodes();
            if (!emergencyKey) {
                return left == 0 ? "None left" : left + " of 8 left";
            }
            if (left <= 1) {
                return left == 1 ? "Emergency key" : "No key";
            }
            // Issued under the 8-code policy: they still work, and the first one used is replaced by a key.
            return left + " codes (earlier policy)";
        }

        /** @return whether there is a second factor (or a pending one) to unenrol or whose lock to reset */
        public boolean manageable() {
            return status.state() != TwoFactorState.NOT_CONFIGURED;
        }

        /** @return the badge's colour class */
        public String badgeClass() {
            return switch (status.state()) {
                case ENABLED -> "badge-enabled";
                case PENDING_CONFIRMATION -> "badge-pending";
                case NOT_CONFIGURED -> "badge-off";
            };
        }
    }

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public AdminServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, 200, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DemoUsers.User admin = Web.user(request, services);
        switch (Web.action(request)) {
            case "/policy" -> {
                boolean everyone = request.getParameter("everyone") != null;
                boolean admins = request.getParameter("admins") != null;
                EnforcementLevel level = everyone ? EnforcementLevel.EVERYONE
                        : admins ? EnforcementLevel.ADMINS : EnforcementLevel.NONE;
                int hours = parseHours(request.getParameter("graceHours"));
                services.service().setPolicy(admin.id(), level, Duration.ofHours(hours));
                services.saveSettings().accept(new DemoSettings("emergency".equals(request.getParameter("recovery")),
                        request.getParameter("acknowledge") != null));
                Pages.flash(request, "Security settings saved.", false);
                response.sendRedirect(request.getContextPath() + PATH);
            }
            case "/unenrol", "/reset" -> {
                boolean unenrol = "/unenrol".equals(Web.action(request));
                String target = Optional.ofNullable(request.getParameter("userId")).orElse("");
                String code = Optional.ofNullable(request.getParameter("code")).orElse("");
                Outcome<TwoFactorStatus> outcome = unenrol
                        ? services.service().adminUnenrol(admin.id(), code, target)
                        : services.service().adminResetBackoff(admin.id(), code, target);
                if (outcome.succeeded()) {
                    Pages.flash(request, unenrol ? "Two-factor authentication was removed from " + target
                            + ". They can sign in with their password and set it up again."
                            : "The lock of " + target + " was reset.", false);
                    response.sendRedirect(request.getContextPath() + PATH);
                    return;
                }
                show(request, response, Web.failed(response, outcome), outcome.message());
            }
            case "/purge-devices" -> {
                // What a production application runs from a scheduled job (daily): expired devices are refused
                // already; this frees their rows.
                int purged = services.service().trustedDevices().purgeExpired();
                Pages.flash(request, purged == 0 ? "No expired trusted device to remove." : "Removed " + purged
                        + (purged == 1 ? " expired trusted device." : " expired trusted devices."), false);
                response.sendRedirect(request.getContextPath() + PATH);
            }
            default -> response.sendError(404);
        }
    }

    /**
     * @param hours a grace period offered
     * @return its label
     */
    public static String graceLabel(int hours) {
        if (hours == 0) {
            return "None — required at once";
        }
        return hours == 1 ? "1 hour" : hours < 48 ? hours + " hours" : hours / 24 + " days";
    }

    private static int parseHours(String text) {
        if (text != null) {
            for (Integer hours : GRACE_HOURS) {
                if (hours.toString().equals(text)) {
                    return hours;
                }
            }
        }
        return 0;
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, String error)
            throws IOException {
        DemoUsers.User admin = Web.user(request, services);
        List<UserRow> rows = new ArrayList<>();
        for (DemoUsers.User user : services.users().all()) {
            rows.add(new UserRow(user, services.service().status(user.id()), user.id().equals(admin.id()),
                    services.settings().emergencyKey()));
        }
        OrganisationPolicy policy = services.service().policy();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("policy", policy);
        params.put("graceHours", (int) policy.gracePeriod().toHours());
        params.put("graceOptions", GRACE_HOURS);
        params.put("settings", services.settings());
        params.put("rows", rows);
        params.put("error", error);
        services.pages().render(request, response, status, "admin.jte", "admin", params);
    }
}
