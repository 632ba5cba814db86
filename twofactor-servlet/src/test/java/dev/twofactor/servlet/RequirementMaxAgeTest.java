package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.Enrolment;
import dev.twofactor.EnforcementLevel;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.Requirement;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.servlet.DirectRequests.Session;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TwoFactorWebConfig#requirementMaxAge()}: in every session state the filter makes no store call per request
 * in the steady state, and what the per-request read bought still holds within the bound. Two nodes: two services
 * (same key ring) on one store; node A's filter is measured, with node A's store calls counted; node B is "elsewhere"
 * (another node, or the host calling the service). The filter is called directly ({@link DirectRequests}) so that
 * 10,000 requests per state take milliseconds; the clock is the services' {@link MutableClock}, never a sleep.
 */
class RequirementMaxAgeTest {

    private static final Duration BOUND = SessionFacts.DEFAULT_MAX_AGE;
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-password", "carol", "carol-password");
    private static final String ENROLMENT = TwoFactorPaths.DEFAULT_ENROLMENT;
    private static final String CHALLENGE = TwoFactorPaths.DEFAULT_CHALLENGE;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final InMemoryTwoFactorStore shared = new InMemoryTwoFactorStore();
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final SecretCipher cipher;
    private final TwoFactorService nodeA;
    private final TwoFactorService nodeB;

