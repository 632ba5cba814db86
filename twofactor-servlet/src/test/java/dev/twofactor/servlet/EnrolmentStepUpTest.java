package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 finding 5: starting an enrolment (first or change of app) needs a verification within the step-up window,
 * at the filter (the enrolment-start paths) and in the helpers themselves; the password at sign-in counts as one at
 * that instant.
 */
class EnrolmentStepUpTest {

    private static final String STEP_UP = "/app/my/profile/two-factor/unlock";

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void startWhenSignedInWithPasswordJustNowThenStartedWithoutAskingAgain() throws Exception {
        app = TwoFactorApp.start();
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");

        HttpResponse<String> started = carol.post("/my/profile/two-factor/start", Map.of());

        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
    }

    @Test
    void startWhenSessionEightHoursOldThenStepUpAskedNothingStartedAndNoRecoveryCodes() throws Exception {
        app = TwoFactorApp.start();
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        app.clock.advance(Duration.ofHours(8));

        assertRedirect(carol.post("/my/profile/two-factor/start", Map.of()), STEP_UP);
        assertThat(carol.postJson("/my/profile/two-factor/start", Map.of()).body())
                .contains("\"error\":\"step_up_required\"");
        // A path the filter does not guard: the helper refuses by itself.
        HttpResponse<String> helper = carol.post("/my/profile/two-factor/begin", Map.of());
        assertThat(helper.statusCode()).isEqualTo(403);
        assertThat(helper.body()).isEqualTo(EnrolmentStart.StepUpRequired.MESSAGE);

        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        HttpResponse<String> confirm = carol.post("/my/profile/two-factor/confirm", Map.of("code", "123456"));
        assertThat(confirm.statusCode()).isEqualTo(400);
        assertThat(confirm.body()).doesNotContain("confirmed");
        assertThat(app.status("carol").remainingRecoveryCodes()).isZero();
    }

    @Test
    void startWhenOldSessionSteppedUpWithPasswordThenStarted() throws Exception {
        app = TwoFactorApp.start();
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        app.clock.advance(Duration.ofHours(8));
        assertRedirect(carol.post("/my/profile/two-factor/start", Map.of()), STEP_UP);

        assertRedirect(carol.post("/my/profile/two-factor/unlock", Map.of("password", "carol-password")),
                "/app/my/profile/two-factor");

        assertThat(carol.post("/my/profile/two-factor/start", Map.of()).statusCode()).isEqualTo(200);
        assertThat(carol.post("/my/profile/two-factor/begin", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void changeAuthenticatorWhenSessionOldThenRefusedAndTheOldAppStaysTheOnlyOne() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        app.clock.advance(Duration.ofHours(8));

        assertRedirect(browser.post("/my/profile/two-factor/change", Map.of()), STEP_UP);
        assertThat(browser.post("/my/profile/two-factor/begin-change", Map.of()).statusCode()).isEqualTo(403);

        assertThat(app.status("alice").hasPendingEnrolment()).isFalse();
        // Within the window after a step-up with the current app, the change starts.
        browser.post("/my/profile/two-factor/unlock", Map.of("code", app.code(alice.secret())));
        HttpResponse<String> started = browser.post("/my/profile/two-factor/change", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(TotpSecret.fromBase32(started.body())).isNotEqualTo(alice.secret());
    }

    @Test
    void startWhenStepUpBeforeEnrolmentOffThenOldSessionStarts() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(config -> config.stepUpBeforeEnrolment(false)));
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        app.clock.advance(Duration.ofHours(8));

        assertThat(carol.post("/my/profile/two-factor/start", Map.of()).statusCode()).isEqualTo(200);
        assertThat(carol.post("/my/profile/two-factor/begin", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void startWhenPolicyForcesEnrolmentRightAfterSignInThenNotAskedAgain() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("root");
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        assertRedirect(carol.get("/home"), "/app/my/profile/two-factor");

        assertThat(carol.post("/my/profile/two-factor/start", Map.of()).statusCode()).isEqualTo(200);
    }
}
