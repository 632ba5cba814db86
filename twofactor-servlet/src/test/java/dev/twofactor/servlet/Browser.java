package dev.twofactor.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One user agent: real HTTP requests with a cookie jar, redirects not followed (tests assert them). Paths are
 * within the application (the context path is added). Safe for concurrent requests.
 */
final class Browser {

    static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final String JSON = "application/json";

    private final URI base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    Browser(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)   // no h2c upgrade headers beside our own Connection header
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, HTML, null, null);
    }

    HttpResponse<String> getJson(String path) {
        return send("GET", path, JSON, null, null);
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        return send("POST", path, HTML, form, null);
    }

    HttpResponse<String> postJson(String path, Map<String, String> form) {
        return send("POST", path, JSON, form, null);
    }

    /** A GET that carries exactly this session cookie (and no other), as someone holding that id would send. */
    HttpResponse<String> getWithSessionCookie(String path, String sessionId) {
        return getWithCookies(path, "JSESSIONID=" + sessionId);
    }

    /** A GET with exactly this {@code Cookie} header (none of this browser's cookies), as its holder would send. */
    HttpResponse<String> getWithCookies(String path, String cookieHeader) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", HTML)
                .header("Cookie", cookieHeader)
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signs in with the test application's password form. */
    HttpResponse<String> signIn(String user, String password) {
        return post("/login", Map.of("username", user, "password", password));
    }

    HttpResponse<String> send(String method, String path, String accept, Map<String, String> form,
                              String authorization) {
        return send(method, path, accept, form, authorization, Map.of());
    }

    /** A POST with these extra headers (Origin, Sec-Fetch-Site: what a browser adds). */
    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
        return send("POST", path, HTML, form, null, headers);
    }

    HttpResponse<String> send(String method, String path, String accept, Map<String, String> form,
                              String authorization, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (form != null) {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            request.header("Content-Type", "application/x-www-form-urlencoded");
            // Refused requests are answered without reading their body; do not reuse such a connection (see pom).
            request.header("Connection", "close");
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request with a raw body of the given content type (a JSON body for {@code DELETE}, say). */
    HttpResponse<String> sendBody(String method, String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", JSON)
                .header("Content-Type", contentType)
                .header("Connection", "close")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return this application's own origin, as a browser writes it in {@code Origin} */
    String origin() {
        return base.getScheme() + "://" + base.getAuthority();
    }

    /** @return the value of the cookie of this name in the jar, or {@code null} */
    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    /** Puts a cookie for the application into the jar, as another browser's stolen cookie would be. */
    void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath(base.getPath());
        cookie.setVersion(0);
        cookies.getCookieStore().add(base, cookie);
    }

    /** @return the current session cookie's value, or {@code null} */
    String sessionId() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }
}
