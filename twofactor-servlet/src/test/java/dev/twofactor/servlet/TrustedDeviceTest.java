package dev.twofactor.servlet;

import static dev.twofactor.servlet.ChallengeBackoffTest.wrongCode;
import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.Enrolment;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import dev.twofactor.spi.BackoffState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 at the servlet layer, through the real Jetty host: the device cookie's flags, "remember" offered only when
 * turned on twice, password-only sign-in on a remembered device, expiry, revocation on every listed event, no bypass
 * of a lock or backoff or step-up, and bad cookies that count nothing.
 */
class TrustedDeviceTest {

    private static final String COOKIE = TrustedDeviceCookie.DEFAULT_NAME;
    private static final String CHALLENGE = "/app/login/two-factor";

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private TwoFactorApp start(UnaryOperator<TwoFactorService.Builder> service) throws Exception {
        return start(new TwoFactorApp.Options(), service);
    }

    private TwoFactorApp start(TwoFactorApp.Options options, UnaryOperator<TwoFactorService.Builder> service)
            throws Exception {
        app = TwoFactorApp.start(options.service(service)
                .config(config -> config.trustedDevices(TrustedDeviceCookie.DEFAULT)));
        return app;
    }

    private static UnaryOperator<TwoFactorService.Builder> on() {
        return builder -> builder.trustedDevices(true);
    }

    /** Signs in, passes the challenge with "remember this device" ticked; the challenge's answer. */
    private HttpResponse<String> remember(Browser browser, Enrolled user, Map<String, String> headers) {
        browser.signIn(user.userId(), TwoFactorApp.PASSWORDS.get(user.userId()));
        HttpResponse<String> passed = browser.post("/login/two-factor",
                Map.of("code", app.code(user.secret()), TrustedDeviceSignIn.REMEMBER_PARAMETER, "on"), headers);
        assertRedirect(passed, "/app/");
        app.nextStep();
        return passed;
    }

    /** Signs out, then in with the password only: the answer to the first page after the password. */
    private HttpResponse<String> signInAgain(Browser browser, String user) {
        browser.get("/logout");
        assertRedirect(browser.signIn(user, TwoFactorApp.PASSWORDS.get(user)), "/app/home");
        return browser.get("/home");
    }

