package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enrolment flows the browser test does not walk: reload and leave the pending screen, change app, reset a lock, the
 * admin table's recovery column under each policy.
 */
class EnrolmentFlowHttpTest {


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
    void reloadShowsTheSamePendingSecretAndLeavingDiscardsIt() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.get("/my/profile/two-factor");
        String minted = HttpSession.secretOn(browser.post("/my/profile/two-factor/enable", Map.of()));

        String reloaded = HttpSession.secretOn(browser.get("/my/profile/two-factor"));
        assertThat(reloaded).isEqualTo(minted);
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);

        browser.get("/");
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        HttpResponse<String> late = browser.post("/my/profile/two-factor/confirm", Map.of("code", app.code(minted)));
        assertThat(HttpSession.location(late)).isEqualTo("/my/profile/two-factor");
        assertThat(browser.get("/my/profile/two-factor").body())
                .contains("No pending enrollment. Click \"Enable\" to start over");
    }

    @Test
    void changeAuthenticationAppKeepsTheOldOneUntilTheNewOneIsConfirmed() throws Exception {
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        String old = browser.enrol();

        String fresh = HttpSession.secretOn(browser.post("/my/profile/two-factor/change", Map.of()));
        assertThat(fresh).isNotEqualTo(old);
        assertThat(app.app.service().status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
        HttpResponse<String> changed = browser.post("/my/profile/two-factor/confirm", Map.of("code", app.code(fresh)));
        app.nextStep();

        assertThat(HttpSession.location(changed)).isEqualTo("/my/profile/two-factor");
        assertThat(browser.get("/my/profile/two-factor").body()).contains("Your authentication app was changed.");
        assertThat(app.app.service().verifyCode("alice", app.code(old)).succeeded()).isFalse();
        app.nextStep();
        assertThat(app.app.service().verifyCode("alice", app.code(fresh)).succeeded()).isTrue();
    }

    @Test
    void adminResetLiftsAUsersBackoff() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        String adminSecret = admin.enrol();
        HttpSession setup = new HttpSession(app);
        setup.signIn("alice", "alice-password");
        String secret = setup.enrol();
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        alice.get("/login/two-factor");
        alice.post("/login/two-factor", Map.of("code", "000000"));
        alice.post("/login/two-factor", Map.of("code", "000000"));

        HttpResponse<String> limited = alice.post("/login/two-factor", Map.of("code", app.code(secret)));
        admin.get("/admin/settings/security");
        HttpResponse<String> reset = admin.post("/admin/settings/security/reset",
                Map.of("userId", "alice", "code", app.code(adminSecret)));
        HttpResponse<String> passed = alice.post("/login/two-factor", Map.of("code", app.code(secret)));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(limited.body()).contains("Too many failed attempts. Try again in 1 second.");
        assertThat(HttpSession.location(reset)).isEqualTo("/admin/settings/security");
        assertThat(HttpSession.location(passed)).isEqualTo("/");
    }

    @Test
    void signInAsADifferentUserEndsTheHalfOpenSignIn() throws Exception {
        HttpSession setup = new HttpSession(app);
        setup.signIn("alice", "alice-password");
        setup.enrol();
        HttpSession browser = new HttpSession(app);
        browser.signIn("alice", "alice-password");
        browser.get("/login/two-factor");

        HttpResponse<String> cancelled = browser.post("/login/two-factor/cancel", Map.of());

        assertThat(HttpSession.location(cancelled)).isEqualTo("/login");
        assertThat(HttpSession.location(browser.get("/login/two-factor"))).isEqualTo("/login");
        assertThat(HttpSession.location(browser.get("/my/profile/two-factor"))).isEqualTo("/login");
    }

    @Test
    void duringTheGracePeriodPagesStayOpenAndRemindWithTheDeadline() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        admin.enrol();
        admin.get("/admin/settings/security");
        admin.post("/admin/settings/security/policy", Map.of("everyone", "on", "graceHours", "24",
                "recovery", "codes"));
        HttpSession bob = new HttpSession(app);
        bob.signIn("bob", "bob-password");

        HttpResponse<String> home = bob.get("/");
        app.clock.advance(Duration.ofHours(25));
        HttpResponse<String> afterGrace = bob.get("/");

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Set it up before 2 Dec 2026, 09:00 UTC.");
        assertThat(HttpSession.location(afterGrace)).isEqualTo("/my/profile/two-factor");
    }

    @Test
    void aUserThePolicyNewlyRequiresSeesItInTheirSecurityActivity() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        admin.enrol();
        admin.get("/admin/settings/security");
        admin.post("/admin/settings/security/policy", Map.of("everyone", "on", "graceHours", "0",
                "recovery", "codes"));
        HttpSession bob = new HttpSession(app);
        bob.signIn("bob", "bob-password");

        HttpResponse<String> card = bob.get("/my/profile/two-factor");

        assertThat(card.statusCode()).isEqualTo(200);
        assertThat(card.body()).contains(
                "<span class=\"activity-title\">Two-factor authentication required by your organisation</span>");
    }

    @Test
    void adminUsersTableShowsRecoveryInTheTermsOfTheCurrentPolicy() throws Exception {
        HttpSession admin = new HttpSession(app);
        admin.signIn("admin", "admin-password");
        admin.enrol();
        String underCodes = row(admin.get("/admin/settings/security"), "admin");
        admin.post("/admin/settings/security/policy", Map.of("graceHours", "0", "recovery", "emergency"));
        HttpSession alice = new HttpSession(app);
        alice.signIn("alice", "alice-password");
        alice.enrol();

        HttpResponse<String> table = admin.get("/admin/settings/security");

        assertThat(underCodes).contains("<td>8 of 8 left</td>");
        assertThat(row(table, "alice")).contains("<td>Emergency key</td>").doesNotContain("left");
        assertThat(row(table, "admin")).contains("<td>8 codes (earlier policy)</td>");
        assertThat(row(table, "bob")).contains("<td>—</td>").contains("No second factor to remove or reset")
                .doesNotContain("Unenrol");
    }

    private static String row(HttpResponse<String> page, String userId) {
        Matcher matcher = Pattern.compile("<tr id=\"user-" + userId + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(page.body());
        assertThat(matcher.find()).as("a row for %s", userId).isTrue();
        return matcher.group(1);
    }
}