    RequirementMaxAgeTest() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("test-1", key).build());
        nodeA = service(TwoFactorApp.counting(shared, storeCalls, new AtomicReference<>()));
        nodeB = service(shared);
    }

    private TwoFactorService service(TwoFactorStore store) {
        return TwoFactorService.builder().issuer("Servlet Test").store(store).secretCipher(cipher).clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .passwordVerifier((userId, password) -> String.valueOf(password).equals(PASSWORDS.get(userId))
                        ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH)
                .userDirectory(PASSWORDS::containsKey)
                .build();
    }

    /** Node A's filter and sign-in helper with one bound. */
    private final class Node {
        final TwoFactorWebConfig config;
        final TwoFactorFilter filter;
        final TwoFactorSignIn signIn;

        Node(Duration maxAge) {
            config = TwoFactorWebConfig.builder(nodeA).requirementMaxAge(maxAge).build();
            filter = new TwoFactorFilter(config);
            signIn = new TwoFactorSignIn(config);
        }

        Session passwordAccepted(String userId) {
            Session browser = new Session();
            signIn.passwordAccepted(browser.request("POST", "/login"), UserContext.of(userId, false));
            return browser;
        }

        Page get(Session browser) {
            HttpServletRequest request = browser.request("GET", "/home");
            DirectRequests.Response response = new DirectRequests.Response();
            AtomicReference<Page> reached = new AtomicReference<>();
            try {
                filter.doFilter(request, response.response, (req, res) -> reached.set(new Page(200, null,
                        ((HttpServletRequest) req).getRemoteUser(),
                        TwoFactorSessions.enrolmentRequirement((HttpServletRequest) req).orElse(null))));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return reached.get() != null ? reached.get() : new Page(response.status, response.location(), null, null);
        }
    }

    /** What one page request got: the application reached (200, its user and reminder) or a redirect. */
    record Page(int status, String location, String user, Requirement.Enrol reminder) {
        boolean signedInAs(String userId) {
            return status == 200 && userId.equals(user);
        }

        boolean sentTo(String path) {
            return status == 302 && path.equals(location);
        }
    }

    enum State { PASSED_CHALLENGE, PASSWORD_ONLY, GRACE_PERIOD, ENROLMENT_ENFORCED, HALF_OPEN }

    private Session session(Node node, State state) {
        switch (state) {
            case PASSED_CHALLENGE -> {
                TotpSecret secret = enrol(nodeB, "alice");
                clock.advance(Duration.ofSeconds(30));
                Session browser = node.passwordAccepted("alice");
                assertThat(node.signIn.verifyChallenge(browser.request("POST", CHALLENGE), code(secret), null))
                        .isInstanceOf(ChallengeResult.Passed.class);
                return browser;
            }
            case HALF_OPEN -> {
                enrol(nodeB, "alice");
                return node.passwordAccepted("alice");
            }
            case GRACE_PERIOD -> nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
            case ENROLMENT_ENFORCED -> nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
            default -> { }
        }
        return node.passwordAccepted("carol");
    }

    private static boolean expected(State state, Page page) {
        return switch (state) {
            case PASSED_CHALLENGE -> page.signedInAs("alice") && page.reminder() == null;
            case PASSWORD_ONLY -> page.signedInAs("carol") && page.reminder() == null;
            case GRACE_PERIOD -> page.signedInAs("carol") && page.reminder() != null && !page.reminder().enforced();
            case ENROLMENT_ENFORCED -> page.sentTo(ENROLMENT);
            case HALF_OPEN -> page.sentTo(CHALLENGE);
        };
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void everySessionStateWhen10000RequestsWithinTheBoundThenNoStoreCallAndOneReadOnceItHasPassed(State state) {
        Node node = new Node(BOUND);
        Session browser = session(node, state);
        Instant signedIn = clock.instant();
        storeCalls.set(0);

        // 10,000 page views over 9.999 s: all within the bound of the read made at sign-in.
        for (int i = 0; i < 10_000; i++) {
            Page page = node.get(browser);
            assertThat(expected(state, page)).as("request %d: %s", i, page).isTrue();
            clock.advance(Duration.ofNanos(999_900));
        }
        assertThat(clock.instant()).isBefore(signedIn.plus(BOUND));
        assertThat(storeCalls.get()).as("store calls over 10,000 requests").isZero();

        // The bound has passed: the sessions that rely on a read read once, then rely on it again.
        clock.set(signedIn.plus(BOUND));
        assertThat(expected(state, node.get(browser))).isTrue();
        int reread = storeCalls.get();
        for (int i = 0; i < 10_000; i++) {
            assertThat(expected(state, node.get(browser))).isTrue();
        }
        boolean reads = state != State.PASSED_CHALLENGE && state != State.HALF_OPEN;
        if (reads) {
            assertThat(reread).as("one requirementFor after the bound").isPositive();
        } else {
            assertThat(reread).as("%s reads nothing", state).isZero();
        }
        assertThat(storeCalls.get()).as("store calls over the next 10,000 requests").isEqualTo(reread);
    }

    @Test
    void zeroBoundWhenPasswordOnlyThenEveryRequestReadsAsBefore() {
        Node node = new Node(Duration.ZERO);
        Session browser = node.passwordAccepted("carol");
        storeCalls.set(0);

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(browser).signedInAs("carol")).isTrue();
        }

        assertThat(storeCalls.get()).isGreaterThanOrEqualTo(100);
        assertThat(browser.attributes).doesNotContainKey(SessionFacts.ATTRIBUTE);
    }

    @Test
    void enabledElsewhereWhenWithinTheBoundThenStillPassesAndOnceItHasPassedOwesTheChallenge() {
        Node node = new Node(BOUND);
        Session thief = node.passwordAccepted("carol");
        Instant read = clock.instant();
        assertThat(node.get(thief).signedInAs("carol")).isTrue();

        // Carol turns on two-factor authentication on node B: the session holding only her password...
        clock.advance(Duration.ofSeconds(1));
        TotpSecret secret = enrol(nodeB, "carol");
        assertThat(node.get(thief).signedInAs("carol")).isTrue();
        clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(thief).signedInAs("carol")).isTrue();

        // ...is cut off once the bound has passed: from then on only the challenge is reachable.
        clock.set(read.plus(BOUND));
        for (int i = 0; i < 3; i++) {
            Page page = node.get(thief);
            assertThat(page.sentTo(CHALLENGE)).as(page.toString()).isTrue();
            assertThat(page.user()).isNull();
        }
        assertThat(SessionState.slotOf(thief.session).get().halfOpen()).isTrue();

        // Carol herself passes it with her new authenticator.
        clock.advance(Duration.ofSeconds(30));
        assertThat(node.signIn.verifyChallenge(thief.request("POST", CHALLENGE), code(secret), null))
                .isInstanceOf(ChallengeResult.Passed.class);
        assertThat(node.get(thief).signedInAs("carol")).isTrue();
    }

    @Test
    void enabledElsewhereWhenZeroBoundThenChallengedOnTheVeryNextRequest() {
        Node node = new Node(Duration.ZERO);
        Session thief = node.passwordAccepted("carol");
        assertThat(node.get(thief).signedInAs("carol")).isTrue();

        enrol(nodeB, "carol");

        assertThat(node.get(thief).sentTo(CHALLENGE)).isTrue();
    }

    @Test
    void configuredBoundWhenLongerThanTheDefaultThenItIsTheOneThatCounts() {
        Duration bound = Duration.ofSeconds(30);
        Node node = new Node(bound);
        Session thief = node.passwordAccepted("carol");
        Instant read = clock.instant();
        enrol(nodeB, "carol");

        clock.set(read.plus(Duration.ofSeconds(20)));   // past the default, within the configured bound
        assertThat(node.get(thief).signedInAs("carol")).isTrue();
        clock.set(read.plus(bound));
        assertThat(node.get(thief).sentTo(CHALLENGE)).isTrue();
    }

    @Test
    void enabledElsewhereWhenManyRequestsRunConcurrentlyThenEveryRequestAfterTheBoundIsRefused() throws Exception {
        Node node = new Node(BOUND);
        Session thief = node.passwordAccepted("carol");
        Instant read = clock.instant();
        AtomicBoolean pastBound = new AtomicBoolean();
        AtomicInteger passedAfterBound = new AtomicInteger();
        AtomicInteger refusedAfterBound = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                requests.add(pool.submit(() -> {
                    started.countDown();
                    for (int i = 0; i < 4_000; i++) {
                        boolean after = pastBound.get();   // read before the request: it starts past the bound
                        Page page = node.get(thief);
                        if (after) {
                            (page.sentTo(CHALLENGE) ? refusedAfterBound : passedAfterBound).incrementAndGet();
                        }
                    }
                }));
            }
            started.await();
            enrol(nodeB, "carol");
            clock.set(read.plus(BOUND));
            pastBound.set(true);
            for (Future<?> request : requests) {
                request.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(passedAfterBound.get()).isZero();
        assertThat(refusedAfterBound.get()).isPositive();
        assertThat(node.get(thief).sentTo(CHALLENGE)).isTrue();
    }

    @Test
    void policyChangedElsewhereWhenWithinTheBoundThenOldPolicyAndOnceItHasPassedTheNewOne() {
        Node node = new Node(BOUND);
        Session browser = node.passwordAccepted("carol");
        Instant read = clock.instant();

        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(browser).signedInAs("carol")).isTrue();
        clock.set(read.plus(BOUND));
        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();

        // Relaxed again elsewhere: the enrolment screen stays the only way on for at most the bound.
        Instant enforcedRead = clock.instant();
        nodeB.setPolicy("root", EnforcementLevel.NONE, Duration.ZERO);
        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();
        clock.set(enforcedRead.plus(BOUND));
        assertThat(node.get(browser).signedInAs("carol")).isTrue();
    }

    @Test
    void policyChangedElsewhereWhenZeroBoundThenAppliesOnTheVeryNextRequest() {
        Node node = new Node(Duration.ZERO);
        Session browser = node.passwordAccepted("carol");
        assertThat(node.get(browser).signedInAs("carol")).isTrue();

        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);

        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();
    }

    @Test
    void gracePeriodWhenItEndsWithinTheBoundThenEnforcedOnTime() {
        Node node = new Node(BOUND);
        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
        clock.advance(Duration.ofDays(7).minusSeconds(5));
        Session browser = node.passwordAccepted("carol");
        assertThat(node.get(browser).reminder().enforced()).isFalse();
        storeCalls.set(0);

        clock.advance(Duration.ofSeconds(5));   // the deadline, 5 s after the read: no new read, yet enforced

        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();
        assertThat(storeCalls.get()).isZero();
    }

    @Test
    void disabledInThisSessionThenThePolicyAppliesOnTheNextRequestAndAnEnableElsewhereWithinTheBound() {
        Node node = new Node(BOUND);
        nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Session browser = session(node, State.PASSED_CHALLENGE);
        assertThat(node.get(browser).signedInAs("alice")).isTrue();

        assertThat(node.signIn.disable(browser.request("POST", "/disable"), "alice-password".toCharArray())
                .succeeded()).isTrue();
        Instant read = clock.instant();
        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();   // the session's own change: read at once

        clock.advance(Duration.ofSeconds(30));
        enrol(nodeB, "alice");   // enabled again elsewhere: this session now holds the password only
        clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(browser).sentTo(ENROLMENT)).isTrue();
        clock.set(read.plus(BOUND));
        assertThat(node.get(browser).sentTo(CHALLENGE)).isTrue();
    }

    @Test
    void disabledElsewhereWhenHalfOpenThenTheChallengeIsStillOwedBeforeAndAfterTheBound() {
        Node node = new Node(BOUND);
        Session browser = session(node, State.HALF_OPEN);
        Instant read = clock.instant();

        assertThat(nodeB.disable("alice", "alice-password".toCharArray()).succeeded()).isTrue();
        assertThat(node.get(browser).sentTo(CHALLENGE)).isTrue();
        clock.set(read.plus(BOUND));

        assertThat(node.get(browser).sentTo(CHALLENGE)).isTrue();
        assertThat(SessionState.slotOf(browser.session).get().halfOpen()).isTrue();
    }

    @Test
    void refreshWhenPasswordOnlyThenTheNextRequestReadsAtOnce() {
        Node node = new Node(BOUND);
        Session browser = node.passwordAccepted("carol");
        enrol(nodeB, "carol");
        assertThat(node.get(browser).signedInAs("carol")).isTrue();

        node.signIn.refresh(browser.request("POST", "/refresh"));

        assertThat(node.get(browser).sentTo(CHALLENGE)).isTrue();
    }

    @Test
    void persistedSessionWhenRestoredThenTheFactsStillServe() throws Exception {
        Node node = new Node(BOUND);
        Session browser = node.passwordAccepted("carol");
        for (Map.Entry<String, Object> attribute : browser.attributes.entrySet()) {
            attribute.setValue(roundTrip(attribute.getValue()));
        }
        storeCalls.set(0);

        assertThat(node.get(browser).signedInAs("carol")).isTrue();
        assertThat(storeCalls.get()).isZero();
        assertThat(browser.attributes.get(SessionFacts.ATTRIBUTE).toString())
                .isEqualTo("SessionFacts[NOTHING, readAt=2030-01-01T00:00:00Z]");
    }

    @Test
    void boundWhenNegativeOrOverTenMinutesThenRefused() {
        TwoFactorWebConfig.Builder builder = TwoFactorWebConfig.builder(nodeA);
        assertThatThrownBy(() -> builder.requirementMaxAge(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requirementMaxAge(Duration.ofMinutes(10).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.requirementMaxAge(Duration.ofMinutes(10)).build().requirementMaxAge())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(TwoFactorWebConfig.builder(nodeA).build().requirementMaxAge()).isEqualTo(Duration.ofSeconds(10));
    }

    private TotpSecret enrol(TwoFactorService service, String userId) {
        Enrolment enrolment = TwoFactorApp.success(service.startEnrolment(userId, userId + "@example.com"));
        TwoFactorApp.success(service.confirmEnrolment(userId, code(enrolment.secret())));
        return enrolment.secret();
    }

    private String code(TotpSecret secret) {
        return Totp.defaults().generateAt(secret, clock.instant());
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
