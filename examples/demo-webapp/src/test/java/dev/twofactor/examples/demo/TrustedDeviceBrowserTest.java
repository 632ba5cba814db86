package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Remember this device for 30 days" in a real browser (Debian's Chromium): remember at the challenge, sign out,
 * sign in with the password only, revoke the device on the two-factor screen, and the challenge is asked again; the
 * same after "Revoke all". Screenshots in {@code target/screenshots/}. Skipped when /usr/bin/chromedriver is missing,
 * except with {@code CI=true}, where that fails.
 */
class TrustedDeviceBrowserTest {

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
    void rememberedDeviceSkipsTheCodeUntilRevoked() throws Exception {
        browser.walk("FAILED-trusted-devices", this::walk);
    }

    private void walk() throws Exception {
        // Enable two-factor authentication; no device is remembered yet.
        browser.signIn("alice", "alice-password");
        browser.open("/my/profile/two-factor");
        browser.click("#enable");
        browser.press("#enter-text");
        String secret = browser.text("#secret");
        browser.type("#code", app.code(secret));
        browser.click("#confirm");
        browser.click("#done");
        assertThat(browser.text("#two-factor-state")).isEqualTo("Enabled");
        assertThat(browser.text("#no-trusted-devices")).isEqualTo("No device is remembered.");
        app.nextStep();
        browser.signOut();

        // The challenge offers "Remember this device for 30 days"; ticked, the code signs in and remembers.
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        assertThat(browser.text("label:has(#remember-device)")).isEqualTo("Remember this device for 30 days");
        assertThat(browser.find("#remember-device").isSelected()).isFalse();
        browser.press("#remember-device");
        browser.type("#code", app.code(secret));
        browser.shot("challenge-remember-device");
        browser.click("#verify");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Alice Member");
        app.nextStep();
        browser.signOut();

        // The next sign-in on this browser needs only the password: no code is asked.
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.text("#welcome")).isEqualTo("Welcome, Alice Member");

        // The two-factor screen lists the device; Revoke.
        browser.open("/my/profile/two-factor");
        assertThat(browser.all("#trusted-device-list .trusted-device")).hasSize(1);
        assertThat(browser.text("#trusted-device-list .device-name")).endsWith("on Linux");
        assertThat(browser.text("#trusted-device-list .this-browser")).isEqualTo("This browser");
        assertThat(browser.text("#trusted-device-list .last-used")).endsWith("UTC");
        assertThat(browser.text("#activity")).contains("Device remembered", "Signed in on a remembered device");
        browser.shot("trusted-devices");
        browser.click("#trusted-device-list .revoke-device");
        assertThat(browser.text("#flash")).endsWith("is no longer remembered: it will be asked for a code at the next"
                + " sign-in.");
        assertThat(browser.text("#no-trusted-devices")).isEqualTo("No device is remembered.");
        browser.signOut();

        // Revoked: the challenge is asked again.
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        browser.shot("challenge-after-revoke");

        // Remember again, then "Revoke all": asked again too.
        browser.press("#remember-device");
        browser.type("#code", app.code(secret));
        browser.click("#verify");
        app.nextStep();
        browser.open("/my/profile/two-factor");
        assertThat(browser.all("#trusted-device-list .trusted-device")).hasSize(1);
        browser.click("#revoke-all-devices");
        assertThat(browser.text("#flash")).isEqualTo("1 device is no longer remembered.");
        browser.signOut();
        browser.signIn("alice", "alice-password");
        assertThat(browser.path()).isEqualTo("/login/two-factor");
    }
}
