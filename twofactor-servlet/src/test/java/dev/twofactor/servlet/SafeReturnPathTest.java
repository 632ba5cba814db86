package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No open redirect: only local paths come back from {@link TwoFactorSessions#safeReturnPath}. */
class SafeReturnPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/home", "/reports/q1?year=2030&x=%2F%2Fa", "/my/profile/two-factor#codes",
        "/a/b/c;d"})
    void safeReturnPathWhenLocalThenKept(String path) {
        assertThat(TwoFactorSessions.safeReturnPath(path)).hasValue(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "home", "//evil.example", "//evil.example/x", "/\\evil.example", "/\\/evil.example",
        "\\\\evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)", "/home\r\nX: y",
        "/ home", "/home\t", "/%0d%0a%20ok\u0000", "/caf\u00e9", "/a\\b", " /home", "///evil.example"})
    void safeReturnPathWhenLeavingTheApplicationOrMalformedThenEmpty(String candidate) {
        assertThat(TwoFactorSessions.safeReturnPath(candidate)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void safeReturnPathAtItsLimitsThenTheLastAllowedKeptAndTheFirstBeyondRefused() {
        String longest = "/" + "a".repeat(2047);
        assertThat(TwoFactorSessions.safeReturnPath(longest)).hasValue(longest);
        assertThat(TwoFactorSessions.safeReturnPath(longest + "a")).isEmpty();
        // The printable ASCII range ends at '!' (0x21) and '~' (0x7e); space (0x20) and DEL (0x7f) are outside it.
        assertThat(TwoFactorSessions.safeReturnPath("/!~")).hasValue("/!~");
        assertThat(TwoFactorSessions.safeReturnPath("/a b")).isEmpty();
        assertThat(TwoFactorSessions.safeReturnPath("/a\u007f")).isEmpty();
        assertThat(TwoFactorSessions.safeReturnPath("/a\u0080")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void safeReturnPathWhenNullOrTooLongThenEmpty() {
        assertThat(TwoFactorSessions.safeReturnPath(null)).isEmpty();
        assertThat(TwoFactorSessions.safeReturnPath("/" + "a".repeat(2048))).isEmpty();
    }
}
