package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.RecoveryCodePolicy;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: after the password, nothing but the challenge is reachable until a code passes. */
class HalfOpenSignInTest {

    private static final String CHALLENGE = "/app/login/two-factor";

    private TwoFactorApp app;
    private Enrolled alice;
    private Enrolled bob;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        alice = app.enrol("alice");
        bob = app.enrol("bob");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void passwordAcceptedWhenUserEnrolledThenPagesRedirectToChallengeAndNobodyIsSignedIn() {
        Browser browser = app.browser();
        HttpResponse<String> login = browser.signIn("alice", "alice-password");
        assertThat(login.statusCode()).isEqualTo(302);

        assertRedirect(browser.get("/home"), CHALLENGE);
        HttpResponse<String> challenge = browser.get("/login/two-factor");
        assertThat(challenge.statusCode()).isEqualTo(200);
        // The challenge page knows whose code it asks for, but the application sees nobody signed in.
        assertThat(challenge.body()).contains("challenge page for alice", "remote=null", "user=-");
    }

    @Test
    void passwordAcceptedWhenUserNotEnrolledThenSignedInAtOnce() {
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        HttpResponse<String> home = browser.get("/home");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("user=carol", "remote=carol");
    }

    @Test
    void halfOpenWhenAnyOtherPathMethodOrClientThenApplicationNeverReached() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        int hitsBefore = app.applicationHits.get();

        List<String> paths = List.of("/", "/home", "/home/", "/HOME", "/home;jsessionid=forged", "/%68ome",
                "/home?user=alice", "/reports/2030/q1", "/my/profile", "/my/profile/two-factor",
                "/my/profile/two-factor/start", "/my/profile/two-factor/regenerate", "/my/profile/two-factor/unlock",
                "/admin/settings/security", "/admin/two-factor/unenrol", "/api/me", "/login", "/login/",
                "/login/two-factorx", "/login/two-factor.json", "/login/two-factor/../../home",
                "/static/../home", "/static/%2e%2e/home", "/host-login", "/host-logout", "/nothing-here");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
        List<String> unexpected = new ArrayList<>();
        for (String path : paths) {
            for (String method : methods) {
                for (String accept : List.of(Browser.HTML, Browser.JSON)) {
                    HttpResponse<String> response = browser.send(method, path, accept,
                            method.equals("GET") || method.equals("HEAD") ? null : Map.of("x", "1"), null);
                    if (!refusedWhileHalfOpen(response, accept, method)) {
                        unexpected.add(method + " " + path + " " + accept + " -> " + response.statusCode() + " "
                                + response.headers().firstValue("Location").orElse(""));
                    }
                }
            }
        }

