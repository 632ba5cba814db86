package dev.twofactor.examples.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One browser-like HTTP client: its own cookies, no redirects followed, the last page's CSRF token at hand. */
final class HttpSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"secret\">([A-Z2-7 ]+)<");

    private final TestApp app;
    private final HttpClient client;
    private String csrf = "";

    HttpSession(TestApp app) {
        this.app = app;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A page navigation, as a browser sends it (the filter discards a pending enrolment on leaving by one). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return remember(client.send(HttpRequest.newBuilder(app.uri(path)).header("Accept", "text/html")
                .header("Sec-Fetch-Dest", "document").GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A form POST with the session's current CSRF token, as another site's page would send it. */
    HttpResponse<String> postCrossSite(String path, Map<String, String> fields)
            throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_csrf", csrf);
        return send(path, all, "cross-site");
    }

    /** A GET with HTTP Basic credentials. */
    HttpResponse<String> getBasic(String path, String user, String password)
            throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Basic " + credentials)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST with the session's current CSRF token. */
    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_csrf", csrf);
        return postRaw(path, all);
    }

    /** A form POST with exactly these fields (no token added). */
    HttpResponse<String> postRaw(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return send(path, fields, "same-origin");
    }

    private HttpResponse<String> send(String path, Map<String, String> fields, String fetchSite)
            throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return remember(client.send(HttpRequest.newBuilder(app.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", fetchSite)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> json(String method, String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getJson(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(app.uri(path)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in with the password (the login page first, for its token). */
    HttpResponse<String> signIn(String user, String password) throws IOException, InterruptedException {
        get("/login");
        return post("/login", Map.of("username", user, "password", password));
    }

    /** Enables two-factor authentication for the signed-in user; returns the secret. */
    String enrol() throws IOException, InterruptedException {
        get("/my/profile/two-factor");
        String secret = secretOn(post("/my/profile/two-factor/enable", Map.of()));
        HttpResponse<String> confirmed = post("/my/profile/two-factor/confirm", Map.of("code", app.code(secret)));
        if (!confirmed.body().contains("id=\"recovery-codes\"")) {
            throw new AssertionError("enrolment not confirmed: " + confirmed.statusCode());
        }
        app.nextStep();
        return secret;
    }

    /** @return the grouped secret shown in {@code #secret} on a pending-enrolment page */
    static String secretOn(HttpResponse<String> page) {
        Matcher secret = SECRET.matcher(page.body());
        if (!secret.find()) {
            throw new AssertionError("no secret on the page (status " + page.statusCode() + ")");
        }
        return secret.group(1);
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").map(URI::create).map(URI::getPath).orElse("");
    }

    private HttpResponse<String> remember(HttpResponse<String> response) {
        Matcher token = CSRF.matcher(response.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return response;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
