package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Every flow of the demo in a real browser (Debian's Chromium), with a screenshot of each state in
 * {@code target/screenshots/}. Codes are computed with the SDK's {@code Totp} from the secret the page shows; the
 * application's clock is moved on by the test instead of waiting for the next 30-second step. Skipped when
 * /usr/bin/chromedriver is missing, except with {@code CI=true}, where that fails.
 */
class DemoBrowserTest {

    private TestApp app;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        Browser.requireInstalled();
        app = TestApp.start();
        browser = new Browser(app);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyFlowWorksInTheBrowser() throws Exception {
        browser.walk("FAILED", this::walkEveryFlow);
    }

    private void walkEveryFlow() throws Exception {
        // Sign-in, the card "Not configured", enable: QR, the secret behind "enter the text", a wrong code.
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/login");
        browser.shot("sign-in");
        browser.signIn("alice", "alice-password");
        browser.open("/my/profile/two-factor");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Not configured");
        browser.shot("card-not-configured");
        browser.click("#enable");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Pending confirmation");
        assertThat(browser.find("img#qr").getAttribute("src")).startsWith("data:image/png;base64,");
        browser.press("#enter-text");
        String secret = browser.text("#secret");
        assertThat(secret).matches("([A-Z2-7]{4} )+[A-Z2-7]{1,4}");
        browser.shot("enable-qr-and-secret");
        browser.type("#code", "000000");
        browser.click("#confirm");
        assertThat(browser.text("#error-message")).isEqualTo("That code did not match");
        browser.press("#enter-text");
        assertThat(browser.text("#secret")).isEqualTo(secret);
        browser.shot("enable-wrong-code");

        // Confirm and enable: the green message and the amber panel with 8 codes, shown once.
        browser.type("#code", app.code(secret));
        browser.click("#confirm");
        assertThat(browser.text("#success-message")).isEqualTo(
                "Two-factor authentication is now active. Save your recovery codes — they're shown once.");
        assertThat(browser.text("#recovery-panel h2")).isEqualTo("Save these recovery codes — shown ONCE");
        List<String> codes = texts("#recovery-codes li");
        assertThat(codes).hasSize(8).allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"));
        assertThat(browser.text("#copy-codes")).isEqualTo("Copy all codes");
        assertThat(browser.text("#download-codes")).isEqualTo("Download");
        browser.shot("recovery-codes-shown-once");
        browser.click("#done");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        assertThat(browser.text("#codes-left")).isEqualTo("8 of 8");
        assertThat(browser.text("#enabled-since")).isEqualTo("1 December 2026");
        assertThat(browser.all("#recovery-codes")).isEmpty();
        browser.shot("card-enabled");

        // Sign out, sign in with a code; the same code again is refused.
        app.nextStep();
        browser.signOut();
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        assertThat(browser.text("#challenge h1")).isEqualTo("Two-factor verification");
        assertThat(browser.text("#challenge .lead")).isEqualTo("Password accepted. Enter your code to continue.");
        browser.shot("challenge");
        String used = app.code(secret);
        browser.type("#code", used);
        browser.click("#verify");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Alice Member");
        browser.signOut();
        browser.signIn("alice", "alice-password");
        browser.type("#code", used);
        browser.click("#verify");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        assertThat(browser.text("#error-message"))
                .isEqualTo("That code was already used. Wait for the next code from your authenticator app.");
        browser.shot("challenge-replayed-code-refused");

        // A recovery code signs in once; the second time it is refused; then the backoff answers 429.
        assertThat(browser.text("#use-recovery")).isEqualTo("Lost your phone? Use a recovery code");
        browser.click("#use-recovery");
        browser.type("#recoveryCode", codes.get(0).toLowerCase());
        browser.shot("challenge-recovery-code");
        browser.click("#use-recovery-code");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Alice Member");
        browser.signOut();
        browser.signIn("alice", "alice-password");
        browser.click("#use-recovery");
        browser.type("#recoveryCode", codes.get(0));
        browser.click("#use-recovery-code");
        assertThat(browser.text("#error-message")).isEqualTo("That recovery code did not match");
        browser.shot("recovery-code-used-twice-refused");
        browser.type("#recoveryCode", codes.get(0));
        browser.click("#use-recovery-code");
        browser.type("#recoveryCode", codes.get(1));
        browser.click("#use-recovery-code");
        assertThat(browser.text("#message h1")).isEqualTo("Please wait");
        assertThat(browser.text("#message-text")).isEqualTo("Too many failed attempts. Try again in 1 second.");
        browser.shot("backoff-429");
        app.clock.advance(Duration.ofSeconds(31));
        browser.open("/login/two-factor");
        browser.type("#code", app.code(secret));
        browser.click("#verify");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Alice Member");

        // Regenerate: the confirm text, then 8 new codes; the old ones stop working.
        browser.open("/my/profile/two-factor");
        assertThat(browser.text("#codes-left")).isEqualTo("7 of 8");
        browser.click("#regenerate");
        assertThat(browser.text("#confirm-text"))
                .isEqualTo("Generate new recovery codes? Old codes will stop working immediately.");
        browser.shot("regenerate-confirm");
        browser.click("#confirm-button");
        List<String> fresh = texts("#recovery-codes li");
        assertThat(fresh).hasSize(8).doesNotContainAnyElementsOf(codes);
        browser.shot("regenerated-codes");
        assertThat(app.app.service().redeemRecoveryCode("alice", codes.get(2)).succeeded()).isFalse();

        // Step-up: after the window the settings are locked; "Unlock settings" with a code.
        app.clock.advance(Duration.ofMinutes(6));
        browser.open("/my/profile/two-factor");
        assertThat(browser.all("#regenerate")).isEmpty();
        assertThat(browser.text("#unlock-box")).contains("This step isn't necessary if you recently verified");
        browser.shot("settings-locked");
        browser.click("#unlock");
        browser.click("#tab-code");
        browser.shot("unlock-settings");
        browser.type("#code", app.code(secret));
        browser.click("#unlock-submit");
        assertThat(browser.text("#flash")).startsWith("Settings unlocked.");
        assertThat(browser.all("#regenerate")).hasSize(1);
        app.nextStep();

        // App password: Limited access, shown once, used over /api/ with HTTP Basic, last use listed, revoked.
        browser.open("/my/profile/app-passwords");
        browser.type("#name", "CI server");
        browser.press("#access-limited");
        browser.press("#permission-projects-read");
        browser.click("#create-app-password");
        String appPassword = browser.text("#app-password");
        assertThat(appPassword).matches("\\d{4}( \\d{4}){4}");
        browser.shot("app-password-shown-once");
        HttpResponse<String> me = api("/api/me", "alice", appPassword);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"appPassword\":\"CI server\"", "\"access\":\"limited\"",
                "\"permissions\":[\"projects:read\"]");
        assertThat(api("/api/projects", "alice", appPassword).statusCode()).isEqualTo(200);
        assertThat(api("/api/me", "alice", "0000 0000 0000 0000 0000").statusCode()).isEqualTo(401);
        browser.open("/my/profile/app-passwords");
        assertThat(browser.text("#app-password-list .last-used")).isNotEqualTo("Never used");
        assertThat(browser.all("#app-password")).isEmpty();
        browser.shot("app-password-list");
        browser.click("#app-password-list button");
        assertThat(browser.text("#flash")).contains("was revoked");
        assertThat(api("/api/me", "alice", appPassword).statusCode()).isEqualTo(401);
        browser.open("/my/profile/two-factor");
        assertThat(browser.text("#activity")).contains("Application password created", "Application password used",
                "Application password revoked", "Settings unlocked", "Failed verification");
        browser.shot("security-activity");
        browser.signOut();

        // The administrator enrols, then requires MFA for everyone, one emergency key, acknowledgement.
        browser.signIn("admin", "admin-password");
        browser.open("/my/profile/two-factor");
        browser.click("#enable");
        browser.press("#enter-text");
        String adminSecret = browser.text("#secret");
        browser.type("#code", app.code(adminSecret));
        browser.click("#confirm");
        browser.click("#done");
        app.nextStep();
        browser.open("/admin/settings/security");
        browser.press("#require-everyone");
        browser.press("#emergency-key-policy");
        browser.press("#require-acknowledgement");
        browser.click("#save-policy");
        assertThat(browser.text("#flash")).isEqualTo("Security settings saved.");
        browser.shot("admin-security-settings");
        browser.signOut();

        // The policy redirect: bob must enrol; every page sends him to the card.
        browser.signIn("bob", "bob-password");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        assertThat(browser.text("#policy-message")).isEqualTo(
                "Two-factor authentication is required by your organisation. Set it up to continue.");
        browser.shot("policy-redirect");
        browser.click("#enable");
        browser.press("#enter-text");
        String bobSecret = browser.text("#secret");
        browser.type("#code", app.code(bobSecret));
        browser.click("#confirm");
        assertThat(browser.text("#recovery-panel h2")).isEqualTo("Save this emergency recovery key — shown ONCE");
        List<String> key = texts("#recovery-codes li");
        assertThat(key).hasSize(1);
        assertThat(browser.find("#saved").isSelected()).isFalse();
        assertThat(browser.text("#awaiting-acknowledgement")).contains("I have saved my recovery codes");
        browser.press("#copy-codes");
        assertThat(browser.find("#saved").isSelected()).isTrue();
        browser.shot("emergency-key-acknowledge");
        browser.click("#done");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        browser.open("/");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Bob Member");
        browser.signOut();

        // The emergency key: "Can't use your mobile device?", then the replacement key shown once.
        app.nextStep();
        browser.signIn("bob", "bob-password");
        assertThat(browser.text("#use-recovery")).isEqualTo("Can't use your mobile device?");
        browser.click("#use-recovery");
        browser.type("#recoveryCode", key.get(0));
        browser.click("#use-recovery-code");
        assertThat(browser.text("#recovery-panel h1")).isEqualTo("Save this emergency recovery key — shown ONCE");
        List<String> replacement = texts("#recovery-codes li");
        assertThat(replacement).hasSize(1).doesNotContain(key.get(0));
        browser.shot("emergency-key-replaced");
        browser.click("#continue");
        browser.open("/my/profile/two-factor");
        browser.click("#new-emergency-key");
        assertThat(texts("#recovery-codes li")).hasSize(1).doesNotContain(replacement.get(0));
        browser.shot("new-emergency-key");
        browser.signOut();

        // Admin unenrol of bob, with the administrator's own current code.
        browser.signIn("admin", "admin-password");
        browser.type("#code", app.code(adminSecret));
        browser.click("#verify");
        app.nextStep();
        browser.open("/admin/settings/security");
        assertThat(browser.text("#user-admin")).contains("This is you");
        browser.type("#user-bob input[name=code]", app.code(adminSecret));
        browser.click(browser.find("#user-bob button.btn-danger-outline"));
        assertThat(browser.text("#flash")).startsWith("Two-factor authentication was removed from bob");
        assertThat(browser.text("#user-bob .badge")).isEqualTo("Not configured");
        browser.shot("admin-unenrolled-bob");
        assertThat(app.app.service().status("bob").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
        browser.signOut();

        // Disable: a wrong "Current password" is refused; the right one disables, and the policy sends alice back.
        app.nextStep();
        browser.signIn("alice", "alice-password");
        browser.type("#code", app.code(secret));
        browser.click("#verify");
        browser.open("/my/profile/two-factor");
        browser.press("#disable-toggle");
        browser.type("#current-password", "wrong-password");
        browser.click("#disable");
        assertThat(browser.text("#error-message")).isEqualTo("Password did not match. Two-factor remains enabled.");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        browser.shot("disable-wrong-password");
        browser.type("#current-password", "alice-password");
        browser.click("#disable");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Not configured");
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/my/profile/two-factor");
        assertThat(browser.text("#policy-message")).startsWith("Two-factor authentication is required");
        browser.shot("disabled-policy-sends-back");
    }

    private List<String> texts(String css) {
        return browser.all(css).stream().map(WebElement::getText).toList();
    }

    private HttpResponse<String> api(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri(path).toString()))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
