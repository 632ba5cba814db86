package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.UserContext;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import jakarta.servlet.http.HttpSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host whose own authentication marks the session (no call to {@link TwoFactorSignIn#passwordAccepted}) plugs in
 * a {@link CurrentUser}: the filter starts the challenge itself and hides the user until it passes.
 */
class HostAuthenticationTest {

    private TwoFactorApp app;
    private Enrolled alice;

    @BeforeEach
    void start() throws Exception {
        CurrentUser hostSession = request -> {
            HttpSession session = request.getSession(false);
            Object user = session == null ? null : session.getAttribute(TwoFactorApp.HOST_USER_ATTRIBUTE);
            return user == null ? null : UserContext.of((String) user, TwoFactorApp.ADMINS.contains(user));
        };
        app = TwoFactorApp.start(new TwoFactorApp.Options().config(builder -> builder.currentUser(hostSession)));
        alice = app.enrol("alice");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void hostSignInWhenUserEnrolledThenChallengeDueAndUserHiddenUntilItPasses() {
        Browser browser = app.browser();
        browser.post("/host-login", Map.of("username", "alice", "password", "alice-password"));

        assertRedirect(browser.get("/home"), "/app/login/two-factor");
        assertThat(browser.get("/login/two-factor").body()).contains("challenge page for alice", "remote=null");
        HalfOpenSignInTest.assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))),
                "/app/home");
        HttpResponse<String> home = browser.get("/home");
        assertThat(home.body()).contains("user=alice", "remote=alice");
    }

    @Test
    void hostSignOutThenTwoFactorStateForgotten() {
        Browser browser = app.browser();
        browser.post("/host-login", Map.of("username", "alice", "password", "alice-password"));
        browser.post("/login/two-factor", Map.of("code", app.code(alice.secret())));
        assertThat(browser.get("/home").body()).contains("user=alice");

        browser.get("/host-logout");

        assertThat(browser.get("/home").body()).contains("user=-", "remote=null");
    }

    @Test
    void hostSignInWhenUserNotEnrolledThenSignedInAtOnce() {
        Browser browser = app.browser();
        browser.post("/host-login", Map.of("username", "carol", "password", "carol-password"));

        assertThat(browser.get("/home").body()).contains("user=carol", "remote=carol");
    }

    @Test
    void hostSignInThenTheRequirementIsReadOnceAndNotAgainWithinTheBound() {
        UserContext carol = UserContext.of("carol", false);
        app.service.requirementFor(carol);
        app.storeCalls.set(0);
        app.service.requirementFor(carol);
        int oneRead = app.storeCalls.get();
        Browser browser = app.browser();
        browser.post("/host-login", Map.of("username", "carol", "password", "carol-password"));

        app.storeCalls.set(0);
        assertThat(browser.get("/home").body()).contains("user=carol");
        assertThat(app.storeCalls.get()).as("store calls of the request that starts the second step")
                .isEqualTo(oneRead);
        app.storeCalls.set(0);
        for (int i = 0; i < 20; i++) {
            assertThat(browser.get("/home").body()).contains("user=carol");
        }
        assertThat(app.storeCalls.get()).as("store calls within requirementMaxAge").isZero();
    }
}
