package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.NewAppPassword;
import dev.twofactor.spi.StorageException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 finding 2: an HTTP Basic credential that cannot be right answers 401 with {@code WWW-Authenticate},
 * costs no service or store call, writes at most one log line without the input, and never answers 500 — also when
 * the store throws for an id it cannot handle.
 */
class MalformedBasicCredentialTest {

    private static final String MARKER = "zq7marker";

    private TwoFactorApp app;
    private Browser client;
    private String code;

    @BeforeEach
    void start() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        NewAppPassword created = app.createAppPassword("alice", "CI server", Set.of());
        code = created.code().replace(" ", "");
        client = app.browser();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    static Stream<Arguments> malformed() {
        String digits = "12345678901234567890";
        return Stream.of(
                Arguments.of("not base64", "Basic !!!" + MARKER + "!!!"),
                Arguments.of("nothing after Basic", "Basic "),
                Arguments.of("no colon", basic(MARKER + "-no-colon")),
                Arguments.of("empty user id", basic(":" + digits)),
                Arguments.of("user id of 256 characters", basic(MARKER + "x".repeat(256 - MARKER.length()) + ":"
                        + digits)),
                Arguments.of("NUL in the user id", basic(MARKER + "\u0000alice:" + digits)),
                Arguments.of("escape sequence in the user id", basic("\u001b[31m" + MARKER + ":" + digits)),
                Arguments.of("line break in the user id", basic(MARKER + "\nINFO forged:" + digits)),
                Arguments.of("C1 control in the user id", basic(MARKER + "\u0085:" + digits)),
                Arguments.of("empty password", basic(MARKER + ":")),
                Arguments.of("password of 129 characters", basic(MARKER + ":" + "1".repeat(129))),
                Arguments.of("password of 4000 characters", basic(MARKER + ":" + "1".repeat(4000))),
                Arguments.of("not UTF-8", "Basic " + Base64.getEncoder().encodeToString(
                        concat(MARKER.getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xc3, 0x28, ':', '1'}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void basicWhenCredentialCannotBeRightThen401WithoutStoreCallAndAtMostOneCleanLogLine(String what,
                                                                                      String header) {
        int callsBefore = app.storeCalls.get();

        LogCapture.Captured<HttpResponse<String>> captured = LogCapture.during(
                () -> client.send("GET", "/api/me", Browser.JSON, null, header));

        HttpResponse<String> response = captured.result();
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"twofactor\", charset=\"UTF-8\"");
        assertThat(response.body()).contains("\"error\":\"invalid_app_password\"").doesNotContain(MARKER);
        assertThat(app.storeCalls.get()).as("store calls").isEqualTo(callsBefore);
        assertThat(app.applicationHits.get()).isZero();
        assertThat(captured.lines()).as(captured.log()).isLessThanOrEqualTo(1);
        assertThat(captured.log()).doesNotContain(MARKER).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void basicWhenUserIdOf255CharactersThenCheckedByTheService() {
        // The boundary: 255 characters is a valid id and is looked up (and is nobody here).
        int callsBefore = app.storeCalls.get();

        HttpResponse<String> response = client.send("GET", "/api/me", Browser.JSON, null,
                basic("x".repeat(255) + ":" + code));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(app.storeCalls.get()).isGreaterThan(callsBefore);
    }

    @Test
    void basicWhenStoreThrowsStorageExceptionThen401AndOneLineWithoutTheInput() {
        app.storeFailure.set(new StorageException("Could not read credential of " + MARKER));

        LogCapture.Captured<HttpResponse<String>> captured = LogCapture.during(
                () -> client.send("GET", "/api/me", Browser.JSON, null, basic(MARKER + ":" + code)));

        assertFailureAnswered401(captured);
    }

    @Test
    void basicWhenServiceThrowsIllegalArgumentExceptionThen401AndOneLineWithoutTheInput() {
        app.storeFailure.set(new IllegalArgumentException("invalid user id " + MARKER));

        LogCapture.Captured<HttpResponse<String>> captured = LogCapture.during(
                () -> client.send("GET", "/api/me", Browser.JSON, null, basic(MARKER + ":" + code)));

        assertFailureAnswered401(captured);
    }

    @Test
    void basicWhenStoreFailsForEveryRequestThenEveryAnswerIs401NotAStackTrace() {
        app.storeFailure.set(new StorageException("value too long for type character varying(255)"));

        LogCapture.Captured<Integer> captured = LogCapture.during(() -> {
            int unauthorised = 0;
            for (int i = 0; i < 20; i++) {
                if (client.send("GET", "/api/me", Browser.JSON, null, basic(MARKER + i + ":" + code))
                        .statusCode() == 401) {
                    unauthorised++;
                }
            }
            return unauthorised;
        });

        assertThat(captured.result()).isEqualTo(20);
        assertThat(captured.lines()).isLessThanOrEqualTo(20);
        assertThat(captured.log()).doesNotContain(MARKER).doesNotContain("\tat ");
    }

    private void assertFailureAnswered401(LogCapture.Captured<HttpResponse<String>> captured) {
        HttpResponse<String> response = captured.result();
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.body()).doesNotContain(MARKER);
        assertThat(app.applicationHits.get()).isZero();
        assertThat(captured.lines()).as(captured.log()).isEqualTo(1);
        assertThat(captured.log()).contains("WARN").doesNotContain(MARKER).doesNotContain("\tat ");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
