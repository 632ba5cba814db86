package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: HTTP Basic with a password (which two-factor authentication does not protect) is refused by default on
 * every path the filter guards, and passed on to the host's own authentication only for allowlisted users.
 */
class PasswordBasicAuthTest {

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void passwordBasicWhenDefaultThenRefusedOnPagesAndApiWithoutReachingTheHost() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        Browser client = app.browser();
        int callsBefore = app.storeCalls.get();

        HttpResponse<String> page = client.send("GET", "/home", Browser.HTML, null, basic("alice", "alice-password"));
        HttpResponse<String> json = client.send("POST", "/reports", Browser.JSON, null,
                basic("carol", "carol-password"));
        HttpResponse<String> api = client.send("GET", "/api/me", Browser.JSON, null, basic("alice", "alice-password"));

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("not accepted here").doesNotContain("alice-password");
        assertThat(json.statusCode()).isEqualTo(403);
        assertThat(json.body()).contains("\"error\":\"password_basic_refused\"");
        // On the API a password is no app password: the app password's 401, and not even looked up.
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(app.applicationHits.get()).isZero();
        assertThat(app.storeCalls.get()).isEqualTo(callsBefore);
    }

    @Test
    void passwordBasicWhenMalformedOnAPageThen403WithoutStoreCall() throws Exception {
        app = TwoFactorApp.start();
        Browser client = app.browser();
        int callsBefore = app.storeCalls.get();

        HttpResponse<String> refused = client.send("GET", "/home", Browser.JSON, null,
                "Basic " + Base64.getEncoder().encodeToString("x\u0000y:pw".getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(app.storeCalls.get()).isEqualTo(callsBefore);
        assertThat(app.applicationHits.get()).isZero();
    }

    @Test
    void passwordBasicWhenUserAllowlistedThenPassedOnToTheHost() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.passwordBasicAllowed(
                Set.of("carol")::contains)));
        Browser integration = app.browser();

        HttpResponse<String> page = integration.send("GET", "/home", Browser.HTML, null,
                basic("carol", "carol-password"));
        HttpResponse<String> api = integration.send("GET", "/api/me", Browser.JSON, null,
                basic("carol", "carol-password"));
        HttpResponse<String> other = integration.send("GET", "/home", Browser.HTML, null,
                basic("bob", "bob-password"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(api.statusCode()).isEqualTo(200);
        // Passed on as it came: the host authenticates it; the filter signed nobody in.
        assertThat(api.body()).contains("grant=-");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(app.applicationHits.get()).isEqualTo(2);
    }

    @Test
    void allowlistedUserWithAnAppPasswordOnTheApiThenCheckedAsAnAppPassword() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.passwordBasicAllowed(
                Set.of("alice")::contains)));
        app.enrol("alice");
        String code = app.createAppPassword("alice", "CI", Set.of()).code();

        HttpResponse<String> api = app.browser().send("GET", "/api/me", Browser.JSON, null, basic("alice", code));
        HttpResponse<String> wrong = app.browser().send("GET", "/api/me", Browser.JSON, null,
                basic("alice", "1234 5678 9012 3456 7890"));

        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("grant=CI alice");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void basicOnAnAllowlistedStaticPathThenServedAsBefore() throws Exception {
        app = TwoFactorApp.start();

        HttpResponse<String> asset = app.browser().send("GET", "/static/app.css", Browser.HTML, null,
                basic("alice", "alice-password"));

        assertThat(asset.statusCode()).isEqualTo(200);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