    private static void assertSignedIn(HttpResponse<String> page, String user) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("user=" + user);
    }

    private static List<String> deviceCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
    }

    @Test
    void cookieIsHttpOnlyLaxScopedToTheContextForTheLifetimeAndSecureOnlyOnSecureRequests() throws Exception {
        start(builder -> builder.trustedDevices(true).trustedDeviceLifetime(Duration.ofDays(7)));
        Enrolled alice = app.enrol("alice");

        List<String> plain = deviceCookies(remember(app.browser(), alice, Map.of()));
        List<String> secure = deviceCookies(remember(app.browser(), alice, Map.of("X-Forwarded-Proto", "https")));

        assertThat(plain).hasSize(1);
        String cookie = plain.get(0);
        assertThat(cookie).matches(COOKIE + "=[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43};.*")
                .containsIgnoringCase("; HttpOnly").containsIgnoringCase("; SameSite=Lax")
                .contains("; Path=/app").contains("; Max-Age=604800").doesNotContainIgnoringCase("secure");
        assertThat(secure).hasSize(1);
        assertThat(secure.get(0)).containsIgnoringCase("; Secure").containsIgnoringCase("; HttpOnly")
                .containsIgnoringCase("; SameSite=Lax").contains("; Path=/app");
        assertThat(app.service.trustedDevices().list("alice")).hasSize(2);
    }

    @Test
    void cookieNameIsConfigurableAndMustBeAnHttpToken() throws Exception {
        for (String bad : new String[] {"", "a b", "a;b", "a=b", "caf\u00e9", "__Host-device", "__secure-device",
            "x".repeat(65)}) {
            assertThatThrownBy(() -> TrustedDeviceCookie.named(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(on())
                .config(config -> config.trustedDevices(TrustedDeviceCookie.named("acme_device"))));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();

        HttpResponse<String> passed = remember(browser, alice, Map.of());

        assertThat(deviceCookies(passed)).isEmpty();
        assertThat(passed.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("acme_device="));
        assertSignedIn(signInAgain(browser, "alice"), "alice");
    }

    @Test
    void apiChallengeRemembersOnRequestAndSaysSo() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> passed = browser.postJson("/login/two-factor",
                Map.of("code", app.code(alice.secret()), TrustedDeviceSignIn.REMEMBER_PARAMETER, "true"));

        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("\"deviceRemembered\":true");
        assertThat(deviceCookies(passed)).hasSize(1);
    }

    @Test
    void notOfferedWithoutTheServiceFeatureOrWithoutTheWebFlag() throws Exception {
        // The web flag without the service's feature.
        start(UnaryOperator.identity());
        Enrolled alice = app.enrol("alice");
        assertThat(app.devices.offered()).isFalse();
        HttpResponse<String> passed = remember(app.browser(), alice, Map.of());
        assertThat(deviceCookies(passed)).isEmpty();
        app.close();

        // The service's feature without the web flag.
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(on()));
        alice = app.enrol("alice");
        assertThat(app.devices.offered()).isFalse();
        Browser browser = app.browser();
        passed = remember(browser, alice, Map.of());
        assertThat(deviceCookies(passed)).isEmpty();
        assertThat(app.service.trustedDevices().list("alice")).isEmpty();
        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
    }

    @Test
    void aHostCallingRememberItselfRemembersOnlyAfterAPassedChallengeAndOnlyOnce() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(on())
                .config(config -> config.trustedDevices(TrustedDeviceCookie.DEFAULT).handleChallengeRequests(false)));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();

        browser.signIn("alice", "alice-password");
        String wrongCode = wrongCode(app.code(alice.secret()));
        HttpResponse<String> wrong = browser.post("/login/two-factor", Map.of("code", wrongCode), Map.of());
        assertThat(wrong.body()).isEqualTo("passed=false early=false remembered=false again=false");
        assertThat(deviceCookies(wrong)).isEmpty();
        // One wrong code is tolerated (the default backoff), so the right one is still checked.

        HttpResponse<String> passed = browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())),
                Map.of());
        assertThat(passed.body()).isEqualTo("passed=true early=false remembered=true again=false");
        assertThat(deviceCookies(passed)).hasSize(1);
        assertThat(app.service.trustedDevices().list("alice")).hasSize(1);
    }

    @Test
    void rememberedDeviceNeedsOnlyThePasswordUnderANewSessionIdAndOtherBrowsersStillTheCode() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        assertThat(app.devices.offered()).isTrue();

        browser.get("/logout");
        assertRedirect(browser.signIn("alice", "alice-password"), "/app/home");
        String halfOpenSession = browser.sessionId();
        HttpResponse<String> home = browser.get("/home");

        assertSignedIn(home, "alice");
        assertThat(browser.sessionId()).isNotEqualTo(halfOpenSession);
        // The cookie alone signs nobody in: without the password there is no session to look at.
        Browser cookieOnly = app.browser();
        cookieOnly.setCookie(COOKIE, browser.cookie(COOKIE));
        assertThat(cookieOnly.get("/home").body()).contains("user=-");
        // Another browser (no cookie) still gets the challenge.
        Browser other = app.browser();
        other.signIn("alice", "alice-password");
        assertRedirect(other.get("/home"), CHALLENGE);
    }

    @Test
    void halfOpenRequestToTheChallengeScreenGoesOnToTheHomePath() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        browser.get("/logout");
        browser.signIn("alice", "alice-password");

        assertRedirect(browser.get("/login/two-factor"), "/app/");
        assertSignedIn(browser.get("/home"), "alice");
    }

    @Test
    void expiredDeviceIsChallengedAndItsCookieCleared() throws Exception {
        start(builder -> builder.trustedDevices(true).trustedDeviceLifetime(Duration.ofHours(2)));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        app.clock.advance(Duration.ofMinutes(110));
        assertSignedIn(signInAgain(browser, "alice"), "alice");

        app.clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> page = signInAgain(browser, "alice");

        assertRedirect(page, CHALLENGE);
        assertThat(deviceCookies(page)).singleElement().asString().contains("Max-Age=0");
        assertThat(browser.cookie(COOKIE)).isNull();
    }

    // ------------------------------------------------------------------ revocation on every listed event

    @Test
    void revokingTheDeviceOnTheSettingsScreenChallengesAgain() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        Browser other = app.browser();
        remember(other, alice, Map.of());
        String id = browser.cookie(COOKIE).substring(0, 36);
        // Oldest first: this browser's device, then the other's; and this browser marked.
        assertThat(browser.get("/my/profile/two-factor/devices").body())
                .startsWith("devices [" + id + " ").endsWith("this=" + id)
                .contains(other.cookie(COOKIE).substring(0, 36));

        HttpResponse<String> revoked = browser.post("/my/profile/two-factor/devices/revoke", Map.of("id", id));

        assertThat(revoked.body()).isEqualTo("revoked " + id);
        assertThat(deviceCookies(revoked)).singleElement().asString().contains("Max-Age=0");
        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
        assertSignedIn(signInAgain(other, "alice"), "alice");   // only that one was revoked
        // Another user cannot revoke alice's device.
        Enrolled bob = app.enrol("bob");
        Browser bobs = app.browser();
        app.signInWithCode(bobs, bob);
        String aliceOther = other.cookie(COOKIE).substring(0, 36);
        assertThat(bobs.post("/my/profile/two-factor/devices/revoke", Map.of("id", aliceOther)).statusCode())
                .isEqualTo(400);
        assertSignedIn(signInAgain(other, "alice"), "alice");
    }

    @Test
    void revokeAllChallengesEveryRememberedBrowser() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        Browser other = app.browser();
        remember(other, alice, Map.of());

        HttpResponse<String> revoked = browser.post("/my/profile/two-factor/devices/revoke-all", Map.of());

        assertThat(revoked.body()).isEqualTo("revoked 2");
        assertThat(deviceCookies(revoked)).singleElement().asString().contains("Max-Age=0");
        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
        assertRedirect(signInAgain(other, "alice"), CHALLENGE);
    }

    @Test
    void disablingRevokesTheDevicesEvenWhenEnrolledAgain() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        assertThat(browser.post("/my/profile/two-factor/disable", Map.of("password", "alice-password")).body())
                .isEqualTo("disabled NOT_CONFIGURED");

        app.enrol("alice");

        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
    }

    @Test
    void changingTheAuthenticatorAppRevokesTheDevices() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        assertSignedIn(signInAgain(browser, "alice"), "alice");

        Enrolment change = TwoFactorApp.success(app.service.changeAuthenticator("alice", "alice@example.com"));
        TwoFactorApp.success(app.service.confirmEnrolment("alice",
                Totp.defaults().generateAt(change.secret(), app.clock.instant())));
        app.nextStep();

        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
    }

    @Test
    void regeneratingRecoveryCodesRevokesTheDevicesUnlessConfiguredNotTo() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        TwoFactorApp.success(app.service.regenerateRecoveryCodes("alice"));
        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
        app.close();

        start(builder -> builder.trustedDevices(true).regeneratingRecoveryCodesRevokesTrustedDevices(false));
        alice = app.enrol("alice");
        browser = app.browser();
        remember(browser, alice, Map.of());
        TwoFactorApp.success(app.service.regenerateRecoveryCodes("alice"));
        assertSignedIn(signInAgain(browser, "alice"), "alice");
    }

    @Test
    void adminUnenrolRevokesTheDevicesEvenWhenEnrolledAgain() throws Exception {
        start(on());
        Enrolled root = app.enrol("root");
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());

        TwoFactorApp.success(app.service.adminUnenrol("root", app.code(root.secret()), "alice"));
        app.nextStep();
        app.enrol("alice");

        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
    }

    @Test
    void aPasswordChangeRevokesTheDevices() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());

        assertThat(browser.post("/my/profile/two-factor/password-changed", Map.of()).body()).isEqualTo("revoked 1");

        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);
    }

    // ------------------------------------------------------------------ no bypass

    @Test
    void aLockIsNotBypassedByTheCookie() throws Exception {
        start(new TwoFactorApp.Options().backoff(BackoffPolicy.builder().toleratedFailures(2).lockAfter(3).build()),
                on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        Browser attacker = app.browser();
        attacker.signIn("alice", "alice-password");
        String wrong = wrongCode(app.code(alice.secret()));
        for (int i = 0; i < 3; i++) {
            attacker.post("/login/two-factor", Map.of("code", wrong));
        }
        assertThat(app.status("alice").locked()).isTrue();

        HttpResponse<String> page = signInAgain(browser, "alice");

        assertRedirect(page, CHALLENGE);
        assertThat(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))).statusCode())
                .isEqualTo(403);
        assertRedirect(browser.get("/home"), CHALLENGE);
    }

    @Test
    void aRunningBackoffIsNotBypassedByTheCookie() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        String device = browser.cookie(COOKIE);
        Browser attacker = app.browser();
        attacker.signIn("alice", "alice-password");
        String wrong = wrongCode(app.code(alice.secret()));
        attacker.post("/login/two-factor", Map.of("code", wrong));
        attacker.post("/login/two-factor", Map.of("code", wrong));   // the second failure starts a 1 s backoff

        assertRedirect(signInAgain(browser, "alice"), CHALLENGE);

        // Once the backoff is over, the same (still valid) device is recognised again.
        app.clock.advance(Duration.ofSeconds(1));
        Browser again = app.browser();
        again.setCookie(COOKIE, device);
        assertSignedIn(signInAgain(again, "alice"), "alice");
    }

    @Test
    void stepUpIsNotSatisfiedByARememberedDevice() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        // Right after a passed challenge the session's verification is fresh: the sensitive page opens.
        assertThat(browser.get("/my/profile/two-factor/regenerate").statusCode()).isEqualTo(200);

        assertSignedIn(signInAgain(browser, "alice"), "alice");

        assertRedirect(browser.get("/my/profile/two-factor/regenerate"),
                "/app/my/profile/two-factor/unlock?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate");
        assertRedirect(browser.post("/my/profile/two-factor/disable", Map.of("password", "alice-password")),
                "/app/my/profile/two-factor/unlock");
        assertThat(app.status("alice").state()).isEqualTo(dev.twofactor.TwoFactorState.ENABLED);
    }

    @Test
    void anotherUsersStolenCookieIsIgnoredClearedAndCountsNothing() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        app.enrol("bob");
        Browser alices = app.browser();
        remember(alices, alice, Map.of());
        Browser bobs = app.browser();
        bobs.setCookie(COOKIE, alices.cookie(COOKIE));

        HttpResponse<String> page = signInAgain(bobs, "bob");

        assertRedirect(page, CHALLENGE);
        assertThat(deviceCookies(page)).singleElement().asString().contains("Max-Age=0");
        assertThat(app.store.findBackoff("bob")).isEqualTo(BackoffState.NONE);
        assertThat(app.store.findBackoff("alice")).isEqualTo(BackoffState.NONE);
        assertSignedIn(signInAgain(alices, "alice"), "alice");   // alice's device is untouched
    }

    @Test
    void garbageAndMegabyteCookiesShowTheChallengeWithoutErrorOrBackoff() throws Exception {
        start(on());
        app.enrol("alice");
        String tokenShaped = "00000000-0000-0000-0000-000000000000." + "A".repeat(43);
        for (String garbage : List.of("x", tokenShaped, "a".repeat(1024 * 1024), "%00%ff..")) {
            Browser browser = app.browser();
            browser.setCookie(COOKIE, garbage);

            HttpResponse<String> page = signInAgain(browser, "alice");

            assertRedirect(page, CHALLENGE);
            assertThat(deviceCookies(page)).singleElement().asString().contains("Max-Age=0");
            assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice");
        }
        assertThat(app.store.findBackoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(app.status("alice").locked()).isFalse();
    }

    @Test
    void crossSiteRevocationIsRefused() throws Exception {
        start(on());
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        remember(browser, alice, Map.of());
        String id = browser.cookie(COOKIE).substring(0, 36);

        HttpResponse<String> one = browser.post("/my/profile/two-factor/devices/revoke", Map.of("id", id),
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"));
        HttpResponse<String> all = browser.post("/my/profile/two-factor/devices/revoke-all", Map.of(),
                Map.of("Origin", "https://evil.example"));

        assertThat(one.statusCode()).isEqualTo(403);
        assertThat(all.statusCode()).isEqualTo(403);
        assertThat(app.service.trustedDevices().list("alice")).hasSize(1);
        assertSignedIn(signInAgain(browser, "alice"), "alice");
    }
}
