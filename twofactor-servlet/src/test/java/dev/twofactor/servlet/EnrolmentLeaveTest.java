package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 / SPEC §4: with {@code cancelPendingEnrolmentOnLeave}, navigating to a page outside the enrolment area
 * discards the pending secret; reloads, API calls, images and posts do not; off by default.
 */
class EnrolmentLeaveTest {

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void leaveWhenOnThenPendingSecretDiscardedAndItsCodeNoLongerConfirms() throws Exception {
        app = start(true);
        Browser carol = signedIn("carol");
        TotpSecret shown = start(carol);

        assertThat(carol.get("/home").statusCode()).isEqualTo(200);

        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        HttpResponse<String> confirm = carol.post("/my/profile/two-factor/confirm", Map.of("code", code(shown)));
        assertThat(confirm.statusCode()).isEqualTo(400);
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void stayWhenOnThenReloadsApiCallsAssetsAndPostsKeepThePendingSecret() throws Exception {
        app = start(true);
        Browser carol = signedIn("carol");
        TotpSecret shown = start(carol);

        carol.get("/my/profile/two-factor");
        carol.get("/my/profile/two-factor/unlock");
        carol.getJson("/home");
        carol.send("GET", "/home", Browser.HTML, null, null, Map.of("Sec-Fetch-Dest", "image"));
        carol.send("GET", "/home", "image/avif,image/webp,*/*", null, null, Map.of());
        carol.post("/home", Map.of());
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);

        HttpResponse<String> confirm = carol.post("/my/profile/two-factor/confirm", Map.of("code", code(shown)));
        assertThat(confirm.body()).isEqualTo("confirmed ENABLED");
        // Confirmed: leaving now discards nothing.
        carol.get("/home");
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void leaveWhenOffThenPendingSecretKept() throws Exception {
        app = start(false);
        Browser carol = signedIn("carol");
        start(carol);

        carol.get("/home");

        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
    }

    @Test
    void leaveWhenChangingAppThenNewSecretDiscardedAndTheOldAppStillWorks() throws Exception {
        app = start(true);
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        HttpResponse<String> started = browser.post("/my/profile/two-factor/change", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(app.status("alice").hasPendingEnrolment()).isTrue();

        browser.get("/reports");

        assertThat(app.status("alice").hasPendingEnrolment()).isFalse();
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(app.service.verifyCode("alice", app.code(alice.secret())).succeeded()).isTrue();
    }

    @Test
    void leaveThenTheSessionForgetsItsEnrolmentAndAPendingOneStartedElsewhereIsKept() throws Exception {
        app = start(true);
        Browser carol = signedIn("carol");
        start(carol);
        carol.get("/home");   // leaves: this session's pending secret is discarded
        assertThat(app.status("carol").hasPendingEnrolment()).isFalse();

        // Carol starts again in another tab's session; navigating in the first session must not discard that one.
        Browser otherTab = signedIn("carol");
        TotpSecret shownThere = start(otherTab);
        carol.get("/reports");

        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        HttpResponse<String> confirm = otherTab.post("/my/profile/two-factor/confirm",
                Map.of("code", code(shownThere)));
        assertThat(confirm.body()).isEqualTo("confirmed ENABLED");
    }

    private TwoFactorApp start(boolean cancelOnLeave) throws Exception {
        return TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config
                .cancelPendingEnrolmentOnLeave(cancelOnLeave)));
    }

    private Browser signedIn(String user) {
        Browser browser = app.browser();
        browser.signIn(user, TwoFactorApp.PASSWORDS.get(user));
        return browser;
    }

    private TotpSecret start(Browser browser) {
        HttpResponse<String> started = browser.post("/my/profile/two-factor/start", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        return TotpSecret.fromBase32(started.body());
    }

    private String code(TotpSecret secret) {
        return Totp.defaults().generateAt(secret, app.clock.instant());
    }
}
