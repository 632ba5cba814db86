package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The two nodes and the browsers of the {@code requirementMaxAge} tests ({@link RequirementMaxAgeTest},
 * {@link RequirementMaxAgeConcurrencyTest}): two services (same key ring) on one store; node A's filter is measured,
 * with node A's store calls counted; node B is "elsewhere" (another node, or the host calling the service). The
 * filter is called directly, the clock is the services' {@link MutableClock}, never a sleep. One per test.
 */
final class RequirementMaxAgeFixture {

    static final Duration BOUND = TwoFactorAuthorizationManager.DEFAULT_REQUIREMENT_MAX_AGE;
    static final String ENROLMENT = "/my/profile/two-factor";

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    /** Node A's store calls. */
    final AtomicInteger storeCalls = new AtomicInteger();
    final TwoFactorService nodeA;
    final TwoFactorService nodeB;
    private final InMemoryTwoFactorStore shared = new InMemoryTwoFactorStore();
    private final SecretCipher cipher;

    RequirementMaxAgeFixture() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("test-1", key).build());
        nodeA = service(counting(shared, storeCalls));
        nodeB = service(shared);
    }

    private TwoFactorService service(TwoFactorStore store) {
        return TwoFactorService.builder().issuer("Spring Test").store(store).secretCipher(cipher).clock(clock)
                .build();
    }

    /** What one request got. */
    enum Answer { GRANTED, CHALLENGE, ENROL }

    /** Node A's enforcement filter with one bound. */
    final class Node {
        final TwoFactorAuthorizationManager manager;
        final TwoFactorEnforcementFilter filter;

        Node(Duration maxAge) {
            manager = new TwoFactorAuthorizationManager(nodeA,
                    authentication -> UserContext.of(authentication.getName(), authentication.getAuthorities()
                            .stream().anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()))),
                    maxAge);
            filter = new TwoFactorEnforcementFilter(manager, request -> false,
                    request -> request.getRequestURI().startsWith(ENROLMENT + "/"), request -> false);
        }

        Answer get(Browser browser) {
            return get(browser, "/home");
        }

        Answer get(Browser browser, String path) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
            if (browser.session != null) {
                request.setSession(browser.session);
            }
            SecurityContextHolder.setContext(new SecurityContextImpl(browser.authentication));
            AtomicBoolean reached = new AtomicBoolean();
            try {
                filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> reached.set(true));
            } catch (AuthorizationDeniedException denied) {
                return denied.getAuthorizationResult() instanceof TwoFactorAuthorizationManager.EnrolmentRequired
                        ? Answer.ENROL : Answer.CHALLENGE;
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                SecurityContextHolder.clearContext();
            }
            assertThat(reached).isTrue();
            assertThat(request.getSession(false)).as("no session created").isSameAs(browser.session);
            return Answer.GRANTED;
        }
    }

    /** A browser: its session (thread-safe, as a container's is) and its signed-in authentication. */
    static final class Browser {
        final HttpSession session;
        volatile Authentication authentication;

        Browser(HttpSession session, Authentication authentication) {
            this.session = session;
            this.authentication = authentication;
        }
    }

    /** Node A's enforcement filter with {@code maxAge} as its bound. */
    Node node(Duration maxAge) {
        return new Node(maxAge);
    }

    Browser browser(String user, GrantedAuthority... authorities) {
        return new Browser(concurrentSession(), signedIn(user, authorities));
    }

    FactorGrantedAuthority password() {
        return FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                .issuedAt(clock.instant()).build();
    }

    static Authentication signedIn(String user, GrantedAuthority... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken(user, null, List.of(authorities));
        token.setAuthenticated(true);
        return token;
    }

    void enrol(TwoFactorService service, String user) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(user, user)).value();
        assertThat(service.confirmEnrolment(user, Totp.defaults().generateAt(enrolment.secret(), clock.instant()))
                .succeeded()).isTrue();
    }

    /** An HTTP session whose attributes are a concurrent map, as a servlet container's are. */
    private static HttpSession concurrentSession() {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        return (HttpSession) Proxy.newProxyInstance(HttpSession.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        if (args[1] == null) {
                            attributes.remove((String) args[0]);
                        } else {
                            attributes.put((String) args[0], args[1]);
                        }
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    case "getAttributeNames" -> Collections.enumeration(attributes.keySet());
                    case "getId" -> "session-" + System.identityHashCode(proxy);
                    case "isNew" -> false;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "ConcurrentSession";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** {@code delegate} with every call counted. */
    private static TwoFactorStore counting(TwoFactorStore delegate, AtomicInteger calls) {
        return (TwoFactorStore) Proxy.newProxyInstance(TwoFactorStore.class.getClassLoader(),
                delegate.getClass().getInterfaces(), (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "CountingStore";
                        };
                    }
                    calls.incrementAndGet();
                    try {
                        return method.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
