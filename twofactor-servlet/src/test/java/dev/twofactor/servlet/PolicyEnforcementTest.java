package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: a user who must enrol is kept on the enrolment screen, with its allowlist and grace period. */
class PolicyEnforcementTest {

    private static final String ENROLMENT = "/app/my/profile/two-factor";
    private static final String MESSAGE = OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE;

    private TwoFactorApp app;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void policyEveryoneWhenUserNotEnrolledThenEveryPageRedirectsToEnrolmentWithMessage() {
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        for (String page : List.of("/home", "/", "/reports/q1", "/admin/settings/security", "/login")) {
            assertRedirect(browser.get(page), ENROLMENT);
        }
        HttpResponse<String> enrolment = browser.get("/my/profile/two-factor");
        assertThat(enrolment.statusCode()).isEqualTo(200);
        assertThat(enrolment.body()).contains("required=" + MESSAGE);
        HttpResponse<String> api = browser.getJson("/api/me");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("\"error\":\"enrolment_required\"", "\"message\":\"" + MESSAGE + "\"",
                "\"location\":\"" + ENROLMENT + "\"");
    }

    @Test
    void policyWhenUserMustEnrolThenEnrolmentStepsStepUpSignOutAndChallengeStayReachable() {
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        assertThat(browser.get("/my/profile/two-factor/start").statusCode()).isEqualTo(200);
        assertThat(browser.get("/my/profile/two-factor/unlock").statusCode()).isEqualTo(200);
        assertThat(browser.get("/login/two-factor").statusCode()).isEqualTo(200);
        assertThat(browser.get("/static/app.css").statusCode()).isEqualTo(200);
        HttpResponse<String> started = browser.post("/my/profile/two-factor/start", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        TotpSecret secret = TotpSecret.fromBase32(started.body());
        HttpResponse<String> confirmed = browser.post("/my/profile/two-factor/confirm",
                Map.of("code", Totp.defaults().generateAt(secret, app.clock.instant())));
        assertThat(confirmed.body()).isEqualTo("confirmed ENABLED");

        // Enrolled in this session: the pages open at once, no challenge (the confirming code was the proof).
        HttpResponse<String> home = browser.get("/home");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("user=carol", "reminder=-");
        assertRedirect(browser.get("/logout"), "/app/login");
    }

    @Test
    void policyWhenUserMustEnrolThenSignOutStillWorks() {
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        assertRedirect(browser.get("/logout"), "/app/login");
        assertThat(browser.get("/home").body()).contains("user=-");
    }

    @Test
    void policyAdminsWhenRegularUserThenNotBlockedAndAdministratorIs() {
        app.service.setPolicy("root", EnforcementLevel.ADMINS, Duration.ZERO);
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");
        Browser root = app.browser();
        root.signIn("root", "root-password");

        assertThat(carol.get("/home").body()).contains("user=carol", "reminder=-");
        assertRedirect(root.get("/home"), ENROLMENT);
    }

    @Test
    void gracePeriodWhenNotOverThenNothingBlockedAndReminderShownThenEnforced() {
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");

        HttpResponse<String> home = browser.get("/home");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("reminder=" + MESSAGE + " (grace)");
        assertThat(browser.getJson("/api/me").statusCode()).isEqualTo(200);

        app.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertRedirect(browser.get("/home"), ENROLMENT);
    }

    @Test
    void policyWhenSetWhileUserSignedInThenRedirectsOnceTheRequirementMaxAgeHasPassed() {
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);

        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);   // the sign-in's read is relied on
        app.clock.advance(app.config.requirementMaxAge());

        assertRedirect(browser.get("/home"), ENROLMENT);
    }

    @Test
    void disableUnderPolicyThenNextRequestReturnsToEnrolment() {
        Enrolled alice = app.enrol("alice");
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);

        HttpResponse<String> disabled = browser.post("/my/profile/two-factor/disable",
                Map.of("password", "alice-password"));
        assertThat(disabled.body()).isEqualTo("disabled NOT_CONFIGURED");

        assertRedirect(browser.get("/home"), ENROLMENT);
        assertThat(browser.get("/my/profile/two-factor").body()).contains("required=" + MESSAGE);
    }

    @Test
    void disableThroughServiceUnderPolicyThenSeenAfterRefresh() {
        Enrolled alice = app.enrol("alice");
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);

        // The host calls the service itself: a verified session is not re-read from the store on every request...
        TwoFactorApp.success(app.service.disable("alice", "alice-password".toCharArray()));
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);
        // ...until the host says the status changed.
        assertThat(browser.post("/refresh", Map.of()).statusCode()).isEqualTo(200);

        assertRedirect(browser.get("/home"), ENROLMENT);
    }

    @Test
    void disableWithWrongPasswordThenStaysEnabledAndSessionVerified() {
        Enrolled alice = app.enrol("alice");
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);

        HttpResponse<String> refused = browser.post("/my/profile/two-factor/disable", Map.of("password", "guess"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("Password did not match. Two-factor remains enabled.");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);
    }

    @Test
    void enrolmentCompletedInAnotherSessionThenThisPasswordOnlySessionOwesChallenge() {
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);

        // Carol (or someone with her password elsewhere) turns on two-factor authentication: this session has
        // not proved the second factor, so it must pass the challenge before going on.
        Enrolled carol = app.enrol("carol");

        assertRedirect(browser.get("/home"), "/app/login/two-factor");
        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(carol.secret()))), "/app/home");
        assertThat(browser.get("/home").body()).contains("user=carol");
    }
}