        assertThat(unexpected).isEmpty();
        assertThat(app.applicationHits.get()).isEqualTo(hitsBefore);
        // Still half-open afterwards: nothing above completed the sign-in.
        assertRedirect(browser.get("/home"), CHALLENGE);
    }

    @Test
    void halfOpenWhenStaticSignOutOrChallengePathsThenReachable() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertThat(browser.get("/static/app.css").statusCode()).isEqualTo(200);
        assertThat(browser.get("/login/two-factor").statusCode()).isEqualTo(200);
        HttpResponse<String> signOut = browser.get("/logout");
        assertRedirect(signOut, "/app/login");
        // Signed out: the challenge is gone.
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for -");
    }

    @Test
    void challengeWhenCorrectCodeThenSignedInAndSessionIdChanged() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String halfOpenSession = browser.sessionId();

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        assertRedirect(passed, "/app/");
        assertThat(browser.sessionId()).isNotNull().isNotEqualTo(halfOpenSession);
        HttpResponse<String> home = browser.get("/home");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("user=alice", "remote=alice");
    }

    @Test
    void challengeWhenPassedThenContinuesAtPageFirstAskedFor() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertRedirect(browser.get("/reports/q1?year=2030"), CHALLENGE);

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        assertRedirect(passed, "/app/reports/q1?year=2030");
    }

    @Test
    void challengeWhenPassedAfterAnImageRequestThenContinuesAtThePageNotTheImage() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertRedirect(browser.get("/reports/q1?year=2030"), CHALLENGE);
        // The challenge page loads an image (not on the allowlist): it must not become the page to return to.
        assertRedirect(browser.send("GET", "/images/logo.png", "image/avif,image/webp,*/*;q=0.8", null, null),
                CHALLENGE);

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        assertRedirect(passed, "/app/reports/q1?year=2030");
    }

    @Test
    void challengeWhenPassedAfterARequestWithoutAcceptThenContinuesThere() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertRedirect(browser.send("GET", "/reports/q2", null, null, null), CHALLENGE);

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        assertRedirect(passed, "/app/reports/q2");
    }

    @Test
    void challengeWhenOldSessionIdReplayedAfterSuccessThenNotSignedIn() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String halfOpenSession = browser.sessionId();
        browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));

        // Someone who planted or saw the half-open session id gains nothing; the new id is the signed-in one.
        assertThat(app.browser().getWithSessionCookie("/home", halfOpenSession).body()).contains("user=-");
        assertThat(app.browser().getWithSessionCookie("/home", browser.sessionId()).body()).contains("user=alice");
    }

    @Test
    void challengeWhenUserIdChangedInFormThenOnlySessionUserIsChecked() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        // Bob's valid code, with every field an attacker could try to name bob.
        HttpResponse<String> forged = browser.post("/login/two-factor", Map.of(
                "code", app.code(bob.secret()), "userId", "bob", "user", "bob", "username", "bob"));

        assertRedirect(forged, CHALLENGE + "?error=wrong_code");
        assertRedirect(browser.get("/home"), CHALLENGE);
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice");
        HttpResponse<String> forgedJson = browser.postJson("/login/two-factor",
                Map.of("code", app.code(bob.secret()), "userId", "bob"));
        assertThat(forgedJson.statusCode()).isEqualTo(401);
        assertThat(forgedJson.body()).contains("\"error\":\"wrong_code\"");
    }

    @Test
    void challengeWhenWrongCodeThenStaysHalfOpenWithMessage() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> wrong = browser.post("/login/two-factor", Map.of("code", "000000"));

        assertRedirect(wrong, CHALLENGE + "?error=wrong_code");
        assertThat(browser.get("/login/two-factor?error=wrong_code").body()).contains("error=That code did not match");
        assertRedirect(browser.get("/home"), CHALLENGE);
    }

    @Test
    void challengeWhenApiClientThenJsonAnswers() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> blocked = browser.getJson("/api/me");
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(blocked.body()).contains("\"error\":\"two_factor_required\"", "\"location\":\"" + CHALLENGE + "\"");

        HttpResponse<String> passed = browser.postJson("/login/two-factor", Map.of("code", app.code(alice.secret())));
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("\"status\":\"signed_in\"", "\"userId\":\"alice\"");
        assertThat(browser.getJson("/api/me").body()).contains("user=alice");
    }

    @Test
    void challengeWhenRecoveryCodeThenSignedInAndCodeUsedUp() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String recoveryCode = alice.recoveryCodes().codes().get(0);

        HttpResponse<String> passed = browser.postJson("/login/two-factor", Map.of("recoveryCode", recoveryCode));

        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("\"remainingRecoveryCodes\":7");
        Browser again = app.browser();
        again.signIn("alice", "alice-password");
        HttpResponse<String> reused = again.post("/login/two-factor", Map.of("recoveryCode", recoveryCode));
        assertRedirect(reused, CHALLENGE + "?error=wrong_recovery_code");
        assertRedirect(again.get("/home"), CHALLENGE);
    }

    @Test
    void challengeWhenEmergencyKeyRotatesOnUseThenReplacementShownOnceInsteadOfRedirect() throws Exception {
        app.close();
        app = TwoFactorApp.start(new TwoFactorApp.Options().recoveryCodes(RecoveryCodePolicy.EMERGENCY_KEY));
        Enrolled carol = app.enrol("carol");
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        HttpResponse<String> passed = browser.post("/login/two-factor",
                Map.of("recoveryCode", carol.recoveryCodes().codes().get(0)));

        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("<ul id=\"recovery-codes\"><li>", "shown ONCE",
                "<a href=\"/app/\">Continue</a>");
        assertThat(browser.get("/home").body()).contains("user=carol");
        Browser api = app.browser();
        api.signIn("carol", "carol-password");
        String replacement = passed.body().replaceAll("(?s).*<li>([^<]+)</li>.*", "$1");
        HttpResponse<String> again = api.postJson("/login/two-factor", Map.of("recoveryCode", replacement));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"recoveryCodes\":[\"");
    }

    @Test
    void challengeWhenOlderThanTimeToLiveThenSessionEndsAndUserReturnsToSignIn() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(10));

        assertRedirect(browser.get("/home"), "/app/login?error=challenge_expired");
        // The half-open sign-in is gone: a correct code no longer signs in.
        HttpResponse<String> late = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));
        assertRedirect(late, "/app/login");
        assertThat(browser.get("/home").body()).contains("user=-");
    }

    @Test
    void challengeWhenSubmittedAfterTimeToLiveThenExpiredAndCodeNotUsed() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        String code = app.code(alice.secret());

        HttpResponse<String> expired = browser.postJson("/login/two-factor", Map.of("code", code));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("\"error\":\"challenge_expired\"");

        // The code was not spent on the expired challenge: a fresh sign-in accepts it.
        Browser fresh = app.browser();
        fresh.signIn("alice", "alice-password");
        assertRedirect(fresh.post("/login/two-factor", Map.of("code", code)), "/app/");
    }

    @Test
    void challengeWhenJustBeforeTimeToLiveThenStillPasses() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(10).minusSeconds(1));

        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))), "/app/");
    }

    @Test
    void challengeTimeToLiveWhenConfiguredThenHonoured() throws Exception {
        app.close();
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(b -> b.challengeTtl(Duration.ofMinutes(2))));
        app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(2));

        assertRedirect(browser.get("/home"), "/app/login?error=challenge_expired");
    }

    @Test
    void cancelWhenHalfOpenThenSignInEndsAndAnotherUserCanSignIn() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertRedirect(browser.post("/login/two-factor/cancel", Map.of()), "/app/login");
        assertThat(browser.get("/home").body()).contains("user=-");
        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))), "/app/login");

        browser.signIn("carol", "carol-password");
        assertThat(browser.get("/home").body()).contains("user=carol");
    }

    @Test
    void signInWhenAnotherUserWasSignedInThenPreviousUserIsGone() {
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");
        assertThat(browser.get("/home").body()).contains("user=carol");
        String carolSession = browser.sessionId();

        // Carol's session is reused for alice's sign-in: its id changes and carol is no longer signed in.
        browser.signIn("alice", "alice-password");

        assertThat(browser.sessionId()).isNotEqualTo(carolSession);
        assertRedirect(browser.get("/home"), CHALLENGE);
    }

    static void assertRedirect(HttpResponse<String> response, String location) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).as("Location of %s", response.uri())
                .hasValueSatisfying(value -> assertThat(stripOrigin(value)).isEqualTo(location));
    }

    /** Containers may make {@code Location} absolute; compare the path and query. */
    static String stripOrigin(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            int path = location.indexOf('/', location.indexOf("//") + 2);
            return path < 0 ? "/" : location.substring(path);
        }
        return location;
    }

    private static boolean refusedWhileHalfOpen(HttpResponse<String> response, String accept, String method) {
        int status = response.statusCode();
        if (status == 400) {
            return true;   // the container refused an ambiguous path before any application code
        }
        if (accept.equals(Browser.JSON)) {
            return status == 401 && (method.equals("HEAD") || response.body().contains("two_factor_required"));
        }
        return status == 302
                && response.headers().firstValue("Location").map(HalfOpenSignInTest::stripOrigin)
                .filter(CHALLENGE::equals).isPresent();
    }
}
