package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.RequirementFacts;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * {@code requirementMaxAge} of the Spring Security integration ({@link TwoFactorAuthorizationManager}, applied by
 * {@link TwoFactorEnforcementFilter}): in every session state no store call per request in the steady state, and what
 * the per-request read bought still holds within the bound. Two nodes: two services (same key ring) on one store;
 * node A's filter is measured, with node A's store calls counted; node B is "elsewhere" (another node, or the host
 * calling the service). The filter is called directly, the clock is the services' {@link MutableClock}, never a sleep.
 */
class RequirementMaxAgeTest {

    private static final Duration BOUND = TwoFactorAuthorizationManager.DEFAULT_REQUIREMENT_MAX_AGE;
    private static final String ENROLMENT = "/my/profile/two-factor";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final InMemoryTwoFactorStore shared = new InMemoryTwoFactorStore();
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final CountDownLatch pastBoundLatch = new CountDownLatch(1);
    private final SecretCipher cipher;
    private final TwoFactorService nodeA;
    private final TwoFactorService nodeB;

    RequirementMaxAgeTest() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("test-1", key).build());
        nodeA = service(counting(shared, storeCalls));
        nodeB = service(shared);
    }

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    private TwoFactorService service(TwoFactorStore store) {
        return TwoFactorService.builder().issuer("Spring Test").store(store).secretCipher(cipher).clock(clock)
                .build();
    }

    /** What one request got. */
    enum Answer { GRANTED, CHALLENGE, ENROL }

    /** Node A's enforcement filter with one bound. */
    private final class Node {
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
    private static final class Browser {
        final HttpSession session;
        volatile Authentication authentication;

        Browser(HttpSession session, Authentication authentication) {
            this.session = session;
            this.authentication = authentication;
        }
    }

    enum State { PASSED_CHALLENGE, PASSWORD_ONLY, GRACE_PERIOD, ENROLMENT_ENFORCED, HALF_OPEN }

    private Browser session(State state) {
        switch (state) {
            case PASSED_CHALLENGE -> {
                enrol(nodeB, "alice");
                return browser("alice", password(), TwoFactorAuthorities.totp(clock.instant()));
            }
            case HALF_OPEN -> {
                enrol(nodeB, "alice");
                return browser("alice", password());
            }
            case GRACE_PERIOD -> nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
            case ENROLMENT_ENFORCED -> nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
            default -> { }
        }
        return browser("carol", password());
    }

    private static Answer expected(State state) {
        return switch (state) {
            case PASSED_CHALLENGE, PASSWORD_ONLY, GRACE_PERIOD -> Answer.GRANTED;
            case ENROLMENT_ENFORCED -> Answer.ENROL;
            case HALF_OPEN -> Answer.CHALLENGE;
        };
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void everySessionStateWhen10000RequestsWithinTheBoundThenNoStoreCallAndOneReadOnceItHasPassed(State state) {
        Node node = new Node(BOUND);
        Browser browser = session(state);
        Instant read = clock.instant();
        assertThat(node.get(browser)).isEqualTo(expected(state));
        storeCalls.set(0);

        // 10,000 requests over 9.999 s: all within the bound of the first read.
        for (int i = 0; i < 10_000; i++) {
            assertThat(node.get(browser)).as("request %d", i).isEqualTo(expected(state));
            clock.advance(Duration.ofNanos(999_900));
        }
        assertThat(clock.instant()).isBefore(read.plus(BOUND));
        assertThat(storeCalls.get()).as("store calls over 10,000 requests").isZero();

        // The bound has passed: the session reads once, then relies on that read again.
        clock.set(read.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(expected(state));
        int reread = storeCalls.get();
        for (int i = 0; i < 10_000; i++) {
            assertThat(node.get(browser)).isEqualTo(expected(state));
        }
        assertThat(reread).as("one requirementFor after the bound").isPositive();
        assertThat(storeCalls.get()).as("store calls over the next 10,000 requests").isEqualTo(reread);
    }

    @Test
    void zeroBoundWhenPasswordOnlyThenEveryRequestReadsAsBefore() {
        Node node = new Node(Duration.ZERO);
        Browser browser = browser("carol", password());
        storeCalls.set(0);

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        }

        assertThat(storeCalls.get()).isGreaterThanOrEqualTo(100);
        assertThat(browser.session.getAttribute(SessionRequirements.ATTRIBUTE)).isNull();
    }

    @Test
    void statelessRequestWhenNoSessionThenEveryRequestReadsAndNoSessionIsCreated() {
        Node node = new Node(BOUND);
        Browser basic = new Browser(null, signedIn("carol", password()));
        storeCalls.set(0);

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(basic)).isEqualTo(Answer.GRANTED);   // Node.get also checks no session was made
        }

        assertThat(storeCalls.get()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void enabledElsewhereWhenWithinTheBoundThenStillPassesAndOnceItHasPassedOwesTheChallenge() {
        Node node = new Node(BOUND);
        Browser thief = browser("carol", password());
        Instant read = clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        // Carol turns on two-factor authentication on node B: the session holding only her password...
        clock.advance(Duration.ofSeconds(1));
        enrol(nodeB, "carol");
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        // ...is cut off once the bound has passed: from then on only the challenge is reachable.
        clock.set(read.plus(BOUND));
        for (int i = 0; i < 3; i++) {
            assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
        }
        // Another session of hers, signed in after the enable, owes it at once.
        assertThat(node.get(browser("carol", password()))).isEqualTo(Answer.CHALLENGE);
        // Carol herself passes the challenge (a new authentication state): through, read again.
        thief.authentication = signedIn("carol", password(), TwoFactorAuthorities.totp(clock.instant()));
        storeCalls.set(0);
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        assertThat(storeCalls.get()).isPositive();
    }

    @Test
    void enabledElsewhereWhenZeroBoundThenChallengedOnTheVeryNextRequest() {
        Node node = new Node(Duration.ZERO);
        Browser thief = browser("carol", password());
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        enrol(nodeB, "carol");

        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    @Test
    void configuredBoundWhenLongerThanTheDefaultThenItIsTheOneThatCounts() {
        Duration bound = Duration.ofSeconds(30);
        Node node = new Node(bound);
        Browser thief = browser("carol", password());
        Instant read = clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        enrol(nodeB, "carol");

        clock.set(read.plus(Duration.ofSeconds(20)));   // past the default, within the configured bound
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        clock.set(read.plus(bound));
        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    @Test
    void enabledElsewhereWhenManyRequestsRunConcurrentlyThenEveryRequestAfterTheBoundIsRefused() throws Exception {
        Node node = new Node(BOUND);
        Browser thief = browser("carol", password());
        Instant read = clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        storeCalls.set(0);
        AtomicBoolean pastBound = new AtomicBoolean();
        AtomicInteger passedAfterBound = new AtomicInteger();
        AtomicInteger refusedAfterBound = new AtomicInteger();
        AtomicInteger passedBefore = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        CountDownLatch halfway = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int callsBeforeBound;
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                requests.add(pool.submit(() -> {
                    started.countDown();
                    for (int i = 0; i < 2_000; i++) {
                        if (i == 1_000) {
                            halfway.countDown();
                            awaitQuietly(pastBoundLatch);
                        }
                        boolean after = pastBound.get();   // read before the request: it starts past the bound
                        Answer answer = node.get(thief);
                        if (after) {
                            (answer == Answer.CHALLENGE ? refusedAfterBound : passedAfterBound).incrementAndGet();
                        } else if (answer == Answer.GRANTED) {
                            passedBefore.incrementAndGet();
                        }
                    }
                }));
            }
            started.await();
            enrol(nodeB, "carol");
            halfway.await(60, TimeUnit.SECONDS);
            callsBeforeBound = storeCalls.get();
            clock.set(read.plus(BOUND));
            pastBound.set(true);
            pastBoundLatch.countDown();
            for (Future<?> request : requests) {
                request.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pastBoundLatch.countDown();
            pool.shutdownNow();
        }

        // 4,000 requests within the bound: no read (the enable elsewhere is node B's own calls, not counted).
        assertThat(callsBeforeBound).isZero();
        assertThat(passedBefore.get()).isEqualTo(4_000);
        assertThat(passedAfterBound.get()).isZero();
        assertThat(refusedAfterBound.get()).isEqualTo(4_000);
        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void policyChangedElsewhereWhenWithinTheBoundThenOldPolicyAndOnceItHasPassedTheNewOne() {
        Node node = new Node(BOUND);
        Browser browser = browser("carol", password());
        Instant read = clock.instant();
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        clock.set(read.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        assertThat(node.get(browser, ENROLMENT + "/start")).isEqualTo(Answer.GRANTED);

        // Relaxed again elsewhere: the enrolment screen stays the only way on for at most the bound.
        Instant enforcedRead = clock.instant();
        nodeB.setPolicy("root", EnforcementLevel.NONE, Duration.ZERO);
        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        clock.set(enforcedRead.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
    }

    @Test
    void policyChangedElsewhereWhenZeroBoundThenAppliesOnTheVeryNextRequest() {
        Node node = new Node(Duration.ZERO);
        Browser browser = browser("carol", password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
    }

    @Test
    void gracePeriodWhenItEndsWithinTheBoundThenEnforcedOnTime() {
        Node node = new Node(BOUND);
        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
        clock.advance(Duration.ofDays(7).minusSeconds(5));
        Browser browser = browser("carol", password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        storeCalls.set(0);

        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        clock.advance(Duration.ofNanos(1));   // the deadline, 5 s after the read: no new read, yet enforced

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        assertThat(storeCalls.get()).isZero();
    }

    @Test
    void factsWhenAnotherPrincipalRoleStepUpOrSignInThenReadAgain() {
        Node node = new Node(BOUND);
        enrol(nodeB, "alice");
        Browser browser = browser("carol", password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        int[] reads = new int[1];
        Runnable readsOnce = () -> {
            storeCalls.set(0);
            node.get(browser);
            reads[0] = storeCalls.get();
            storeCalls.set(0);
            node.get(browser);
            assertThat(storeCalls.get()).as("then relies on it").isZero();
        };

        // Another principal in the same session (the facts were carol's): alice owes the challenge at once.
        browser.authentication = signedIn("alice", password());
        readsOnce.run();
        assertThat(reads[0]).isPositive();
        assertThat(node.get(browser)).isEqualTo(Answer.CHALLENGE);

        // The same user with another role.
        clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", password(), new SimpleGrantedAuthority("ROLE_ADMIN"));
        readsOnce.run();
        assertThat(reads[0]).isPositive();

        // A passed challenge or step-up: a factor issued anew.
        clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", password(), new SimpleGrantedAuthority("ROLE_ADMIN"),
                TwoFactorAuthorities.totp(clock.instant()));
        readsOnce.run();
        assertThat(reads[0]).isPositive();
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        // A new sign-in with the password.
        clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", password(), new SimpleGrantedAuthority("ROLE_ADMIN"));
        readsOnce.run();
        assertThat(reads[0]).isPositive();
    }

    @Test
    void requirementChangedInThisSessionThenTheNextRequestReadsAtOnce() {
        Node node = new Node(BOUND);
        Browser browser = browser("carol", password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/settings/security/policy");
        request.setSession(browser.session);
        TwoFactorFactors.requirementChanged(request);

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
    }

    @Test
    void persistedSessionWhenRestoredThenTheFactsStillServe() throws Exception {
        Node node = new Node(BOUND);
        Browser browser = browser("carol", password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        Object facts = browser.session.getAttribute(SessionRequirements.ATTRIBUTE);
        browser.session.setAttribute(SessionRequirements.ATTRIBUTE, roundTrip(facts));
        storeCalls.set(0);

        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        assertThat(storeCalls.get()).isZero();
        assertThat(facts).hasToString("RequirementFacts[NOTHING, readAt=2030-01-01T00:00:00Z]");
    }

    @Test
    void boundWhenNegativeOrOverTenMinutesThenRefused() {
        TwoFactorConfigurer configurer = TwoFactorConfigurer.twoFactor();
        assertThatThrownBy(() -> configurer.requirementMaxAge(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> configurer.requirementMaxAge(Duration.ofMinutes(10).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TwoFactorAuthorizationManager(nodeA, a -> UserContext.of(a.getName(), false),
                Duration.ofMinutes(11))).isInstanceOf(IllegalArgumentException.class);
        assertThat(configurer.requirementMaxAge(Duration.ofMinutes(10))).isSameAs(configurer);
        assertThat(new TwoFactorAuthorizationManager(nodeA, a -> UserContext.of(a.getName(), false))
                .requirementMaxAge()).isEqualTo(Duration.ofSeconds(10)).isEqualTo(RequirementFacts.DEFAULT_MAX_AGE);
    }

    private Browser browser(String user, GrantedAuthority... authorities) {
        return new Browser(concurrentSession(), signedIn(user, authorities));
    }

    private FactorGrantedAuthority password() {
        return FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                .issuedAt(clock.instant()).build();
    }

    private static Authentication signedIn(String user, GrantedAuthority... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken(user, null, List.of(authorities));
        token.setAuthenticated(true);
        return token;
    }

    private void enrol(TwoFactorService service, String user) {
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

    private static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
