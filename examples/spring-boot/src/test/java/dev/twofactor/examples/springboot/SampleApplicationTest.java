package dev.twofactor.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample's flows over real HTTP, as a browser does them: the rendered pages' forms (with their CSRF tokens),
 * the stable element ids of SPEC §14, and no redirect following.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:twofactor-sample-test;DB_CLOSE_DELAY=-1")
class SampleApplicationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Totp TOTP = Totp.defaults();

    @LocalServerPort
    int port;
    @Autowired
    TwoFactorService twoFactor;

    @Test
    void enrolChallengeRecoveryCodeAppPasswordAndDisableWork() {
        Client alice = new Client();
        assertThat(alice.get("/login").body()).contains("name=\"username\"", "name=\"password\"");
        alice.signIn("alice", "alice-password");
        assertThat(text(alice.get("/my/profile/two-factor").body(), "two-factor-state")).isEqualTo("Not configured");

        // Enable: starting is a step-up path, unlocked by the fresh password sign-in.
        assertRedirect(alice.submit("/my/profile/two-factor", "/my/profile/two-factor/start", Map.of()),
                "/my/profile/two-factor");
        String card = alice.get("/my/profile/two-factor").body();
        assertThat(text(card, "two-factor-state")).isEqualTo("Pending confirmation");
        assertThat(card).contains("<img id=\"qr\" src=\"data:image/png;base64,");
        TotpSecret secret = TotpSecret.fromBase32(text(card, "secret"));

        assertRedirect(alice.submit("/my/profile/two-factor", "/my/profile/two-factor/confirm",
                Map.of("code", TOTP.generate(secret, TOTP.currentTimeStep()))), "/my/profile/two-factor");
        card = alice.get("/my/profile/two-factor").body();
        assertThat(text(card, "two-factor-state")).isEqualTo("Enabled");
        List<String> recoveryCodes = items(card);
        assertThat(recoveryCodes).hasSize(8).allMatch(code -> code.matches("[0-9A-Z]{4}-[0-9A-Z]{4}"));
        // The confirming code counted as the second factor: no challenge in this session.
        assertThat(alice.get("/").statusCode()).isEqualTo(200);

        // A new sign-in is half-open until the challenge passes.
        Client again = new Client();
        again.signIn("alice", "alice-password");
        assertRedirect(again.get("/"), "/login/two-factor");
        assertRedirect(again.submit("/login/two-factor", "/login/two-factor", Map.of("code", "000000")),
                "/login/two-factor?error");
        assertThat(again.get("/login/two-factor?error").body()).contains("That code did not match");
        assertRedirect(again.submit("/login/two-factor", "/login/two-factor",
                Map.of("recoveryCode", recoveryCodes.get(0).toLowerCase())), "/");
        assertThat(again.get("/").body()).contains("7 recovery codes left");

        // App passwords: created after the fresh challenge, accepted on /api/** over Basic only.
        assertRedirect(again.submit("/my/profile/app-passwords", "/my/profile/app-passwords/create",
                Map.of("name", "mail client", "permissions", "")), "/my/profile/app-passwords");
        String appPassword = text(again.get("/my/profile/app-passwords").body(), "app-password");
        HttpResponse<String> api = new Client().basic("/api/me", "alice", appPassword);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"user\":\"alice\"", "FACTOR_APP_PASSWORD");
        assertRedirect(new Client().basic("/", "alice", appPassword), "/login");

        // Disable with the password: back to "Not configured", and the app password is revoked with it.
        assertRedirect(again.submit("/my/profile/two-factor", "/my/profile/two-factor/disable",
                Map.of("password", "alice-password")), "/my/profile/two-factor");
        assertThat(text(again.get("/my/profile/two-factor").body(), "two-factor-state")).isEqualTo("Not configured");
        assertThat(new Client().basic("/api/me", "alice", appPassword).statusCode()).isEqualTo(401);
    }

    @Test
    void policySetByTheAdministratorSendsUsersToEnrolment() {
        Client admin = new Client();
        admin.signIn("admin", "admin-password");
        assertRedirect(admin.submit("/admin/settings/security", "/admin/settings/security/policy",
                Map.of("level", "EVERYONE", "graceDays", "0")), "/admin/settings/security");
        try {
            Client bob = new Client();
            bob.signIn("bob", "bob-password");
            assertRedirect(bob.get("/"), "/my/profile/two-factor");
            assertThat(bob.get("/my/profile/two-factor").body()).contains(
                    "Two-factor authentication is required by your organisation. Set it up to continue.");
            // The policy applies to the administrator too.
            assertRedirect(admin.get("/admin/settings/security"), "/my/profile/two-factor");
        } finally {
            twoFactor.setPolicy("test", EnforcementLevel.NONE, Duration.ZERO);
        }
        Client bob = new Client();
        bob.signIn("bob", "bob-password");
        assertThat(bob.get("/").statusCode()).isEqualTo(200);
    }

    private static void assertRedirect(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElse("")
                .replaceFirst("^https?://[^/]+", "").replaceFirst("[?&]continue$", "");
        assertThat(location).isEqualTo(path);
    }

    private static String text(String html, String id) {
        Matcher matcher = Pattern.compile("id=\"" + id + "\"[^>]*>\\s*([^<]*?)\\s*<").matcher(html);
        assertThat(matcher.find()).as("element #%s", id).isTrue();
        return matcher.group(1);
    }

    private static List<String> items(String html) {
        int start = html.indexOf("id=\"recovery-codes\"");
        assertThat(start).as("recovery codes list").isNotNegative();
        Matcher matcher = Pattern.compile("<li>([^<]+)</li>").matcher(html.substring(start, html.indexOf("</ul>",
                start)));
        List<String> codes = new ArrayList<>();
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /** One browser: its own cookies; posts the forms of the page it loaded, with that page's CSRF token. */
    private final class Client {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET().build());
        }

        HttpResponse<String> basic(String path, String user, String password) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + token).GET().build());
        }

        void signIn(String user, String password) {
            assertRedirect(submit("/login", "/login", Map.of("username", user, "password", password)), "/");
        }

        /** Loads the page, then posts to the action with the page's CSRF token. */
        HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
            HttpResponse<String> loaded = get(page);
            Matcher csrf = CSRF.matcher(loaded.body());
            assertThat(csrf.find()).as("CSRF token on %s (%s %s)", page, loaded.statusCode(),
                    loaded.headers().firstValue("Location").orElse("")).isTrue();
            String body = fields.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&", "_csrf=" + encode(csrf.group(1)) + "&", ""));
            return send(HttpRequest.newBuilder(uri(action))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        private URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
