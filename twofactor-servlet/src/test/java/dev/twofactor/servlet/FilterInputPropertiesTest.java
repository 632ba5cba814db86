package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.NewAppPassword;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the filter in the real Jetty container over what a client controls, sent byte for byte: any request
 * path (traversal, encodings, path parameters, case), any {@code Accept} and any {@code Authorization} header. A
 * half-open session never reaches an application page, whatever the path; only the one right app password opens the
 * API; nothing answers 5xx.
 */
class FilterInputPropertiesTest {

    private final TwoFactorApp app;
    private final String appPassword;
    private final String validBasic;

    FilterInputPropertiesTest() throws Exception {
        app = TwoFactorApp.start();
        app.enrol("alice");
        NewAppPassword created = app.createAppPassword("alice", "CI server", Set.of());
        appPassword = created.code().replace(" ", "");
        validBasic = "Basic " + Base64.getEncoder()
                .encodeToString(("alice:" + appPassword).getBytes(StandardCharsets.UTF_8));
    }

    @AfterProperty
    void stop() throws Exception {
        app.close();
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.MIXIN)
    void aHalfOpenSessionReachesNoApplicationPageWhateverThePathAndAccept(@ForAll("paths") String path,
                                                                          @ForAll("accepts") String accept) {
        Browser halfOpen = app.browser(); // a fresh one each try: an earlier path may have been the sign-out
        halfOpen.signIn("alice", TwoFactorApp.PASSWORDS.get("alice"));
        int hits = app.applicationHits.get();

        RawHttp.Response response = RawHttp.get(app.base(), TwoFactorApp.CONTEXT + path, accept, null,
                halfOpen.sessionId());

        assertThat(response.status()).as(response.head()).isLessThan(500);
        assertThat(response.body()).as("body for %s", path).doesNotContain("user=alice").doesNotContain("remote=alice");
        // The allowlist (/static/*, /favicon.ico) is served to anybody, and never as the half-open user; the path may
        // reach it through "./" or empty segments, which the container normalises (/./favicon.ico is /favicon.ico).
        // The challenge path and the paths beneath it (/login/two-factor/...) stay reachable while half-open, also as
        // nobody (README: "it and the paths beneath it stay reachable while half-open").
        boolean allowlisted = response.body().matches("(?s)page " + TwoFactorApp.CONTEXT
                + "/(?:\\.?/)*(favicon\\.ico|static|login/two-factor/)[^ ]* user=- remote=null .*");
        if (!allowlisted) {
            assertThat(response.body()).as("body for %s", path).doesNotContain("page /");
        }
        if (app.applicationHits.get() != hits && !allowlisted) {
            // Only an app-password path is passed on without a credential, and then as nobody (README §7).
            assertThat(response.body()).as("reached for %s", path).startsWith("api user=- remote=null grant=-");
        }
        Statistics.label("status").collect(response.status());
        Statistics.label("status").coverage(c -> c.check(302).count(n -> n > 50));
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.MIXIN)
    void onlyTheOneRightAppPasswordOpensTheApiWhateverTheAuthorizationHeader(
            @ForAll("authorizations") String authorization, @ForAll("accepts") String accept) {
        int storeCalls = app.storeCalls.get();

        RawHttp.Response response = RawHttp.get(app.base(), TwoFactorApp.CONTEXT + "/api/me", accept, authorization,
                null);

        assertThat(response.status()).as(response.head()).isLessThan(500);
        boolean opened = response.body().contains("remote=alice");
        if (response.status() == 200 && !opened) {
            // Without a Basic credential an app-password path is passed on as nobody, never as alice.
            assertThat(response.body()).startsWith("api user=- remote=null grant=-");
        }
        assertThat(opened).as("opened with %s: %s %s", authorization, response.head(), response.body())
                .isEqualTo(isValid(authorization) && containerAccepts(accept));
        if (!opened && response.status() > 0) {
            assertThat(response.status()).as(response.head()).isIn(200, 400, 401, 403, 431);
        }
        assertThat(response.head() + response.body()).doesNotContain(appPassword);
        Statistics.label("opened").collect(opened);
        Statistics.label("opened").coverage(c -> c.check(true).count(n -> n > 5));
        app.store.resetBackoff("alice", dev.twofactor.spi.BackoffScope.APP_PASSWORD);
        assertThat(app.storeCalls.get()).isGreaterThanOrEqualTo(storeCalls);
    }

    /** Jetty refuses (400) a header value with a control character other than tab before any filter runs. */
    private static boolean containerAccepts(String header) {
        return header == null || header.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    private boolean isValid(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.substring(0, 6).equalsIgnoreCase("Basic ")) {
            return false;
        }
        try {
            String token = authorization.substring(6).strip();
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return decoded.startsWith("alice:")
                    && decoded.substring(6).replace(" ", "").replace("-", "").equals(appPassword);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("api", "me", "static", "STATIC", "login", "two-factor", "logout", "my", "profile",
                        "..", ".", "%2e%2e", "%2E", "%2f", "%5c", "..;", ";jsessionid=x", "static;x=1", "favicon.ico",
                        "", "%00", "%c0%ae", "boom", "admin", "refresh", "outcome", "host-login"),
                Arbitraries.strings().all().ofMaxLength(8).map(FilterInputPropertiesTest::percentEncode),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(8));
        return segment.list().ofMinSize(1).ofMaxSize(6).map(parts -> "/" + String.join("/", parts))
                .flatMap(path -> Arbitraries.of("", "?x=1", "#f", "?code=123456", "/").map(path::concat));
    }

    @Provide
    Arbitrary<String> accepts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("application/json", "text/html", "*/*", "APPLICATION/JSON;q=0.1",
                        "text/html;q=0, application/json", "application/problem+json", "application/jsonx", "")),
                Tuple.of(2, headerText()),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> authorizations() {
        Arbitrary<String> nearMiss = Arbitraries.of(
                validBasic, validBasic.toLowerCase(Locale.ROOT), validBasic.replace("Basic ", "basic "),
                validBasic.replace("Basic ", "Basic  "), validBasic + "=", validBasic + " ", validBasic.substring(0,
                        validBasic.length() - 2), "Bearer " + validBasic.substring(6), validBasic.replace("Basic ", ""),
                basic("alice:" + appPassword.substring(1)), basic("alice:+" + appPassword.substring(1)),
                basic("alice:" + appPassword + "0"), basic("Alice:" + appPassword), basic("alice :" + appPassword),
                basic("alice:" + appPassword.replace('1', '\u0661')), basic("bob:" + appPassword),
                basic("alice\u0000:" + appPassword), basic("alice:" + appPassword.substring(0, 4) + " "
                        + appPassword.substring(4)), basic(":" + appPassword), basic("alice:"), "Basic ", "Basic",
                basic("alice:" + appPassword).replace('A', '-'));
        return Arbitraries.frequencyOf(
                Tuple.of(3, nearMiss),
                Tuple.of(2, headerText().map(text -> "Basic " + text)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(60).map(text -> basic(text))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40).map(text -> basic("alice:" + text))),
                Tuple.of(1, headerText()));
    }

    /** Header text: any characters but line breaks (they would end the header on the wire) and up to 8 KiB. */
    private static Arbitrary<String> headerText() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(50),
                        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1000).ofMaxLength(8000))
                .map(text -> text.replace('\r', ' ').replace('\n', ' '));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static String percentEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(String.format("%02X", b & 0xff));
        }
        return encoded.toString();
    }
}
