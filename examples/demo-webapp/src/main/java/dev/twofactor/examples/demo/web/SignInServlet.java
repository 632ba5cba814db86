package dev.twofactor.examples.demo.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twofactor.Requirement;
import dev.twofactor.UserContext;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.servlet.TwoFactorSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The host's own password sign-in, {@code /login} (form) and {@code /login/api} (JSON, like "SignIn" before
 * "Verify2FACode"), and sign-out, {@code POST /logout}. After the password check it makes the one SDK call,
 * {@code passwordAccepted}; the filter then sends the user on to the challenge or the enrolment screen.
 */
public final class SignInServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String WRONG = "Incorrect username or password.";

    private final transient Services services;

    /**
     * @param services the shared services
     */
    public SignInServlet(Services services) {
        this.services = services;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/logout".equals(request.getServletPath())) {
            response.sendRedirect(request.getContextPath() + "/login");
            return;
        }
        if (TwoFactorSessions.signedInUser(request).isPresent()) {
            response.sendRedirect(request.getContextPath() + "/");
            return;
        }
        showLogin(request, response, 200, TwoFactorSessions.errorMessage(request).orElse(null), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        switch (path) {
            case "/logout" -> {
                services.signIn().signOut(request);
                response.sendRedirect(request.getContextPath() + "/login");
            }
            case "/login/api" -> apiSignIn(request, response);
            default -> formSignIn(request, response);
        }
    }

    private void formSignIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String username = Optional.ofNullable(request.getParameter("username")).orElse("").strip();
        String password = Optional.ofNullable(request.getParameter("password")).orElse("");
        Optional<DemoUsers.User> user = check(username, password);
        if (user.isEmpty()) {
            showLogin(request, response, 401, WRONG, username);
            return;
        }
        accept(request, user.get());
        response.sendRedirect(request.getContextPath() + "/");
    }

    private void apiSignIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = Csrf.isJson(request) ? readJson(request) : null;
        String username = text(body, "username");
        String password = text(body, "password");
        if (username == null || password == null) {
            services.json(response, 400, Map.of("error", "bad_request",
                    "message", "Send {\"username\": \"...\", \"password\": \"...\"} as application/json."));
            return;
        }
        Optional<DemoUsers.User> user = check(username, password);
        if (user.isEmpty()) {
            services.json(response, 401, Map.of("error", "wrong_password", "message", WRONG));
            return;
        }
        Requirement requirement = accept(request, user.get());
        Map<String, Object> answer = new LinkedHashMap<>();
        if (requirement instanceof Requirement.Challenge) {
            answer.put("status", "two_factor_required");
            answer.put("verify", request.getContextPath() + "/login/two-factor");
            answer.put("message", "Password accepted. Enter your code to continue.");
        } else {
            answer.put("status", "signed_in");
            answer.put("userId", user.get().id());
        }
        services.json(response, 200, answer);
    }

    private Optional<DemoUsers.User> check(String username, String password) {
        char[] typed = password.toCharArray();
        try {
            return services.users().passwordMatches(username, typed) ? services.users().find(username)
                    : Optional.empty();
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    private Requirement accept(HttpServletRequest request, DemoUsers.User user) {
        Requirement requirement = services.signIn().passwordAccepted(request,
                UserContext.of(user.id(), user.administrator()));
        Csrf.rotate(request);
        return requirement;
    }

    private void showLogin(HttpServletRequest request, HttpServletResponse response, int status, String error,
                           String username) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("username", username);
        params.put("users", DemoUsers.SEEDS);
        services.pages().render(request, response, status, "login.jte", "login", params);
    }

    private JsonNode readJson(HttpServletRequest request) throws IOException {
        try {
            return services.json().readTree(request.getInputStream().readNBytes(8192));
        } catch (JsonProcessingException malformed) {
            return null;
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
