package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery codes over HTTP: "I have saved my recovery codes" only from the page that showed them (the SDK's
 * acknowledgement token), and "Unlock settings" with a recovery code (the SDK's step-up, which the filter's step-up
 * paths and the enrolment start then honour).
 */
class RecoveryCodeFlowHttpTest {

    private static final Pattern CODE = Pattern.compile("<li><code>([^<]+)</code></li>");
    private static final Pattern TOKEN = Pattern.compile("name=\"acknowledgementToken\"\\s+value=\"([^\"]+)\"");
    private static final String NOT_ACKNOWLEDGED = "These recovery codes can no longer be confirmed as saved";

    private TestApp app;

    @BeforeEach
    void start() throws Exception {
        app = TestApp.start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void acknowledgementWithTheTokenOfThePageThatShowedTheCodesEnables() throws Exception {
        requireAcknowledgement();
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        HttpResponse<String> codes = confirmEnrolment(alice);

        HttpResponse<String> done = alice.post("/my/profile/two-factor/acknowledge",
                Map.of("saved", "on", "acknowledgementToken", token(codes)));

        assertThat(HttpSession.location(done)).isEqualTo("/my/profile/two-factor");
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void acknowledgementWithoutTheTokenIsRefusedWith409AndNothingIsEnabled() throws Exception {
        requireAcknowledgement();
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        HttpResponse<String> codes = confirmEnrolment(alice);
        assertThat(token(codes)).isNotBlank();

        HttpResponse<String> missing = alice.post("/my/profile/two-factor/acknowledge", Map.of("saved", "on"));
        HttpResponse<String> forged = alice.post("/my/profile/two-factor/acknowledge",
                Map.of("saved", "on", "acknowledgementToken", "forged"));

        assertThat(missing.statusCode()).isEqualTo(409);
        assertThat(missing.body()).contains(NOT_ACKNOWLEDGED).doesNotContain("id=\"recovery-codes\"");
        assertThat(forged.statusCode()).isEqualTo(409);
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void acknowledgementAfterAReloadLostTheCodesIsRefusedWith409AndSetupStartsOver() throws Exception {
        requireAcknowledgement();
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        String token = token(confirmEnrolment(alice));

        HttpResponse<String> reloaded = alice.get("/my/profile/two-factor");
        HttpResponse<String> late = alice.post("/my/profile/two-factor/acknowledge",
                Map.of("saved", "on", "acknowledgementToken", token));

        assertThat(HttpSession.location(reloaded)).isEqualTo("/my/profile/two-factor");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains(NOT_ACKNOWLEDGED).contains("id=\"enable\"");
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void unlockWithARecoveryCodeOpensSensitiveSettingsAndTheEnrolmentStartAndUsesTheCodeUp() throws Exception {
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        List<String> codes = codes(confirmEnrolment(alice));
        app.nextStep();
        app.clock.advance(Duration.ofMinutes(6));
        alice.get("/my/profile/two-factor");

        HttpResponse<String> gatedChange = alice.post("/my/profile/two-factor/change", Map.of());
        HttpResponse<String> gatedRegenerate = alice.get("/my/profile/two-factor/regenerate");
        alice.get("/my/profile/two-factor/unlock?method=recovery");
        HttpResponse<String> unlocked = alice.post("/my/profile/two-factor/unlock",
                Map.of("method", "recovery", "recoveryCode", codes.get(0), "returnTo", "/my/profile/two-factor"));
        int remaining = app.app.service().status("alice").remainingRecoveryCodes();
        HttpResponse<String> regenerate = alice.get("/my/profile/two-factor/regenerate");
        HttpResponse<String> change = alice.post("/my/profile/two-factor/change", Map.of());

        assertThat(HttpSession.location(gatedChange)).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(HttpSession.location(gatedRegenerate)).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(HttpSession.location(unlocked)).isEqualTo("/my/profile/two-factor");
        assertThat(unlocked.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        assertThat(remaining).isEqualTo(7);
        assertThat(regenerate.statusCode()).isEqualTo(200);
        assertThat(change.statusCode()).isEqualTo(200);
        assertThat(change.body()).contains("id=\"secret\"");
    }

    @Test
    void unlockWithAUsedRecoveryCodeIsRefusedAndUnlocksNothing() throws Exception {
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        List<String> codes = codes(confirmEnrolment(alice));
        app.nextStep();
        app.clock.advance(Duration.ofMinutes(6));
        alice.get("/my/profile/two-factor/unlock?method=recovery");
        alice.post("/my/profile/two-factor/unlock", Map.of("method", "recovery", "recoveryCode", codes.get(0)));
        app.clock.advance(Duration.ofMinutes(6));
        alice.get("/my/profile/two-factor/unlock?method=recovery");

        HttpResponse<String> again = alice.post("/my/profile/two-factor/unlock",
                Map.of("method", "recovery", "recoveryCode", codes.get(0)));
        HttpResponse<String> gated = alice.post("/my/profile/two-factor/regenerate", Map.of());

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(HttpSession.location(gated)).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(app.app.service().status("alice").remainingRecoveryCodes()).isEqualTo(7);
    }

    /** The administrator enrols, then turns "I have saved my recovery codes" on. */
    private void requireAcknowledgement() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        admin.enrol();
        admin.get("/admin/settings/security");
        admin.post("/admin/settings/security/policy", Map.of("graceHours", "0", "recovery", "codes",
                "acknowledge", "on"));
    }

    /** Enable, then confirm with a code: the page that shows the recovery codes. */
    private HttpResponse<String> confirmEnrolment(HttpSession browser) throws Exception {
        browser.get("/my/profile/two-factor");
        String secret = HttpSession.secretOn(browser.post("/my/profile/two-factor/enable", Map.of()));
        HttpResponse<String> confirmed = browser.post("/my/profile/two-factor/confirm",
                Map.of("code", app.code(secret)));
        assertThat(confirmed.body()).contains("id=\"recovery-codes\"");
        return confirmed;
    }

    private static String token(HttpResponse<String> page) {
        Matcher matcher = TOKEN.matcher(page.body());
        assertThat(matcher.find()).as("an acknowledgement token in the form").isTrue();
        return matcher.group(1);
    }

    private static List<String> codes(HttpResponse<String> page) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(page.body());
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        assertThat(codes).hasSize(8);
        return codes;
    }
}
