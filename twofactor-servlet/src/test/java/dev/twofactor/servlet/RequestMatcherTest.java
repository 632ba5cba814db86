package dev.twofactor.servlet;

import static dev.twofactor.servlet.Requests.accept;
import static dev.twofactor.servlet.Requests.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestMatcherTest {

    @Test
    void pathsWhenPrefixPatternThenMatchesItAndBeneathOnly() {
        RequestMatcher matcher = RequestMatcher.paths("/static/*");

        assertThat(matcher.matches(path("/static"))).isTrue();
        assertThat(matcher.matches(path("/static/"))).isTrue();
        assertThat(matcher.matches(path("/static/css/app.css"))).isTrue();
        assertThat(matcher.matches(path("/staticx"))).isFalse();
        assertThat(matcher.matches(path("/stati"))).isFalse();
        assertThat(matcher.matches(path("/STATIC/app.css"))).isFalse();
        assertThat(matcher.matches(path("/home"))).isFalse();
    }

    @Test
    void pathsWhenExactPatternThenMatchesItWithOrWithoutTrailingSlash() {
        RequestMatcher matcher = RequestMatcher.paths("/my/profile/two-factor/disable");

        assertThat(matcher.matches(path("/my/profile/two-factor/disable"))).isTrue();
        assertThat(matcher.matches(path("/my/profile/two-factor/disable/"))).isTrue();
        assertThat(matcher.matches(path("/my/profile/two-factor/disabled"))).isFalse();
        assertThat(matcher.matches(path("/my/profile/two-factor"))).isFalse();
    }

    @Test
    void pathsWhenServletPathAndPathInfoThenBothCount() {
        RequestMatcher matcher = RequestMatcher.paths("/api/*");

        assertThat(matcher.matches(Requests.request("/api", "/me", Map.of()))).isTrue();
        assertThat(matcher.matches(Requests.request("", "/api/me", Map.of()))).isTrue();
        assertThat(RequestMatcher.paths("/").matches(Requests.request("", null, Map.of()))).isTrue();
    }

    @Test
    void pathsWhenRootWildcardThenMatchesEverything() {
        assertThat(RequestMatcher.paths("/*").matches(path("/anything/at/all"))).isTrue();
    }

    @Test
    void pathsWhenPatternInvalidThenRejected() {
        assertThatThrownBy(RequestMatcher::paths).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestMatcher.paths("static/*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestMatcher.paths("*.css")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestMatcher.paths("/a/*/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestMatcher.paths("/a*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orWhenEitherMatchesThenMatches() {
        RequestMatcher matcher = RequestMatcher.paths("/a").or(RequestMatcher.paths("/b/*"));

        assertThat(matcher.matches(path("/a"))).isTrue();
        assertThat(matcher.matches(path("/b/c"))).isTrue();
        assertThat(matcher.matches(path("/c"))).isFalse();
        assertThat(RequestMatcher.NONE.matches(path("/a"))).isFalse();
    }

    @Test
    void acceptsJsonWhenJsonAskedWithoutHtmlThenApiRequest() {
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept("application/json"))).isTrue();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept("application/problem+json, */*"))).isTrue();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept("Application/JSON"))).isTrue();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept(Browser.HTML))).isFalse();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept("text/html, application/json"))).isFalse();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept("*/*"))).isFalse();
        assertThat(RequestMatcher.ACCEPTS_JSON.matches(accept(null))).isFalse();
    }
}
