package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.TrustedDevices;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device cookie itself: its name is an HTTP token up to its exact limits, a device is remembered only when the
 * box is ticked, a browser without the cookie is never sent one (not even a clearing one), and odd cookie headers
 * (three device cookies, a value of a token's length that starts with its dot) show the challenge without error.
 */
class TrustedDeviceCookieTest {

    private static final String COOKIE = TrustedDeviceCookie.DEFAULT_NAME;
    private static final String CHALLENGE = "/app/login/two-factor";

    private TwoFactorApp app;
    private Enrolled alice;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().service(builder -> builder.trustedDevices(true))
                .config(config -> config.trustedDevices(TrustedDeviceCookie.DEFAULT)));
        alice = app.enrol("alice");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private static List<String> deviceCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
    }

    @Test
    void nameIsAnHttpTokenOfOneToSixtyFourCharactersUpToTheEdgesOfEachRange() {
        for (String good : new String[] {"0", "9", "a", "z", "A", "Z", "!#$&'*+-.^_`|~", "x".repeat(64)}) {
            assertThat(TrustedDeviceCookie.named(good).name()).isEqualTo(good);
        }
        // The characters just outside each range: '/' and ':' around the digits, '@' and '[' around the capitals,
        // '{' after the small letters (the backquote before them is a token character).
        for (String bad : new String[] {"/", ":", "@", "[", "{", "x".repeat(65), "a\u007f"}) {
            assertThatThrownBy(() -> TrustedDeviceCookie.named(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDeviceIsRememberedOnlyWhenTheBoxIsTicked() {
        for (String value : new String[] {null, "off", "yes", "ON"}) {
            Browser browser = app.browser();
            browser.signIn("alice", "alice-password");
            Map<String, String> form = value == null ? Map.of("code", app.code(alice.secret()))
                    : Map.of("code", app.code(alice.secret()), TrustedDeviceSignIn.REMEMBER_PARAMETER, value);

            HttpResponse<String> passed = browser.post("/login/two-factor", form);

            assertRedirect(passed, "/app/");
            assertThat(deviceCookies(passed)).as("remember=%s", value).isEmpty();
            app.nextStep();
        }
        assertThat(app.service.trustedDevices().list("alice")).isEmpty();
    }

    @Test
    void aHalfOpenRequestWithoutTheCookieIsNotSentOne() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");

        HttpResponse<String> page = browser.get("/home");

        assertRedirect(page, CHALLENGE);
        assertThat(deviceCookies(page)).isEmpty();
    }

    @Test
    void threeDeviceCookiesOrOneStartingWithItsDotShowTheChallengeWithoutErrorAndMarkNoBrowser() {
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String session = "JSESSIONID=" + browser.sessionId();
        String token = "00000000-0000-4000-8000-000000000000." + "A".repeat(TrustedDevices.TOKEN_LENGTH - 37);
        String dotFirst = "." + "A".repeat(TrustedDevices.TOKEN_LENGTH - 1);

        HttpResponse<String> three = app.browser().getWithCookies("/home",
                session + "; " + COOKIE + "=" + token + "; " + COOKIE + "=" + token + "; " + COOKIE + "=" + token);

        assertRedirect(three, CHALLENGE);
        assertThat(deviceCookies(three)).singleElement().asString().contains("Max-Age=0");
        app.signInWithCode(browser, alice);
        HttpResponse<String> devices = app.browser().getWithCookies("/my/profile/two-factor/devices",
                "JSESSIONID=" + browser.sessionId() + "; " + COOKIE + "=" + dotFirst);
        assertThat(devices.body()).isEqualTo("devices [] this=-");
    }
}
