package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

class TwoFactorEnforcementFilterTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void stepUpWhenWindowIsZeroThenEachStepUpOpensExactlyOneSensitiveRequest() throws Exception {
        TwoFactorService service = TwoFactorService.builder()
                .issuer("Test")
                .store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                .clock(TwoFactorAuthorizationManagerTest.CLOCK)
                .stepUpWindow(Duration.ZERO)
                .build();
        TwoFactorAuthorizationManager manager = new TwoFactorAuthorizationManager(service,
                authentication -> UserContext.of(authentication.getName(),
                        false));
        TwoFactorEnforcementFilter filter = new TwoFactorEnforcementFilter(manager, request -> false,
                request -> false, PathPatternRequestMatcher.pathPattern("/settings/**"));
        // A password factor issued this very instant: with a zero window, even that needs a step-up.
        SecurityContextHolder.getContext().setAuthentication(TwoFactorAuthorizationManagerTest.signedIn("carol",
                FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                        .issuedAt(TwoFactorAuthorizationManagerTest.CLOCK.instant()).build()));
        MockHttpSession session = new MockHttpSession();

        assertThatThrownBy(() -> run(filter, session, "/settings/close")).isInstanceOf(
                AuthorizationDeniedException.class);

        session.setAttribute(TwoFactorAuthenticationFilter.STEP_UP_AT_ATTRIBUTE,
                TwoFactorAuthorizationManagerTest.CLOCK.instant());
        assertThat(run(filter, session, "/settings/close")).isTrue();
        assertThatThrownBy(() -> run(filter, session, "/settings/close")).isInstanceOf(
                AuthorizationDeniedException.class);
        // Other paths are not sensitive.
        assertThat(run(filter, session, "/home")).isTrue();
    }

    @Test
    void lockedAnswers429WithoutRetryAfterAndRateLimitedWithIt() throws Exception {
        TwoFactorFailureHandler handler = new TwoFactorFailureHandler("/login/two-factor", "/unlock",
                request -> false, "/login");
        MockHttpServletResponse locked = new MockHttpServletResponse();
        handler.onAuthenticationFailure(new MockHttpServletRequest("POST", "/login/two-factor"), locked,
                new TwoFactorLockedException("locked"));
        assertThat(locked.getStatus()).isEqualTo(429);
        assertThat(locked.getHeader("Retry-After")).isNull();

        MockHttpServletResponse limited = new MockHttpServletResponse();
        handler.onAuthenticationFailure(new MockHttpServletRequest("POST", "/login/two-factor"), limited,
                new TwoFactorRateLimitedException("wait", 8));
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeader("Retry-After")).isEqualTo("8");
    }

    /** @return whether the request went on down the chain */
    private static boolean run(TwoFactorEnforcementFilter filter, MockHttpSession session, String path)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setSession(session);
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return chain.getRequest() != null;
    }
}
