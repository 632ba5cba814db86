package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a reload of the enrolment page within the pending TTL shows the same secret, so the code of the app the
 * user already scanned into matches, instead of "That code did not match" against a re-minted secret.
 */
class PendingEnrolmentReloadTest {

    private TwoFactorApp app;
    private Browser carol;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        carol = app.browser();
        carol.signIn("carol", "carol-password");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void reloadOfThePageAndRepostOfTheStartThenTheSameSecretAndItsCodeConfirms() {
        String secret = carol.post("/my/profile/two-factor/start", Map.of()).body();
        app.clock.advance(Duration.ofMinutes(3));

        assertThat(carol.get("/my/profile/two-factor/pending").body()).isEqualTo("pending " + secret);
        assertThat(carol.post("/my/profile/two-factor/start", Map.of()).body()).isEqualTo(secret);

        String code = Totp.defaults().generateAt(TotpSecret.fromBase32(secret), app.clock.instant());
        assertThat(carol.post("/my/profile/two-factor/confirm", Map.of("code", code)).body())
                .isEqualTo("confirmed ENABLED");
    }

    @Test
    void reloadAfterTheTtlThenTheEnableButtonAndANewStartMintsAFreshSecret() {
        String secret = carol.post("/my/profile/two-factor/start", Map.of()).body();
        app.clock.advance(Duration.ofMinutes(10));

        assertThat(carol.get("/my/profile/two-factor/pending").body()).isEqualTo("enable button");
        assertThat(carol.post("/my/profile/two-factor/start", Map.of()).body()).isNotEqualTo(secret);
    }

    @Test
    void anotherSessionOfTheSameUserThenNotShownTheSecretThisSessionStarted() {
        String secret = carol.post("/my/profile/two-factor/start", Map.of()).body();
        Browser other = app.browser();
        other.signIn("carol", "carol-password");

        HttpResponse<String> page = other.get("/my/profile/two-factor/pending");

        assertThat(page.body()).isEqualTo("enable button").doesNotContain(secret);
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
    }
}
