package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session that passed the challenge is decided from the session alone: no store query per request; one without a
 * second factor within {@link TwoFactorWebConfig#requirementMaxAge()} of its last read neither.
 */
class VerifiedSessionCostTest {

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
    void verifiedSessionWhenPagesRequestedThenNoStoreQuery() {
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        app.storeCalls.set(0);

        for (int i = 0; i < 10; i++) {
            for (String path : List.of("/home", "/reports/q1", "/my/profile/two-factor",
                    "/my/profile/two-factor/regenerate", "/admin/settings/security")) {
                assertThat(browser.get(path).statusCode()).as(path).isEqualTo(200);
            }
            assertThat(browser.getJson("/api/me").body()).contains("user=alice");
            assertThat(browser.post("/home", Map.of("a", "b")).statusCode()).isEqualTo(200);
        }

        assertThat(app.storeCalls.get()).isZero();
    }

    @Test
    void passwordOnlySessionWhenPagesRequestedThenTheStoreIsReadOnlyOnceTheRequirementMaxAgeHasPassed() {
        // The counter does see the filter's queries: a session without a second factor relies on what it read at
        // sign-in for requirementMaxAge, then reads again (RequirementMaxAgeTest covers every session state).
        Browser browser = app.browser();
        browser.signIn("carol", "carol-password");
        app.storeCalls.set(0);

        for (int i = 0; i < 10; i++) {
            assertThat(browser.get("/home").statusCode()).isEqualTo(200);
        }
        int withinTheBound = app.storeCalls.get();
        app.clock.advance(app.config.requirementMaxAge());
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);

        assertThat(withinTheBound).isZero();
        assertThat(app.storeCalls.get()).isPositive();
    }

    @Test
    void refreshWhenVerifiedSessionThenOneCheckOnlyOnTheNextRequest() throws Exception {
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        app.signInWithCode(browser, alice);
        app.storeCalls.set(0);

        // The host calls the service directly and asks the filter to look again.
        assertThat(browser.post("/refresh", Map.of()).statusCode()).isEqualTo(200);
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);
        int afterRecheck = app.storeCalls.get();
        assertThat(browser.get("/home").statusCode()).isEqualTo(200);

        assertThat(afterRecheck).isPositive();
        assertThat(app.storeCalls.get()).isEqualTo(afterRecheck);
    }
}
