package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Reason;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the challenge error codes are the ones the table in {@link ChallengeResult} (and the README) lists, the
 * same in the redirect's {@code ?error=}, the JSON {@code error} and {@link TwoFactorSessions#errorMessage}.
 */
class ChallengeErrorCodesTest {

    private static final String CHALLENGE = "/app/login/two-factor";

    private TwoFactorApp app;
    private Enrolled alice;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        alice = app.enrol("alice");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void wrongCodeThenWrongCodeEverywhere() {
        String wrong = ChallengeBackoffTest.wrongCode(app.code(alice.secret()));
        assertCode(Map.of("code", wrong), "wrong_code", Reason.WRONG_CODE.message());
    }

    @Test
    void malformedCodeThenMalformedCodeEverywhere() {
        assertCode(Map.of("code", "12"), "malformed_code", Reason.MALFORMED_CODE.message());
    }

    @Test
    void wrongRecoveryCodeThenWrongRecoveryCodeEverywhere() {
        assertCode(Map.of("recoveryCode", "AAAA-BBBB"), "wrong_recovery_code", Reason.WRONG_RECOVERY_CODE.message());
    }

    @Test
    void codeAlreadyUsedThenCodeAlreadyUsedEverywhere() {
        String code = app.code(alice.secret());
        Browser first = app.browser();
        first.signIn("alice", "alice-password");
        assertRedirect(first.post("/login/two-factor", Map.of("code", code)), "/app/");

        assertCode(Map.of("code", code), "code_already_used", Reason.CODE_ALREADY_USED.message());
    }

    @Test
    void expiredThenChallengeExpiredOnTheSignInScreen() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        app.clock.advance(Duration.ofMinutes(11));

        assertRedirect(browser.post("/login/two-factor", Map.of("code", app.code(alice.secret()))),
                "/app/login?error=challenge_expired");
        assertThat(browser.get("/login?error=challenge_expired").body())
                .contains("error=" + ChallengeResult.Expired.MESSAGE);
    }

    @Test
    void errorParameterWhenUnknownThenNoMessageReflected() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        assertThat(browser.get("/login/two-factor?error=%3Cscript%3E").body()).endsWith("error=-");
        assertThat(browser.get("/login/two-factor?error=code").body()).endsWith("error=-");
    }

    private void assertCode(Map<String, String> form, String error, String message) {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        assertRedirect(browser.post("/login/two-factor", form), CHALLENGE + "?error=" + error);
        assertThat(browser.get("/login/two-factor?error=" + error).body()).endsWith("error=" + message);

        app.clock.advance(Duration.ofSeconds(2));   // past the backoff the first failure may have started
        Browser api = app.browser();
        api.signIn("alice", "alice-password");
        HttpResponse<String> answer = api.postJson("/login/two-factor", form);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("\"error\":\"" + error + "\"", "\"message\":\"" + message);
    }
}
