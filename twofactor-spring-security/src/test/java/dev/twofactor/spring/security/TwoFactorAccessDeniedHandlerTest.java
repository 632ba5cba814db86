package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.authorization.RequiredFactor;
import org.springframework.security.authorization.RequiredFactorError;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

class TwoFactorAccessDeniedHandlerTest {

    private final TwoFactorService service = TwoFactorAuthorizationManagerTest.service();
    private final TwoFactorAuthorizationManager manager = new TwoFactorAuthorizationManager(service,
            authentication -> UserContext.of(authentication.getName(), false));
    private final TwoFactorAccessDeniedHandler handler = new TwoFactorAccessDeniedHandler(
            new TwoFactorEntryPoint("/login/two-factor", "/unlock", null), manager, "/my/profile/two-factor", null);

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void handleWhenPreAuthorizeExpressionDeniedAUserLackingTheirFactorThenChallengeNotPlain403() throws Exception {
        TwoFactorAuthorizationManagerTest.enrol(service, "alice");
        signIn("alice");

        MockHttpServletResponse browser = handle(html(), expressionDenial());
        assertThat(browser.getStatus()).isEqualTo(302);
        assertThat(browser.getRedirectedUrl()).isEqualTo("/login/two-factor");

        MockHttpServletResponse api = handle(json(), expressionDenial());
        assertThat(api.getStatus()).isEqualTo(401);
        assertThat(api.getContentAsString()).contains("\"error\":\"two_factor_required\"");
    }

    @Test
    void handleWhenRuleAsksForTotpOfAUserWithoutTwoFactorThenEnrolment() throws Exception {
        signIn("carol");

        MockHttpServletResponse browser = handle(html(), expressionDenial());
        assertThat(browser.getRedirectedUrl()).isEqualTo("/my/profile/two-factor");
        MockHttpServletResponse api = handle(json(), expressionDenial());
        assertThat(api.getStatus()).isEqualTo(403);
        assertThat(api.getContentAsString()).contains("\"error\":\"enrolment_required\"");
    }

    @Test
    void handleWhenStepUpRequiredThenStepUpScreenOrJson403() throws Exception {
        signIn("carol");
        RequiredFactor factor = RequiredFactor.withAuthority(TwoFactorAuthorities.FACTOR_TOTP)
                .validDuration(java.time.Duration.ofMinutes(5)).build();
        AccessDeniedException denied = new AuthorizationDeniedException("step-up",
                new TwoFactorAuthorizationManager.StepUpRequired(List.of(RequiredFactorError.createExpired(factor))));

        assertThat(handle(html(), denied).getRedirectedUrl()).isEqualTo("/unlock");
        MockHttpServletResponse api = handle(json(), denied);
        assertThat(api.getStatus()).isEqualTo(403);
        assertThat(api.getContentAsString()).contains("\"error\":\"step_up_required\"");
    }

    @Test
    void handleWhenDenialHasNothingToDoWithTheFactorThenPlain403() throws Exception {
        signIn("carol");
        AccessDeniedException denied = new AuthorizationDeniedException("no",
                new ExpressionAuthorizationDecision(false, new SpelExpressionParser().parseExpression("hasRole('X')")));

        MockHttpServletResponse response = handle(html(), denied);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getRedirectedUrl()).isNull();
    }

    @Test
    void jsonWhenPlainTextThenTheSameBytesAsBefore() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        HttpAnswers.json(response, 429, "rate_limited", "Too many attempts. Try again in 30 seconds.");

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(response.getContentAsByteArray()).isEqualTo(
                "{\"error\":\"rate_limited\",\"message\":\"Too many attempts. Try again in 30 seconds.\"}"
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonEscapesQuotesBackslashesControlAndMarkupCharactersAsTheServletFilterDoes() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        HttpAnswers.json(response, 429, "locked", "a\"b\\c\nd\u0001 </p> & \u2028\u007f é");

        // Quotes, backslashes and control characters as before; <, >, &, DEL and U+2028 now too (they were raw).
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"locked\","
                + "\"message\":\"a\\\"b\\\\c\\nd\\u0001 \\u003c/p\\u003e \\u0026 \\u2028\\u007f é\"}");
    }

    private static AccessDeniedException expressionDenial() {
        return new AuthorizationDeniedException("denied", new ExpressionAuthorizationDecision(false,
                new SpelExpressionParser().parseExpression("hasAuthority('FACTOR_TOTP')")));
    }

    private MockHttpServletResponse handle(MockHttpServletRequest request, AccessDeniedException denied)
            throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        handler.handle(request, response, denied);
        return response;
    }

    private static MockHttpServletRequest html() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/reports");
        request.addHeader("Accept", "text/html");
        return request;
    }

    private static MockHttpServletRequest json() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/reports");
        request.addHeader("Accept", "application/json");
        return request;
    }

    private static void signIn(String user) {
        SecurityContextHolder.getContext().setAuthentication(TwoFactorAuthorizationManagerTest.signedIn(user,
                FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                        .issuedAt(TwoFactorAuthorizationManagerTest.CLOCK.instant()).build()));
    }
}
