package dev.twofactor.examples.demo.web;

import dev.twofactor.AppPassword;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.TwoFactorState;
import dev.twofactor.AppPasswordScope;
import dev.twofactor.Reason;
import dev.twofactor.examples.demo.AppPasswordPermissions;
import dev.twofactor.examples.demo.DemoUsers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Application passwords ({@code /my/profile/app-passwords}): "New application password" with a name and Full or
 * Limited access, the 20-digit password shown once, the list with last use, revoke.
 */
public final class AppPasswordsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/my/profile/app-passwords";
    /** The form's error for a scope that is neither Full access nor Limited access to known permissions. */
    static final String INVALID_SCOPE = "Choose Full access, or Limited access with at least one permission.";

    /** One row of the list. */
    public record Row(String id, String name, String access, String created, String lastUsed) {
    }

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public AppPasswordsServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, 200, Web.user(request, services), null, null, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DemoUsers.User user = Web.user(request, services);
        String name = Optional.ofNullable(request.getParameter("name")).orElse("");
        switch (Web.action(request)) {
            case "/new" -> {
                AppPasswordScope scope = scope(request);
                if (scope == null) {
                    show(request, response, 400, user, null, INVALID_SCOPE, name);
                    return;
                }
                Outcome<NewAppPassword> created = services.service().createAppPassword(user.id(), name, scope);
                if (created instanceof Outcome.Success<NewAppPassword> success) {
                    show(request, response, 200, user, success.value(), null, null);
                } else if (created instanceof Outcome.Rejected<?> rejected
                        && (rejected.reason() == Reason.APP_PASSWORD_NO_PERMISSIONS
                        || rejected.reason() == Reason.APP_PASSWORD_UNKNOWN_PERMISSION)) {
                    show(request, response, Web.failed(response, created), user, null, INVALID_SCOPE, name);
                } else {
                    show(request, response, Web.failed(response, created), user, null, created.message(), name);
                }
            }
            case "/revoke" -> {
                Outcome<AppPassword> revoked = services.service().revokeAppPassword(user.id(),
                        Optional.ofNullable(request.getParameter("id")).orElse(""));
                Pages.flash(request, revoked instanceof Outcome.Success<AppPassword> success
                        ? "Application password \"" + success.value().name() + "\" was revoked. It no longer works."
                        : revoked.message(), !revoked.succeeded());
                response.sendRedirect(request.getContextPath() + PATH);
            }
            default -> response.sendError(404);
        }
    }

    /**
     * @return Full access, Limited access with the ticked permissions (the service checks them against its
     *         catalogue: none, or one it does not know, is refused), or {@code null} for neither choice
     */
    private static AppPasswordScope scope(HttpServletRequest request) {
        String access = request.getParameter("access");
        if ("full".equals(access)) {
            return AppPasswordScope.FULL;
        }
        if (!"limited".equals(access)) {
            return null;
        }
        String[] ticked = request.getParameterValues("permission");
        return AppPasswordScope.limited(ticked == null ? Set.of() : Set.copyOf(List.of(ticked))); // repeats allowed
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, DemoUsers.User user,
                      NewAppPassword created, String error, String name) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (AppPassword password : services.service().appPasswords(user.id())) {
            rows.add(new Row(password.id(), password.name(), password.fullAccess() ? "Full access"
                    : "Limited: " + String.join(", ", new TreeSet<>(password.permissions())),
                    TwoFactorView.time(password.createdAt()),
                    password.lastUsed().map(TwoFactorView::time).orElse("Never used")));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rows", rows);
        params.put("created", created);
        params.put("error", error);
        params.put("name", name == null ? "" : name);
        params.put("permissions", new TreeMap<>(AppPasswordPermissions.LABELS));
        params.put("apiExample", request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + "/api/me");
        params.put("enabled", services.service().status(user.id()).state() == TwoFactorState.ENABLED);
        params.put("unlocked", Web.unlocked(request, services));
        services.pages().render(request, response, status, "appPasswords.jte", "app-passwords", params);
    }
}
