package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: with {@code stepUpWindow(ZERO)} ("ask every time", Jelastic) a step-up authorises exactly the next
 * sensitive request, and the enrolment-start step-up rule works with it.
 */
class ZeroStepUpWindowTest {

    private static final String SENSITIVE = "/my/profile/two-factor/regenerate";
    private static final String UNLOCK = "/my/profile/two-factor/unlock";
    private static final String STEP_UP = "/app" + UNLOCK;

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private Browser signedIn(Enrolled user) throws Exception {
        Browser browser = app.browser();
        app.signInWithCode(browser, user);
        return browser;
    }

    @Test
    void zeroWindowThenEachStepUpAuthorisesExactlyOneSensitiveAction() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.stepUpWindow(Duration.ZERO)));
        Enrolled alice = app.enrol("alice");
        Browser browser = signedIn(alice);
        // Not even right after the challenge: every action asks.
        assertRedirect(browser.post(SENSITIVE, Map.of()), STEP_UP);

        assertRedirect(browser.post(UNLOCK, Map.of("password", "alice-password")), "/app/my/profile/two-factor");

        assertThat(browser.post(SENSITIVE, Map.of()).body()).isEqualTo("regenerated 8");
        assertRedirect(browser.post(SENSITIVE, Map.of()), STEP_UP);
        assertRedirect(browser.post(UNLOCK, Map.of("code", app.code(alice.secret()))), "/app/my/profile/two-factor");
        assertThat(browser.post(SENSITIVE, Map.of()).body()).isEqualTo("regenerated 8");
        assertRedirect(browser.post(SENSITIVE, Map.of()), STEP_UP);
    }

    @Test
    void zeroWindowThenThePageAfterTheStepUpIsShownAndTheActionOnItStillAuthorised() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.stepUpWindow(Duration.ZERO)));
        Enrolled alice = app.enrol("alice");
        Browser browser = signedIn(alice);
        assertRedirect(browser.get(SENSITIVE), STEP_UP + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate");
        assertRedirect(browser.post(UNLOCK, Map.of("password", "alice-password", "returnTo", SENSITIVE)),
                "/app" + SENSITIVE);

        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        assertThat(browser.get(SENSITIVE).statusCode()).isEqualTo(200);
        assertThat(browser.post(SENSITIVE, Map.of()).body()).isEqualTo("regenerated 8");
        assertRedirect(browser.get(SENSITIVE), STEP_UP + "?returnTo=%2Fmy%2Fprofile%2Ftwo-factor%2Fregenerate");
    }

    @Test
    void zeroWindowWhenTheGrantIsOlderThanTheOneTimeTtlThenAskedAgain() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.stepUpWindow(Duration.ZERO)));
        Enrolled alice = app.enrol("alice");
        Browser browser = signedIn(alice);
        browser.post(UNLOCK, Map.of("password", "alice-password"));

        app.clock.advance(TwoFactorService.ONE_TIME_STEP_UP_TTL);

        assertRedirect(browser.post(SENSITIVE, Map.of()), STEP_UP);
        assertThat(app.status("alice").remainingRecoveryCodes()).isEqualTo(8);
    }

    @Test
    void zeroWindowWhenConcurrentActionsShareOneStepUpThenExactlyOneRuns() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.stepUpWindow(Duration.ZERO)));
        Enrolled alice = app.enrol("alice");
        Browser browser = signedIn(alice);
        browser.post(UNLOCK, Map.of("password", "alice-password"));
        int before = app.applicationHits.get();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<HttpResponse<String>>> tasks = java.util.Collections.nCopies(8,
                    () -> browser.post(SENSITIVE, Map.of()));
            int regenerated = 0;
            for (Future<HttpResponse<String>> answer : pool.invokeAll(tasks)) {
                if ("regenerated 8".equals(answer.get().body())) {
                    regenerated++;
                }
            }
            assertThat(regenerated).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(app.applicationHits.get() - before).isEqualTo(1);
    }

    @Test
    void zeroWindowThenEnrolmentStartNeedsItsOwnStepUpAndWorksAfterOne() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(b -> b.stepUpWindow(Duration.ZERO)));
        Browser carol = app.browser();
        carol.signIn("carol", "carol-password");

        assertRedirect(carol.post("/my/profile/two-factor/start", Map.of()), STEP_UP);
        assertThat(carol.post("/my/profile/two-factor/begin", Map.of()).statusCode()).isEqualTo(403);
        assertRedirect(carol.post(UNLOCK, Map.of("password", "carol-password")), "/app/my/profile/two-factor");

        HttpResponse<String> started = carol.post("/my/profile/two-factor/start", Map.of());

        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        // The helper on an unguarded path takes the grant itself: one step-up, one start.
        app.service.cancelEnrolment("carol");
        Browser dave = app.browser();
        dave.signIn("bob", "bob-password");
        dave.post(UNLOCK, Map.of("password", "bob-password"));
        assertThat(dave.post("/my/profile/two-factor/begin", Map.of()).statusCode()).isEqualTo(200);
        app.service.cancelEnrolment("bob");
        assertThat(dave.post("/my/profile/two-factor/begin", Map.of()).statusCode()).isEqualTo(403);
    }
}
