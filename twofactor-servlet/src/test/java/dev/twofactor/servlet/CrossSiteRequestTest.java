package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 finding 3: the filter refuses cross-site state-changing requests to the paths it owns (Fetch Metadata,
 * {@code Origin} as fallback), and cancelling a sign-in needs a {@code POST}.
 */
class CrossSiteRequestTest {

    private static final Map<String, String> CROSS_SITE =
            Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
    private static final Map<String, String> SAME_SITE =
            Map.of("Sec-Fetch-Site", "same-site", "Origin", "https://other.example.test");

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void challengeWhenForgedCrossSitePostsThenRefusedUncountedAndSignInStillOpen() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        int callsBefore = app.storeCalls.get();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> forged = browser.post("/login/two-factor", Map.of("code", "000000"), CROSS_SITE);
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("came from another site");
        }

        // Nothing was checked or counted: no backoff, so the right code passes at once from the site itself.
        assertThat(app.storeCalls.get()).isEqualTo(callsBefore);
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice");
        HttpResponse<String> own = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())),
                Map.of("Sec-Fetch-Site", "same-origin", "Origin", browser.origin()));
        assertRedirect(own, "/app/");
        assertThat(browser.get("/home").body()).contains("user=alice");
    }

    @Test
    void challengeWhenCrossSiteApiRequestThen403Json() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> forged = browser.send("POST", "/login/two-factor", Browser.JSON,
                Map.of("code", "000000"), null, CROSS_SITE);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"error\":\"cross_site_request\"");
        assertThat(forged.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void cancelWhenGetThenNothingHappensAndSignInStillOpen() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> image = browser.get("/login/two-factor/cancel");

        assertThat(image.statusCode()).isEqualTo(405);
        assertThat(image.headers().firstValue("Allow")).hasValue("POST");
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice");
        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))), "/app/");
    }

    @Test
    void cancelWhenCrossSitePostThenRefusedAndSignInStillOpen() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertThat(browser.post("/login/two-factor/cancel", Map.of(), CROSS_SITE).statusCode()).isEqualTo(403);

        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice");
        assertRedirect(browser.post("/login/two-factor/cancel", Map.of(),
                Map.of("Sec-Fetch-Site", "same-origin")), "/app/login");
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for -");
    }

    @Test
    void originFallbackWhenNoFetchMetadataThenOwnOriginAllowedOthersAndNullRefused() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String right = app.code(alice.secret());

        assertThat(browser.post("/login/two-factor", Map.of("code", right), Map.of("Origin", "https://evil.example"))
                .statusCode()).isEqualTo(403);
        assertThat(browser.post("/login/two-factor", Map.of("code", right), Map.of("Origin", "null"))
                .statusCode()).isEqualTo(403);
        // Same host, another port or scheme: another origin.
        String otherPort = browser.origin().replaceFirst(":\\d+$", ":1");
        assertThat(browser.post("/login/two-factor", Map.of("code", right), Map.of("Origin", otherPort))
                .statusCode()).isEqualTo(403);
        assertThat(browser.post("/login/two-factor", Map.of("code", right),
                Map.of("Origin", browser.origin().replace("http:", "https:"))).statusCode()).isEqualTo(403);

        assertRedirect(browser.post("/login/two-factor", Map.of("code", right), Map.of("Origin", browser.origin())),
                "/app/");
    }

    @Test
    void requestWithNeitherHeaderThenAllowedAsANonBrowserClient() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser client = app.browser();
        client.signIn("alice", "alice-password");

        // Every current browser sends Origin on a cross-origin POST: a request with neither header is a script or
        // API client, which holds its own cookies.
        assertRedirect(client.post("/login/two-factor", Map.of("code", app.code(alice.secret())), Map.of()),
                "/app/");
    }

    @Test
    void sameSiteWhenDefaultThenRefusedAndWhenAllowedThenAccepted() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertThat(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())), SAME_SITE)
                .statusCode()).isEqualTo(403);
        app.close();

        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.crossSiteProtection(
                CrossSiteProtection.DEFAULT.allowingSameSite())));
        alice = app.enrol("alice");
        browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())), SAME_SITE),
                "/app/");
    }

    @Test
    void trustedOriginWhenConfiguredThenAcceptedWithoutFetchMetadata() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.crossSiteProtection(
                CrossSiteProtection.DEFAULT.trustingOrigins("https://public.example.com"))));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())),
                Map.of("Origin", "https://PUBLIC.example.com:443")), "/app/");
    }

    @Test
    void stepUpEnrolmentAndSensitivePathsWhenCrossSitePostThenRefusedAndNothingChanged() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        int hitsBefore = app.applicationHits.get();

        for (String path : new String[] {"/my/profile/two-factor/unlock", "/my/profile/two-factor/confirm",
            "/my/profile/two-factor/regenerate", "/my/profile/two-factor/disable", "/my/profile/two-factor/start"}) {
            assertThat(browser.post(path, Map.of("password", "alice-password", "code", "123456"), CROSS_SITE)
                    .statusCode()).as(path).isEqualTo(403);
        }

        assertThat(app.applicationHits.get()).isEqualTo(hitsBefore);
        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        // Navigations from other sites (GET) still work.
        assertThat(browser.send("GET", "/my/profile/two-factor", Browser.HTML, null, null, CROSS_SITE).statusCode())
                .isEqualTo(200);
        // The same POST from the site itself does what it says.
        assertThat(browser.post("/my/profile/two-factor/regenerate", Map.of(),
                Map.of("Sec-Fetch-Site", "same-origin")).body()).isEqualTo("regenerated 8");
    }

    @Test
    void adminUnenrolWhenCrossSiteThenRefusedBeforeTheCodeIsChecked() throws Exception {
        app = TwoFactorApp.start();
        Enrolled root = app.enrol("root");
        app.enrol("alice");
        Browser admin = app.browser();
        app.signInWithCode(admin, root);

        HttpResponse<String> forged = admin.post("/admin/two-factor/unenrol",
                Map.of("userId", "alice", "code", app.code(root.secret())), CROSS_SITE);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"error\":\"cross_site_request\"");
        assertThat(app.status("alice").state()).isEqualTo(dev.twofactor.TwoFactorState.ENABLED);
    }

    @Test
    void protectionWhenOffThenCrossSitePostAccepted() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.crossSiteProtection(
                CrossSiteProtection.OFF)));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())), CROSS_SITE),
                "/app/");
    }

    @Test
    void hostPathWhenAddedWithAlsoForThenProtectedToo() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.crossSiteProtection(
                CrossSiteProtection.DEFAULT.alsoFor(RequestMatcher.paths("/login")))));
        Browser browser = app.browser();

        assertThat(browser.post("/login", Map.of("username", "carol", "password", "carol-password"), CROSS_SITE)
                .statusCode()).isEqualTo(403);
        assertThat(app.applicationHits.get()).isZero();
        app.clock.advance(Duration.ofSeconds(1));
        assertThat(browser.signIn("carol", "carol-password").statusCode()).isEqualTo(302);
    }
}
