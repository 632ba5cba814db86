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
 * The starter alone: no filter chain and no screens of the application's own, only {@code twofactor.issuer} and a
 * key. Enrolment, recovery codes and the challenge work over HTTP with the built-in screens.
 */
@SpringBootTest(classes = DefaultsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"twofactor.issuer=Defaults", "spring.datasource.url=jdbc:h2:mem:defaults;DB_CLOSE_DELAY=-1",
                "twofactor.keys=d1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "twofactor.jdbc.create-schema=true"})
class StarterDefaultsHttpTest {

    private static final Totp TOTP = Totp.defaults();

    @LocalServerPort
    int port;

    @Test
    void addingTheStarterGivesWorkingTwoFactorWithBuiltInScreens() {
        FormClient erin = new FormClient(port);
        assertThat(erin.submit("/login", "/login", Map.of("username", "erin", "password", "erin-pw")).statusCode())
                .isEqualTo(302);
        assertThat(erin.get("/").body()).isEqualTo("home");
        assertThat(erin.get("/my/profile/two-factor").body()).contains("id=\"two-factor-state\">Not configured<");

        erin.submit("/my/profile/two-factor", "/my/profile/two-factor/start", Map.of());
        String card = erin.get("/my/profile/two-factor").body();
        assertThat(card).contains(">Pending confirmation<", "<img id=\"qr\" src=\"data:image/png;base64,");
        Matcher secret = Pattern.compile("id=\"secret\">([^<]+)<").matcher(card);
        assertThat(secret.find()).isTrue();
        String code = TOTP.generate(TotpSecret.fromBase32(secret.group(1)), TOTP.currentTimeStep());
        erin.submit("/my/profile/two-factor", "/my/profile/two-factor/confirm", Map.of("code", code));
        card = erin.get("/my/profile/two-factor").body();
        assertThat(card).contains(">Enabled<", "Save these recovery codes — shown ONCE");
        Matcher recovery = Pattern.compile("<li>([0-9A-Z]{4}-[0-9A-Z]{4})</li>").matcher(card);
        assertThat(recovery.find()).isTrue();
        // Shown once: the next rendering no longer has them.
        assertThat(erin.get("/my/profile/two-factor").body()).doesNotContain("id=\"recovery-codes\"");

        FormClient again = new FormClient(port);
        again.submit("/login", "/login", Map.of("username", "erin", "password", "erin-pw"));
        HttpResponse<String> home = again.get("/");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElse("")).contains("/login/two-factor");
        assertThat(again.get("/login/two-factor").body()).contains("Verify and sign in",
                "Lost your phone? Use a recovery code").doesNotContain("rememberDevice");   // off by default
        HttpResponse<String> passed = again.submit("/login/two-factor", "/login/two-factor",
                Map.of("recoveryCode", recovery.group(1)));
        assertThat(passed.statusCode()).isEqualTo(302);
        assertThat(again.get("/").body()).isEqualTo("home");
    }
}
