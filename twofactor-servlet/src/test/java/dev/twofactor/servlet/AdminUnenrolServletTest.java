package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorState;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §9 admin unenrol as REST: 204 done, 400 no enrollment, 404 no user, 401 bad code or no session. */
class AdminUnenrolServletTest {

    private static final String UNENROL = "/admin/two-factor/unenrol";

    private TwoFactorApp app;
    private Enrolled root;
    private Browser admin;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        root = app.enrol("root");
        app.enrol("alice");
        admin = app.browser();
        app.signInWithCode(admin, root);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void unenrolWhenAdministratorWithCurrentCodeThen204AndUserUnenrolled() {
        HttpResponse<String> done = unenrol(admin, "alice", app.code(root.secret()));

        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(done.body()).isEmpty();
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void unenrolWhenUserHasNoEnrollmentThen400WithMessage() {
        HttpResponse<String> response = unenrol(admin, "carol", app.code(root.secret()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"no_enrollment\"",
                "\"message\":\"No enrollment found for this user.\"");
    }

    @Test
    void unenrolWhenUnknownUserThen404() {
        HttpResponse<String> response = unenrol(admin, "mallory", app.code(root.secret()));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"unknown_user\"");
    }

    @Test
    void unenrolWhenAdministratorCodeWrongThen401AndNothingChanged() {
        HttpResponse<String> response = unenrol(admin, "alice",
                ChallengeBackoffTest.wrongCode(app.code(root.secret())));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"wrong_code\"");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void unenrolWhenNoSessionThen401() {
        HttpResponse<String> response = unenrol(app.browser(), "alice", app.code(root.secret()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"not_signed_in\"");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void unenrolWhenAdministratorSessionHalfOpenThen401FromTheFilter() {
        Browser halfOpen = app.browser();
        halfOpen.signIn("root", "root-password");

        HttpResponse<String> response = unenrol(halfOpen, "alice", app.code(root.secret()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"two_factor_required\"");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void unenrolWhenSignedInUserNotAdministratorThen403() {
        Enrolled bob = app.enrol("bob");
        Browser user = app.browser();
        app.signInWithCode(user, bob);

        HttpResponse<String> response = unenrol(user, "alice", app.code(bob.secret()));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void unenrolWhenFieldsMissingThen400() {
        HttpResponse<String> response = admin.postJson(UNENROL, Map.of("userId", "alice"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"bad_request\"");
    }

    @Test
    void deleteWithTotpCodeBodyWhenAdministratorThen204AndUserUnenrolled() {
        HttpResponse<String> done = admin.sendBody("DELETE", UNENROL + "/alice", "application/json",
                "{\"totpCode\": \"" + app.code(root.secret()) + "\"}");

        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(done.body()).isEmpty();
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void deleteWhenUserGivenAsQueryParameterThen204() {
        HttpResponse<String> done = admin.sendBody("DELETE", UNENROL + "?userId=alice",
                "application/json; charset=UTF-8",
                "{\"totpCode\":\"" + app.code(root.secret()) + "\"}");

        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.NOT_CONFIGURED);
    }

    @Test
    void deleteAnswersAsThePostFormDoes() {
        assertThat(delete("carol", app.code(root.secret())))
                .returns(400, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString()
                .contains("\"error\":\"no_enrollment\"", "\"message\":\"No enrollment found for this user.\"");
        app.nextStep();   // each accepted administrator code is used up
        assertThat(delete("mallory", app.code(root.secret())))
                .returns(404, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString().contains("\"error\":\"unknown_user\"");
        app.nextStep();
        assertThat(delete("alice", ChallengeBackoffTest.wrongCode(app.code(root.secret()))))
                .returns(401, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString().contains("\"error\":\"wrong_code\"");
        assertThat(app.browser().sendBody("DELETE", UNENROL + "/alice", "application/json",
                "{\"totpCode\":\"123456\"}"))
                .returns(401, HttpResponse::statusCode)
                .extracting(HttpResponse::body).asString().contains("\"error\":\"not_signed_in\"");
        assertThat(app.status("alice").state()).isEqualTo(TwoFactorState.ENABLED);
    }

    @Test
    void deleteWhenBodyNotTheJsonObjectThen400AndNothingChecked() {
        String code = app.code(root.secret());
        for (String body : new String[] {"", "totpCode=" + code, "{\"totpCode\":" + code + "}",
            "{\"totpCode\":\"" + code + "\"", "{\"totpCode\":\"" + code + "\",\"totpCode\":\"1\"}",
            "[\"" + code + "\"]", "{\"code\":\"" + code + "\"}", "{\"totpCode\":\"" + code + "\"} x",
            "{\"totpCode\":\"" + code + "\",\"pad\":\"" + "x".repeat(5000) + "\"}"}) {
            HttpResponse<String> refused = admin.sendBody("DELETE", UNENROL + "/alice", "application/json", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(refused.body()).as(body).contains("\"error\":\"bad_request\"");
        }
        assertThat(admin.sendBody("DELETE", UNENROL + "/alice", "text/plain", "{\"totpCode\":\"" + code + "\"}")
                .statusCode()).isEqualTo(400);
        // Nothing was checked: the code is still unused and works.
        assertThat(delete("alice", code).statusCode()).isEqualTo(204);
    }

    @Test
    void deleteWhenEscapedJsonStringThenDecoded() {
        String code = app.code(root.secret());
        String escaped = code.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);

        assertThat(admin.sendBody("DELETE", UNENROL + "/alice", "application/json",
                "{\"totpCode\":\"" + escaped + "\"}").statusCode()).isEqualTo(204);
    }

    private HttpResponse<String> delete(String userId, String code) {
        return admin.sendBody("DELETE", UNENROL + "/" + userId, "application/json",
                "{\"totpCode\":\"" + code + "\"}");
    }

    private static HttpResponse<String> unenrol(Browser browser, String userId, String code) {
        return browser.postJson(UNENROL, Map.of("userId", userId, "code", code));
    }
}
