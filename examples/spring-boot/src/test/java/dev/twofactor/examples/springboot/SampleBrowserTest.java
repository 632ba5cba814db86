package dev.twofactor.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The sample's flows in a real browser (Debian's Chromium), with a screenshot of each state in
 * {@code target/screenshots/}. Codes are computed with the SDK's {@link Totp} from the key the page shows; the
 * service's clock (a settable {@code Clock} bean) is moved on instead of waiting for the next 30-second step or the
 * end of the step-up window. Skipped when /usr/bin/chromedriver is missing, except with {@code CI=true}, where that
 * fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:twofactor-sample-browser;DB_CLOSE_DELAY=-1")
@Import(SampleBrowserTest.SettableClock.class)
class SampleBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    private Browser browser;

    @TestConfiguration(proxyBeanMethods = false)
    static class SettableClock {
        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.now());
        }
    }

    @BeforeEach
    void start() throws Exception {
        Browser.requireInstalled();
        browser = new Browser(port);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void everyFlowWorksInTheBrowser() throws Exception {
        try {
            walkEveryFlow();
        } catch (AssertionError | RuntimeException e) {
            browser.shot("FAILED");
            throw new AssertionError("at " + browser.driver.getCurrentUrl() + ": " + e.getMessage() + "\n"
                    + browser.find("body").getText(), e);
        }
    }

    private void walkEveryFlow() throws Exception {
        // Form login, then the card: enable shows the QR code and the key; the app's code enables it.
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/login");
        browser.shot("sign-in");
        browser.signIn("alice", "alice-password");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, alice");
        browser.open("/my/profile/two-factor");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Not configured");
        browser.shot("card-not-configured");
        browser.click("#enable");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Pending confirmation");
        assertThat(browser.find("img#qr").getAttribute("src")).startsWith("data:image/png;base64,");
        String secret = browser.text("#secret");
        assertThat(secret).matches("([A-Z2-7]{4} )+[A-Z2-7]{1,4}");
        browser.shot("enable-qr-and-key");
        browser.type("#code", "000000");
        browser.click("#confirm");
        assertThat(browser.text("#error")).isEqualTo("That code did not match");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Pending confirmation");
        browser.type("#code", code(secret));
        browser.click("#confirm");

        // The recovery codes are shown once: a reload of the card no longer has them.
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        List<String> codes = browser.texts("#recovery-codes li");
        assertThat(codes).hasSize(8).allMatch(code -> code.matches("[0-9A-Z]{4}-[0-9A-Z]{4}"));
        browser.shot("enabled-recovery-codes-shown-once");
        browser.open("/my/profile/two-factor");
        assertThat(browser.present("#recovery-codes")).isFalse();
        assertThat(browser.text("#enabled-summary")).endsWith("8 recovery codes left.");
        // The confirming code counted as the second factor: the home page, no challenge.
        browser.open("/");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, alice");

        // Sign out and in: only the challenge is reachable until a code passes; the same code again is refused.
        clock.advance(Duration.ofSeconds(30));
        browser.signOut();
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        browser.open("/my/profile/app-passwords");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        browser.shot("challenge");
        String used = code(secret);
        browser.type("#code", used);
        browser.click("#verify");
        assertThat(browser.path()).isEqualTo("/my/profile/app-passwords");
        browser.signOut();
        browser.signIn("alice", "alice-password");
        browser.type("#code", used);
        browser.click("#verify");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        assertThat(browser.text("#error"))
                .isEqualTo("That code was already used. Wait for the next code from your authenticator app.");
        browser.shot("challenge-replayed-code-refused");

        // A recovery code signs in instead (lower case is fine), and says how many are left.
        browser.press("#use-recovery");
        browser.type("#recoveryCode", codes.get(0).toLowerCase());
        browser.shot("challenge-recovery-code");
        browser.click("#use-recovery-code");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, alice");
        assertThat(browser.text("#remaining")).isEqualTo("Recovery code used. 7 recovery codes left.");
        browser.shot("signed-in-with-recovery-code");

        // Step-up: after the 5-minute window, the app passwords (a step-up path) ask for a verification first.
        clock.advance(Duration.ofMinutes(5).plusSeconds(30));
        browser.open("/my/profile/app-passwords");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor/unlock");
        browser.shot("step-up");
        browser.type("#code", code(secret));
        browser.click("#unlock-code");
        assertThat(browser.path()).isEqualTo("/my/profile/app-passwords");
        browser.type("#name", "CI server");
        browser.click("#create-app-password");

        // The app password, shown once, works over HTTP Basic on /api only.
        String appPassword = browser.text("#app-password");
        assertThat(appPassword).isNotBlank();
        browser.shot("app-password-shown-once");
        HttpResponse<String> me = basic("/api/me", "alice", appPassword);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"user\":\"alice\"", "FACTOR_APP_PASSWORD");
        assertThat(basic("/api/me", "alice", "0000 0000 0000 0000 0000").statusCode()).isEqualTo(401);
        assertThat(basic("/", "alice", appPassword).headers().firstValue("Location").orElse("")).endsWith("/login");
        browser.open("/my/profile/app-passwords");
        assertThat(browser.present("#app-password")).isFalse();
        assertThat(browser.text("#app-password-list")).contains("CI server");
        browser.shot("app-password-list");
        browser.signOut();

        // The policy: the administrator requires MFA for everyone (a sensitive screen: step-up with the password).
        browser.signIn("admin", "admin-password");
        browser.open("/admin/settings/security");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor/unlock");
        browser.type("#password", "wrong-password");
        browser.click("#unlock-password");
        assertThat(browser.text("#error")).isEqualTo("Password did not match.");
        browser.shot("step-up-wrong-password");
        browser.type("#password", "admin-password");
        browser.click("#unlock-password");
        assertThat(browser.path()).isEqualTo("/admin/settings/security");
        browser.press("#level-EVERYONE");
        browser.shot("admin-security-settings");
        browser.click("#save-policy");
        // The policy applies to the administrator too: straight to the enrolment screen.
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        assertThat(browser.text("#policy"))
                .isEqualTo("Two-factor authentication is required by your organisation. Set it up to continue.");
        browser.signOut();

        // Bob has no 2FA: every page sends him to the enrolment screen.
        browser.signIn("bob", "bob-password");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        assertThat(browser.text("#policy")).startsWith("Two-factor authentication is required");
        browser.shot("policy-redirect");
        browser.signOut();

        // Disable: a wrong current password is refused; the right one disables, and the policy sends alice back.
        clock.advance(Duration.ofSeconds(30));
        browser.signIn("alice", "alice-password");
        browser.type("#code", code(secret));
        browser.click("#verify");
        browser.open("/my/profile/two-factor");
        browser.type("#current-password", "wrong-password");
        browser.click("#disable");
        assertThat(browser.text("#error")).isEqualTo("Password did not match. Two-factor remains enabled.");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        browser.shot("disable-wrong-password");
        browser.type("#current-password", "alice-password");
        browser.click("#disable");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Not configured");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        assertThat(browser.text("#policy")).startsWith("Two-factor authentication is required");
        browser.shot("disabled-policy-sends-back");
        // The app password went with 2FA.
        assertThat(basic("/api/me", "alice", appPassword).statusCode()).isEqualTo(401);
    }

    private String code(String secret) {
        return Totp.defaults().generateAt(TotpSecret.fromBase32(secret), clock.instant());
    }

    private HttpResponse<String> basic(String path, String user, String password) throws Exception {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
