package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorState;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: "I have saved my recovery codes" can only be given from the page that received the codes: it needs the
 * one-shot token sent with them, which a reload (which loses the codes) does not bring back.
 */
class RecoveryCodeAcknowledgementTest {

    private TwoFactorApp app;
    private Browser carol;
    private String token;

    @BeforeEach
    void confirm() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options()
                .service(b -> b.requireRecoveryCodeAcknowledgement(true)));
        carol = app.browser();
        carol.signIn("carol", "carol-password");
        String secret = carol.post("/my/profile/two-factor/start", Map.of()).body();
        String code = Totp.defaults().generateAt(TotpSecret.fromBase32(secret), app.clock.instant());
        String confirmed = carol.post("/my/profile/two-factor/confirm-codes", Map.of("code", code)).body();
        assertThat(confirmed).startsWith("confirmed PENDING_CONFIRMATION token=").endsWith(" codes=8");
        token = confirmed.substring(confirmed.indexOf("token=") + 6, confirmed.indexOf(" codes="));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void acknowledgeWithTheTokenFromThePageWithTheCodesThenEnabled() {
        HttpResponse<String> acknowledged = carol.postJson("/outcome/acknowledge",
                Map.of(TwoFactorSignIn.ACKNOWLEDGEMENT_TOKEN_PARAMETER, token));

        assertThat(acknowledged.statusCode()).isEqualTo(204);
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.ENABLED);
        // The session confirmed it: no challenge now, and none once the filter reads the requirement again (past
        // requirementMaxAge), which it would owe a session that had not proved the new factor.
        assertThat(carol.get("/home").body()).contains("user=carol");
        app.clock.advance(SessionFacts.DEFAULT_MAX_AGE.plusSeconds(1));
        assertThat(carol.get("/home").body()).contains("user=carol");
    }

    @Test
    void acknowledgeAfterAReloadLostTheCodesThenRefusedAndTheUserIsNotEnabled() {
        carol.get("/my/profile/two-factor"); // the reload: the codes and the token are gone

        HttpResponse<String> refused = carol.postJson("/outcome/acknowledge", Map.of());
        HttpResponse<String> guessed = carol.postJson("/outcome/acknowledge",
                Map.of(TwoFactorSignIn.ACKNOWLEDGEMENT_TOKEN_PARAMETER, "00000000-0000-4000-8000-000000000000"));

        for (HttpResponse<String> answer : java.util.List.of(refused, guessed)) {
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.body()).contains("\"error\":\"nothing_to_acknowledge\"");
        }
        assertThat(app.status("carol").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        assertThat(app.status("carol").awaitingAcknowledgement()).isTrue();
    }
}
