package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13: the public HTTP mapping of any {@link Outcome}, as a host's own endpoints answer with it in Jetty. */
class OutcomeResponsesTest {

    private TwoFactorApp app;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        browser = app.browser();
        app.signInWithCode(browser, alice);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void successThen204WithoutBody() {
        HttpResponse<String> done = browser.postJson("/outcome/step-up", Map.of("password", "alice-password"));

        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(done.body()).isEmpty();
        assertThat(done.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void wrongPasswordThen401WithReasonCodeAndTextButNotTheInput() {
        HttpResponse<String> refused = browser.postJson("/outcome/step-up", Map.of("password", "guess-zq7"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"error\":\"wrong_password\",\"message\":\"Password did not match.\"}");
    }

    @Test
    void backoffThen429WithRetryAfterHeaderAndField() {
        browser.postJson("/outcome/step-up", Map.of("password", "guess"));
        browser.postJson("/outcome/step-up", Map.of("password", "guess"));

        HttpResponse<String> limited = browser.postJson("/outcome/step-up", Map.of("password", "alice-password"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.body()).startsWith("{\"error\":\"rate_limited\",\"message\":\"")
                .endsWith(",\"retryAfter\":1}");
    }

    @Test
    void lockedThen403Locked() throws Exception {
        app.close();
        app = TwoFactorApp.start(new TwoFactorApp.Options().backoff(dev.twofactor.BackoffPolicy.builder()
                .toleratedFailures(1).lockAfter(2).build()));
        Enrolled alice = app.enrol("alice");
        browser = app.browser();
        app.signInWithCode(browser, alice);
        browser.postJson("/outcome/step-up", Map.of("password", "guess"));
        browser.postJson("/outcome/step-up", Map.of("password", "guess"));
        app.clock.advance(Duration.ofMinutes(5));

        HttpResponse<String> locked = browser.postJson("/outcome/step-up", Map.of("password", "alice-password"));

        assertThat(locked.statusCode()).isEqualTo(403);
        assertThat(locked.body()).contains("\"error\":\"locked\"");
    }

    @Test
    void notFoundAndConflictReasonsThen404And409() {
        assertThat(browser.postJson("/outcome/revoke", Map.of("id", "no-such-id")))
                .returns(404, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString().contains("\"error\":\"app_password_not_found\"");
        assertThat(browser.postJson("/outcome/acknowledge", Map.of()))
                .returns(409, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString().contains("\"error\":\"nothing_to_acknowledge\"");
        app.createAppPassword("alice", "CI", Set.of());
        String id = app.service.appPasswords("alice").get(0).id();
        assertThat(browser.postJson("/outcome/revoke", Map.of("id", id)).statusCode()).isEqualTo(204);
    }

    @Test
    void everyReasonHasTheDocumentedStatusAndItsLowerCaseName() {
        Map<Reason, Integer> expected = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            expected.put(reason, 400);
        }
        for (Reason reason : new Reason[] {Reason.WRONG_CODE, Reason.MALFORMED_CODE, Reason.CODE_ALREADY_USED,
            Reason.WRONG_RECOVERY_CODE, Reason.WRONG_PASSWORD, Reason.WRONG_PASSWORD_DISABLE,
            Reason.WRONG_APP_PASSWORD}) {
            expected.put(reason, 401);
        }
        expected.put(Reason.UNKNOWN_USER, 404);
        expected.put(Reason.APP_PASSWORD_NOT_FOUND, 404);
        expected.put(Reason.ADMIN_NOT_ENABLED, 403);
        expected.put(Reason.STEP_UP_REQUIRED, 403);
        for (Reason reason : new Reason[] {Reason.NO_PENDING_ENROLMENT, Reason.NOT_ENABLED, Reason.ALREADY_ENABLED,
            Reason.NOTHING_TO_ACKNOWLEDGE}) {
            expected.put(reason, 409);
        }

        for (Reason reason : Reason.values()) {
            assertThat(OutcomeResponses.status(Outcome.rejected(reason))).as(reason.name())
                    .isEqualTo(expected.get(reason));
            assertThat(OutcomeResponses.error(Outcome.rejected(reason))).isEqualTo(reason.name().toLowerCase());
        }
        assertThat(OutcomeResponses.status(new Outcome.RateLimited<>(Duration.ofSeconds(3)))).isEqualTo(429);
        assertThat(OutcomeResponses.status(new Outcome.Locked<>())).isEqualTo(403);
        assertThat(OutcomeResponses.status(Outcome.success("x"))).isEqualTo(204);
    }
}
