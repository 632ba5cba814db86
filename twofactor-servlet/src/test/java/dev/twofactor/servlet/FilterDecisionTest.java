package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Requirement;
import dev.twofactor.UserContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter's branches that answer for themselves (allowlist, the cancel path's methods, an expired half-open API
 * call, a challenge answer without a sign-in) and what {@link TwoFactorSignIn} returns to the host, each with its
 * exact answer, for browsers and for API clients.
 */
class FilterDecisionTest {

    private TwoFactorApp app;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private Browser halfOpen() {
        Browser browser = app.browser();
        browser.signIn("alice", TwoFactorApp.PASSWORDS.get("alice"));
        return browser;
    }

    @Test
    void allowlistedPathIsServedByTheApplicationToAnybodyAndNeverAsTheHalfOpenUser() {
        HttpResponse<String> anonymous = app.browser().get("/static/app.css");
        HttpResponse<String> whileHalfOpen = halfOpen().get("/static/app.css");

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("static /app.css");
        assertThat(whileHalfOpen.statusCode()).isEqualTo(200);
        assertThat(whileHalfOpen.body()).isEqualTo("static /app.css");
    }

    @Test
    void cancelByGetWhenApiThen405JsonAndTheSignInGoesOn() {
        Browser browser = halfOpen();

        HttpResponse<String> refused = browser.getJson("/login/two-factor/cancel");

        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).hasValue("POST");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(refused.body()).contains("\"error\":\"method_not_allowed\"");
        assertThat(browser.getJson("/home").body()).contains("\"error\":\"two_factor_required\"");
    }

    @Test
    void cancelByGetWhenBrowserThen405PageLinkingBackToTheChallenge() {
        Browser browser = halfOpen();

        HttpResponse<String> refused = browser.get("/login/two-factor/cancel");

        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).hasValue("POST");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(refused.body()).contains("/app/login/two-factor").doesNotContain("\"error\"");
    }

    @Test
    void cancelByPostWhenApiThen204AndTheHalfOpenSessionEnded() {
        Browser browser = halfOpen();

        HttpResponse<String> cancelled = browser.postJson("/login/two-factor/cancel", Map.of());

        assertThat(cancelled.statusCode()).isEqualTo(204);
        assertThat(cancelled.body()).isEmpty();
        assertThat(browser.get("/home").body()).contains("user=-");
    }

    @Test
    void apiCallOfAnExpiredHalfOpenSessionThen401JsonPointingToTheSignIn() {
        Browser browser = halfOpen();
        app.clock.advance(Duration.ofMinutes(11));

        HttpResponse<String> expired = browser.getJson("/home");

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("\"error\":\"challenge_expired\"").contains("\"location\":\"/app/login\"");
        assertThat(browser.get("/home").body()).contains("user=-");
    }

    @Test
    void challengeAnswerWithoutAHalfOpenSignInIsRefusedAndSignsNobodyIn() {
        Browser nobody = app.browser();

        HttpResponse<String> answer = nobody.postJson("/login/two-factor", Map.of("code", "123456"));

        assertThat(answer.statusCode()).isBetween(400, 499);
        assertThat(answer.body()).contains("\"error\":");
        assertThat(nobody.get("/home").body()).contains("user=-");
    }

    // ------------------------------------------------------------------ what TwoFactorSignIn returns to the host

    @Test
    void passwordAcceptedReturnsTheUsersRequirement() {
        Requirement enrolled = app.signIn.passwordAccepted(new FakeRequest("POST").proxy(),
                UserContext.of("alice", false));
        Requirement notEnrolled = app.signIn.passwordAccepted(new FakeRequest("POST").proxy(),
                UserContext.of("carol", false));

        assertThat(enrolled).isInstanceOf(Requirement.Challenge.class);
        assertThat(notEnrolled).isEqualTo(app.service.requirementFor(UserContext.of("carol", false)));
        assertThat(notEnrolled).isNotInstanceOf(Requirement.Challenge.class);
    }

    @Test
    void cancelChallengeEndsOnlyAHalfOpenSignInByPostAndSaysWhetherItDid() {
        FakeRequest halfOpenPost = new FakeRequest("POST");
        app.signIn.passwordAccepted(halfOpenPost.proxy(), UserContext.of("alice", false));
        FakeRequest halfOpenGet = new FakeRequest("GET");
        app.signIn.passwordAccepted(halfOpenGet.proxy(), UserContext.of("alice", false));
        FakeRequest signedIn = new FakeRequest("POST");
        app.signIn.passwordAccepted(signedIn.proxy(), UserContext.of("carol", false));

        assertThat(app.signIn.cancelChallenge(new FakeRequest("POST").proxy())).as("no session").isFalse();
        assertThat(app.signIn.cancelChallenge(halfOpenGet.proxy())).as("GET").isFalse();
        assertThat(halfOpenGet.invalidated).isFalse();
        assertThat(app.signIn.cancelChallenge(signedIn.proxy())).as("signed in").isFalse();
        assertThat(signedIn.invalidated).isFalse();
        assertThat(app.signIn.cancelChallenge(halfOpenPost.proxy())).as("half-open POST").isTrue();
        assertThat(halfOpenPost.invalidated).isTrue();
    }

    @Test
    void verifyChallengeWithoutAHalfOpenSignInIsNotPending() {
        assertThat(app.signIn.verifyChallenge(new FakeRequest("POST").proxy(), "123456", null))
                .isInstanceOf(ChallengeResult.NotPending.class);
    }

    /** A request with a session of its own (attributes in a map), enough for the sign-in helper's calls. */
    private static final class FakeRequest {
        private final String method;
        private final Map<String, Object> attributes = new HashMap<>();
        private final Map<String, Object> sessionAttributes = new HashMap<>();
        private final AtomicBoolean hasSession = new AtomicBoolean();
        private boolean invalidated;

        FakeRequest(String method) {
            this.method = method;
        }

        HttpServletRequest proxy() {
            HttpSession session = (HttpSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpSession.class}, (self, call, args) -> switch (call.getName()) {
                        case "getAttribute" -> sessionAttributes.get((String) args[0]);
                        case "setAttribute" -> sessionAttributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> sessionAttributes.remove((String) args[0]);
                        case "invalidate" -> {
                            invalidated = true;
                            hasSession.set(false);
                            yield null;
                        }
                        case "toString" -> "fake session";
                        default -> throw new UnsupportedOperationException(call.getName());
                    });
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (self, call, args) -> switch (call.getName()) {
                        case "getMethod" -> method;
                        case "getSession" -> {
                            boolean create = args == null || (Boolean) args[0];
                            if (create) {
                                hasSession.set(true);
                            }
                            yield hasSession.get() ? session : null;
                        }
                        case "changeSessionId" -> "rotated";
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "toString" -> "fake request";
                        default -> throw new UnsupportedOperationException(call.getName());
                    });
        }
    }
}
