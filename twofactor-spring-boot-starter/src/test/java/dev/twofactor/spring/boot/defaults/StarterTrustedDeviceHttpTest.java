package dev.twofactor.spring.boot.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter alone with {@code twofactor.trusted-devices.enabled=true}: the built-in challenge screen offers
 * "Remember this device", and a remembered browser's next sign-in needs only the password.
 */
@SpringBootTest(classes = DefaultsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"twofactor.issuer=Defaults",
                "spring.datasource.url=jdbc:h2:mem:defaults-devices;DB_CLOSE_DELAY=-1",
                "twofactor.keys=d1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "twofactor.jdbc.create-schema=true",
                "twofactor.trusted-devices.enabled=true", "twofactor.trusted-devices.cookie-name=acme_device"})
class StarterTrustedDeviceHttpTest {

    private static final Totp TOTP = Totp.defaults();
    private static final Map<String, String> ERIN = Map.of("username", "erin", "password", "erin-pw");

    @LocalServerPort
    int port;

    @Test
    void builtInChallengeOffersRememberThisDeviceAndTheRememberedBrowserSkipsIt() {
        FormClient erin = new FormClient(port);
        erin.submit("/login", "/login", ERIN);
        erin.submit("/my/profile/two-factor", "/my/profile/two-factor/start", Map.of());
        Matcher secret = Pattern.compile("id=\"secret\">([^<]+)<").matcher(erin.get("/my/profile/two-factor").body());
        assertThat(secret.find()).isTrue();
        TotpSecret key = TotpSecret.fromBase32(secret.group(1));
        erin.submit("/my/profile/two-factor", "/my/profile/two-factor/confirm",
                Map.of("code", TOTP.generate(key, TOTP.currentTimeStep())));
        Matcher recovery = Pattern.compile("<li>([0-9A-Z]{4}-[0-9A-Z]{4})</li>")
                .matcher(erin.get("/my/profile/two-factor").body());
        assertThat(recovery.find()).isTrue();

        FormClient browser = new FormClient(port);
        browser.submit("/login", "/login", ERIN);
        String challenge = browser.get("/login/two-factor").body();
        assertThat(challenge).contains("<input type=\"checkbox\" name=\"rememberDevice\" value=\"on\"",
                "Remember this device for 30 days");
        assertThat(challenge.split("name=\"rememberDevice\"", -1)).as("in both forms").hasSize(3);
        // The recovery-code form (the confirming code was this time step's code, now used).
        HttpResponse<String> passed = browser.submit("/login/two-factor", "/login/two-factor",
                Map.of("recoveryCode", recovery.group(1), "rememberDevice", "on"));
        assertThat(passed.statusCode()).isEqualTo(302);
        assertThat(browser.cookie("acme_device")).hasSize(80);

        // Signed out, and in again with the password only: the remembered browser is not challenged.
        assertThat(browser.get("/").body()).isEqualTo("home");
        browser.submit("/my/profile/two-factor", "/logout", Map.of());
        assertThat(browser.get("/").statusCode()).isEqualTo(302);
        browser.submit("/login", "/login", ERIN);
        HttpResponse<String> home = browser.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).isEqualTo("home");

        // A browser without the cookie still is.
        FormClient other = new FormClient(port);
        other.submit("/login", "/login", ERIN);
        assertThat(other.get("/").statusCode()).isEqualTo(302);
    }
}
