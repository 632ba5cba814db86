package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.AppPassword;
import dev.twofactor.EnforcementLevel;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.SecretHasher;
import dev.twofactor.spi.AppPasswordRecord;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §10: HTTP Basic with an app password on the configured API paths. */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class AppPasswordBasicAuthTest {

    private TwoFactorApp app;
    private Browser client;
    private String code;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        NewAppPassword created = app.createAppPassword("alice", "CI server", Set.of("reports:read"));
        code = created.code().replace(" ", "");
        client = app.browser();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void basicWhenAppPasswordRightThenRequestProceedsWithGrantAndNoSession() {
        HttpResponse<String> response = api("alice", code);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("remote=alice", "grant=CI server alice [reports:read]");
        // Not a sign-in: no session is created, and the session-based "signed in user" stays empty.
        assertThat(response.body()).contains("user=-");
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(app.service.appPasswords("alice").get(0).lastUsed()).isPresent();
    }

    @Test
    void basicWhenSessionOfAnotherUserAlsoSentThenOnlyTheAppPasswordOwnerIsSeen() {
        client.signIn("carol", "carol-password");
        assertThat(client.get("/home").body()).contains("user=carol");

        HttpResponse<String> response = api("alice", code);

        // One request, one identity: the session cookie that came along must not make it carol's request too.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("remote=alice", "user=-");
        assertThat(client.get("/home").body()).contains("user=carol");
    }

    @Test
    void basicWhenAppPasswordWrongThen401WithChallengeHeader() {
        HttpResponse<String> response = api("alice", "12345678901234567890");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"twofactor\", charset=\"UTF-8\"");
        assertThat(response.body()).contains("\"error\":\"invalid_app_password\"")
                .doesNotContain("12345678901234567890");
        assertThat(app.applicationHits.get()).isZero();
    }

    @Test
    void basicWhenAppPasswordOfAnotherUserThen401() {
        app.enrol("bob");

        assertThat(api("bob", code).statusCode()).isEqualTo(401);
    }

    @Test
    void basicWhenAppPasswordRevokedThen401() {
        assertThat(api("alice", code).statusCode()).isEqualTo(200);
        String id = app.service.appPasswords("alice").get(0).id();
        TwoFactorApp.success(app.service.revokeAppPassword("alice", id));

        assertThat(api("alice", code).statusCode()).isEqualTo(401);
    }

    @Test
    void basicWhenInBackoffThen401LikeAWrongPasswordAndRightPasswordNotAccepted() {
        // Core answers a closed app-password gate exactly as a wrong password (issue 11, finding 6): a 429 would tell
        // which accounts have app passwords.
        api("alice", "00000000000000000000");
        HttpResponse<String> wrong = api("alice", "00000000000000000000");

        HttpResponse<String> refused = api("alice", code);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(refused.body()).isEqualTo(wrong.body()).contains("\"error\":\"invalid_app_password\"");
        assertThat(app.service.appPasswords("alice").get(0).lastUsed()).isEmpty();
        app.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(api("alice", code).statusCode()).isEqualTo(200);
    }

    @Test
    void basicWhenOwnerDisabledTwoFactorThen401AndAppPasswordGone() {
        assertThat(api("alice", code).statusCode()).isEqualTo(200);

        TwoFactorApp.success(app.service.disable("alice", "alice-password".toCharArray()));

        assertThat(api("alice", code).statusCode()).isEqualTo(401);
        assertThat(app.service.appPasswords("alice")).isEmpty();
    }

    @Test
    void basicWhenOwnerUnenrolledByAdminThen401AndAppPasswordGone() {
        TwoFactorApp.Enrolled root = app.enrol("root");
        assertThat(api("alice", code).statusCode()).isEqualTo(200);

        TwoFactorApp.success(app.service.adminUnenrol("root", app.code(root.secret()), "alice"));

        assertThat(api("alice", code).statusCode()).isEqualTo(401);
        assertThat(app.service.appPasswords("alice")).isEmpty();
    }

    @Test
    void basicWhenEveryoneMustEnrolAndOwnerHasNotThen401() {
        app.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        // An app password stored before the rule held: carol never enrolled.
        String carols = "12345678901234567890";
        app.store.insertAppPassword(new AppPasswordRecord("carol-app", "carol", "Legacy", Set.of(),
                SecretHasher.pbkdf2(1000).hash(carols), app.clock.instant(), null));
        assertThat(app.service.createAppPassword("carol", "New", Set.of()))
                .isEqualTo(Outcome.rejected(Reason.NOT_ENABLED));

        HttpResponse<String> response = api("carol", carols);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"invalid_app_password\"");
        assertThat(app.applicationHits.get()).isZero();
        assertThat(app.service.appPasswords("carol")).extracting(AppPassword::name).containsExactly("Legacy");
    }

    @Test
    void basicWhenHeaderMalformedThen401() {
        for (String header : new String[] {"Basic !!!notbase64", "Basic " + base64("no-colon"),
                "Basic " + base64(":" + code), "Basic "}) {
            HttpResponse<String> response = client.send("GET", "/api/me", Browser.JSON, null, header);
            assertThat(response.statusCode()).as(header).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(header).isPresent();
        }
        assertThat(app.applicationHits.get()).isZero();
    }

    @Test
    void basicWhenPathNotConfiguredForAppPasswordsThenRefusedUnchecked() {
        HttpResponse<String> response = client.send("GET", "/home", Browser.HTML, null,
                "Basic " + base64("alice:" + code));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(app.applicationHits.get()).isZero();
        assertThat(app.service.appPasswords("alice").get(0).lastUsed()).isEmpty();
    }

    private HttpResponse<String> api(String user, String password) {
        return client.send("GET", "/api/me", Browser.JSON, null, "Basic " + base64(user + ":" + password));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
