package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.CodeAccepted;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.NewTrustedDevice;
import dev.twofactor.Outcome;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TrustedDevices;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.http.Cookie;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * "Remember this device" in the Spring Security integration, filter by filter: the challenge filter remembers the
 * device only when the checkbox asks and writes the servlet filter's cookie; {@link TrustedDeviceFilter} grants
 * {@code FACTOR_TOTP} for a recognised cookie of the same user only, and clears any other; the built-in challenge
 * screen shows the checkbox only when the feature is on. The service is in memory, on a {@link MutableClock}.
 */
class TrustedDeviceTest {

    private static final Totp TOTP = Totp.defaults();
    private static final String CHALLENGE = "/login/two-factor";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Map<String, TotpSecret> secrets = new HashMap<>();
    private final TwoFactorService service = service(true);
    private final DeviceCookie cookie = new DeviceCookie("twofactor_device", service);
    private final TwoFactorAuthorizationManager manager = new TwoFactorAuthorizationManager(service,
            authentication -> UserContext.of(authentication.getName(), false), Duration.ZERO);
    private final TrustedDeviceFilter devices = new TrustedDeviceFilter(cookie, new TwoFactorFactors(service, null),
            manager, service.clock(), Duration.ofMinutes(10), PathPatternRequestMatcher.pathPattern(CHALLENGE),
            (request, response, authentication) -> response.sendRedirect("/saved"));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private TwoFactorService service(boolean trustedDevices) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return TwoFactorService.builder().issuer("Spring Test").store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", key).build())).clock(clock)
                .trustedDevices(trustedDevices).trustedDeviceLifetime(Duration.ofDays(30))
                .passwordVerifier((user, password) -> ("pw-" + user).equals(new String(password))
                        ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH)
                .build();
    }

    // ---------------------------------------------------------------- remembering (the challenge filter)

    @Test
    void challengePassedWithTheCheckboxThenTheDeviceIsRememberedInTheServletFiltersCookie() throws Exception {
        TotpSecret alice = enrol("alice");
        MockHttpServletRequest request = challengePost(alice, "on");
        request.setSecure(true);
        request.setContextPath("/app");
        request.setRequestURI("/app" + CHALLENGE);
        MockHttpServletResponse response = challenge(request);

        Cookie written = response.getCookie("twofactor_device");
        assertThat(written).isNotNull();
        assertThat(written.getValue()).hasSize(TrustedDevices.TOKEN_LENGTH);
        assertThat(written.isHttpOnly()).isTrue();
        assertThat(written.getSecure()).isTrue();
        assertThat(written.getPath()).isEqualTo("/app");
        assertThat(written.getAttribute("SameSite")).isEqualTo("Lax");
        assertThat(written.getMaxAge()).isEqualTo((int) Duration.ofDays(30).toSeconds());
        assertThat(service.trustedDevices().list("alice")).hasSize(1);
        assertThat(service.trustedDevices().recognise("alice", written.getValue())).isPresent();
    }

    @Test
    void cookieOfAPlainHttpRequestAtTheRootIsNotSecureAndHasThePathSlash() throws Exception {
        TotpSecret alice = enrol("alice");
        Cookie written = challenge(challengePost(alice, "true")).getCookie("twofactor_device");
        assertThat(written).isNotNull();
        assertThat(written.getSecure()).isFalse();
        assertThat(written.getPath()).isEqualTo("/");
    }

    @Test
    void challengePassedWithoutTheCheckboxThenNoDeviceAndNoCookie() throws Exception {
        TotpSecret alice = enrol("alice");
        for (String unticked : new String[] {null, "off", "yes"}) {
            clock.advance(Duration.ofSeconds(30));
            MockHttpServletResponse response = challenge(challengePost(alice, unticked));
            assertThat(response.getRedirectedUrl()).as("passed").isEqualTo("/");
            assertThat(response.getCookie("twofactor_device")).as("checkbox %s", unticked).isNull();
        }
        assertThat(service.trustedDevices().list("alice")).isEmpty();
    }

    @Test
    void wrongCodeWithTheCheckboxThenNoDevice() throws Exception {
        TotpSecret alice = enrol("alice");
        MockHttpServletRequest request = challengePost(alice, "on");
        request.setParameter("code", TOTP.generateAt(alice, clock.instant().minus(Duration.ofMinutes(5))));
        MockHttpServletResponse response = challenge(request);
        assertThat(response.getCookie("twofactor_device")).isNull();
        assertThat(service.trustedDevices().list("alice")).isEmpty();
    }

    // ---------------------------------------------------------------- recognising (TrustedDeviceFilter)

    @Test
    void rememberedDeviceOfTheSameUserGrantsTheFactorStampedAtThePasswordAndRotatesTheSession() throws Exception {
        String token = remembered("alice");
        Instant password = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        Authentication halfOpen = passwordOnly("alice", password);
        MockHttpSession session = new MockHttpSession();
        String before = session.getId();

        MockHttpServletRequest request = get("/home", session, token);
        Passed passed = run(request, halfOpen);

        assertThat(passed.reached).isTrue();
        Authentication after = SecurityContextHolder.getContext().getAuthentication();
        assertThat(after.getName()).isEqualTo("alice");
        assertThat(TwoFactorAuthorities.factor(after, TwoFactorAuthorities.FACTOR_TOTP))
                .hasValueSatisfying(factor -> assertThat(factor.getIssuedAt()).isEqualTo(password));
        assertThat(after.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .contains("ROLE_USER", FactorGrantedAuthority.PASSWORD_AUTHORITY);
        assertThat(request.getSession(false).getId()).isNotEqualTo(before);
        assertThat(passed.response.getCookie("twofactor_device")).as("not cleared").isNull();
        // Recognised: the policy lets the session through, and the device adds no step-up of its own.
        assertThat(manager.check(after, request).isGranted()).isTrue();
        // The password is 5.5 minutes old: a factor stamped at the device's recognition (4.5) would still count.
        clock.advance(service.stepUpWindow().minusSeconds(30));
        assertThat(manager.stepUp(after).isGranted()).isFalse();
    }

    @Test
    void challengeScreenOfARecognisedSessionGoesToTheSavedRequest() throws Exception {
        String token = remembered("alice");
        Passed passed = run(get(CHALLENGE, new MockHttpSession(), token), passwordOnly("alice", clock.instant()));
        assertThat(passed.reached).isFalse();
        assertThat(passed.response.getRedirectedUrl()).isEqualTo("/saved");
        assertThat(TwoFactorAuthorities.factor(SecurityContextHolder.getContext().getAuthentication(),
                TwoFactorAuthorities.FACTOR_TOTP)).isPresent();
    }

    @Test
    void anotherUsersCookieDoesNotOpenTheSessionAndIsCleared() throws Exception {
        String bobs = remembered("bob");
        enrol("alice");
        Passed passed = run(get("/home", new MockHttpSession(), bobs), passwordOnly("alice", clock.instant()));
        assertNotOpenedAndCleared(passed);
        // Bob's device is still Bob's.
        assertThat(service.trustedDevices().recognise("bob", bobs)).isPresent();
    }

    @Test
    void expiredRevokedForgedOrGarbageCookieDoesNotOpenTheSessionAndIsCleared() throws Exception {
        String token = remembered("alice");
        // One character of the secret changed (not the last, whose low bits base64 may ignore).
        char changed = token.charAt(50) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, 50) + changed + token.substring(51);
        for (String value : new String[] {forged, "garbage", "x".repeat(TrustedDevices.TOKEN_LENGTH), ""}) {
            assertNotOpenedAndCleared(run(get("/home", new MockHttpSession(), value),
                    passwordOnly("alice", clock.instant())));
        }
        clock.advance(Duration.ofDays(30));
        assertNotOpenedAndCleared(run(get("/home", new MockHttpSession(), token),
                passwordOnly("alice", clock.instant())));

        String revoked = remembered("alice");
        service.trustedDevices().revokeAll("alice");
        assertNotOpenedAndCleared(run(get("/home", new MockHttpSession(), revoked),
                passwordOnly("alice", clock.instant())));
    }

    @Test
    void disablingTwoFactorMakesTheCookieWorthlessEvenAfterEnrollingAgain() throws Exception {
        String token = remembered("alice");
        assertThat(service.disable("alice", "pw-alice".toCharArray()).succeeded()).isTrue();
        secrets.remove("alice");
        remembered("bob");   // the feature still works for others
        enrol("alice");
        assertNotOpenedAndCleared(run(get("/home", new MockHttpSession(), token),
                passwordOnly("alice", clock.instant())));
    }

    @Test
    void cookieIsLookedAtOnlyForAPasswordSessionWithinTheChallengesTimeToLive() throws Exception {
        String token = remembered("alice");
        Instant password = clock.instant();
        // No password factor (a remember-me sign-in, say): the cookie alone signs nobody in.
        Authentication noPassword = UsernamePasswordAuthenticationToken.authenticated("alice", null,
                java.util.List.of(new SimpleGrantedAuthority("ROLE_USER")));
        Passed without = run(get("/home", new MockHttpSession(), token), noPassword);
        assertThat(without.reached).isTrue();
        assertThat(TwoFactorAuthorities.factor(SecurityContextHolder.getContext().getAuthentication(),
                TwoFactorAuthorities.FACTOR_TOTP)).isEmpty();

        clock.advance(Duration.ofMinutes(10));
        Passed expired = run(get("/home", new MockHttpSession(), token), passwordOnly("alice", password));
        assertThat(TwoFactorAuthorities.factor(SecurityContextHolder.getContext().getAuthentication(),
                TwoFactorAuthorities.FACTOR_TOTP)).isEmpty();
        assertThat(expired.response.getCookie("twofactor_device")).isNull();
    }

    @Test
    void userWithoutTwoFactorIsNotLookedUpAndKeepsTheCookie() throws Exception {
        Passed passed = run(get("/home", new MockHttpSession(), "x".repeat(TrustedDevices.TOKEN_LENGTH)),
                passwordOnly("carol", clock.instant()));
        assertThat(passed.reached).isTrue();
        assertThat(passed.response.getCookie("twofactor_device")).isNull();
        assertThat(TwoFactorAuthorities.factor(SecurityContextHolder.getContext().getAuthentication(),
                TwoFactorAuthorities.FACTOR_TOTP)).isEmpty();
    }

    // ---------------------------------------------------------------- configuration and the built-in screen

    @Test
    void configurerRefusesAServiceWhoseTrustedDevicesAreOffAndABadCookieName() {
        assertThatThrownBy(() -> TwoFactorConfigurer.twoFactor().trustedDeviceCookie("__Host-device"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwoFactorConfigurer.twoFactor().trustedDeviceCookie("a b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwoFactorConfigurer.twoFactor().service(service(false)).trustedDevices(true)
                .init(null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("trustedDevices(true)");
    }

    @Test
    void builtInChallengeShowsTheCheckboxOnlyWhenTrustedDevicesAreOn() throws Exception {
        assertThat(challengePage(cookie)).contains("name=\"rememberDevice\"", "Remember this device for 30 days")
                .containsOnlyOnce("id=\"remember-device\"").containsOnlyOnce("id=\"remember-device-recovery\"");
        assertThat(challengePage(null)).doesNotContain("rememberDevice", "Remember this device");
        assertThat(challengePage(new DeviceCookie("twofactor_device", service(false))))
                .doesNotContain("rememberDevice");
    }

    // ---------------------------------------------------------------- helpers

    private String challengePage(DeviceCookie devices) throws Exception {
        TwoFactorDefaultPagesFilter pages = new TwoFactorDefaultPagesFilter(service,
                new TwoFactorFactors(service, null), manager, devices, CHALLENGE, "/unlock", "/two-factor", "/logout");
        SecurityContextHolder.getContext().setAuthentication(passwordOnly("alice", clock.instant()));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", CHALLENGE);
        MockHttpServletResponse response = new MockHttpServletResponse();
        pages.doFilter(request, response, (req, res) -> { });
        return response.getContentAsString();
    }

    private void assertNotOpenedAndCleared(Passed passed) {
        assertThat(passed.reached).as("the request goes on to the challenge").isTrue();
        assertThat(TwoFactorAuthorities.factor(SecurityContextHolder.getContext().getAuthentication(),
                TwoFactorAuthorities.FACTOR_TOTP)).isEmpty();
        Cookie cleared = passed.response.getCookie("twofactor_device");
        assertThat(cleared).isNotNull();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.isHttpOnly()).isTrue();
    }

    private record Passed(boolean reached, MockHttpServletResponse response) {
    }

    private Passed run(MockHttpServletRequest request, Authentication authentication) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(authentication);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean reached = new AtomicBoolean();
        devices.doFilter(request, response, (req, res) -> reached.set(true));
        return new Passed(reached.get(), response);
    }

    private static MockHttpServletRequest get(String path, MockHttpSession session, String token) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setSession(session);
        request.setCookies(new Cookie("twofactor_device", token));
        return request;
    }

    private MockHttpServletRequest challengePost(TotpSecret secret, String remember) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", CHALLENGE);
        request.setSession(new MockHttpSession());
        request.setParameter("code", TOTP.generateAt(secret, clock.instant()));
        if (remember != null) {
            request.setParameter("rememberDevice", remember);
        }
        request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0");
        return request;
    }

    private MockHttpServletResponse challenge(MockHttpServletRequest request) throws Exception {
        TwoFactorAuthenticationFilter filter = new TwoFactorAuthenticationFilter(
                PathPatternRequestMatcher.pathPattern(CHALLENGE), PathPatternRequestMatcher.pathPattern("/unlock"),
                new ProviderManager(new TwoFactorAuthenticationProvider(service)), service.clock(),
                Duration.ofMinutes(10));
        filter.setDeviceCookie(cookie);
        SecurityContextHolder.getContext().setAuthentication(passwordOnly("alice", clock.instant()));
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> { });
        return response;
    }

    /** Enrols {@code user} if need be, passes a challenge through the service, remembers the device: its token. */
    private String remembered(String user) {
        TotpSecret secret = secrets.containsKey(user) ? secrets.get(user) : enrol(user);
        Outcome<CodeAccepted> passed = service.verifyCode(user, TOTP.generateAt(secret, clock.instant()));
        Outcome<NewTrustedDevice> remembered = service.trustedDevices().remember(user, passed, "Firefox");
        clock.advance(Duration.ofSeconds(30));
        return ((Outcome.Success<NewTrustedDevice>) remembered).value().token();
    }

    private TotpSecret enrol(String user) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(user, user)).value();
        assertThat(service.confirmEnrolment(user, TOTP.generateAt(enrolment.secret(), clock.instant()))
                .succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(30));   // the confirming code counts as used
        secrets.put(user, enrolment.secret());
        return enrolment.secret();
    }

    private static Authentication passwordOnly(String user, Instant passwordAt) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, java.util.List.of(
                new SimpleGrantedAuthority("ROLE_USER"),
                FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(passwordAt)
                        .build()));
    }
}
