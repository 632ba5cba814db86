package dev.twofactor.spring.security;

import static dev.twofactor.spring.security.RequirementMaxAgeFixture.BOUND;
import static dev.twofactor.spring.security.RequirementMaxAgeFixture.ENROLMENT;
import static dev.twofactor.spring.security.RequirementMaxAgeFixture.signedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.UserContext;
import dev.twofactor.internal.web.RequirementFacts;
import dev.twofactor.spring.security.RequirementMaxAgeFixture.Answer;
import dev.twofactor.spring.security.RequirementMaxAgeFixture.Browser;
import dev.twofactor.spring.security.RequirementMaxAgeFixture.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@code requirementMaxAge} of the Spring Security integration ({@link TwoFactorAuthorizationManager}, applied by
 * {@link TwoFactorEnforcementFilter}): in every session state no store call per request in the steady state, and what
 * the per-request read bought still holds within the bound. The nodes and browsers are
 * {@link RequirementMaxAgeFixture}'s; many requests at once are {@link RequirementMaxAgeConcurrencyTest}'s.
 */
class RequirementMaxAgeTest {

    private final RequirementMaxAgeFixture f = new RequirementMaxAgeFixture();

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    enum State { PASSED_CHALLENGE, PASSWORD_ONLY, GRACE_PERIOD, ENROLMENT_ENFORCED, HALF_OPEN }

    private Browser session(State state) {
        switch (state) {
            case PASSED_CHALLENGE -> {
                f.enrol(f.nodeB, "alice");
                return f.browser("alice", f.password(), TwoFactorAuthorities.totp(f.clock.instant()));
            }
            case HALF_OPEN -> {
                f.enrol(f.nodeB, "alice");
                return f.browser("alice", f.password());
            }
            case GRACE_PERIOD -> f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
            case ENROLMENT_ENFORCED -> f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
            default -> { }
        }
        return f.browser("carol", f.password());
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
        Node node = f.node(BOUND);
        Browser browser = session(state);
        Instant read = f.clock.instant();
        assertThat(node.get(browser)).isEqualTo(expected(state));
        f.storeCalls.set(0);

        // 10,000 requests over 9.999 s: all within the bound of the first read.
        for (int i = 0; i < 10_000; i++) {
            assertThat(node.get(browser)).as("request %d", i).isEqualTo(expected(state));
            f.clock.advance(Duration.ofNanos(999_900));
        }
        assertThat(f.clock.instant()).isBefore(read.plus(BOUND));
        assertThat(f.storeCalls.get()).as("store calls over 10,000 requests").isZero();

        // The bound has passed: the session reads once, then relies on that read again.
        f.clock.set(read.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(expected(state));
        int reread = f.storeCalls.get();
        for (int i = 0; i < 10_000; i++) {
            assertThat(node.get(browser)).isEqualTo(expected(state));
        }
        assertThat(reread).as("one requirementFor after the bound").isPositive();
        assertThat(f.storeCalls.get()).as("store calls over the next 10,000 requests").isEqualTo(reread);
    }

    @Test
    void zeroBoundWhenPasswordOnlyThenEveryRequestReadsAsBefore() {
        Node node = f.node(Duration.ZERO);
        Browser browser = f.browser("carol", f.password());
        f.storeCalls.set(0);

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        }

        assertThat(f.storeCalls.get()).isGreaterThanOrEqualTo(100);
        assertThat(browser.session.getAttribute(SessionRequirements.ATTRIBUTE)).isNull();
    }

    @Test
    void statelessRequestWhenNoSessionThenEveryRequestReadsAndNoSessionIsCreated() {
        Node node = f.node(BOUND);
        Browser basic = new Browser(null, signedIn("carol", f.password()));
        f.storeCalls.set(0);

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(basic)).isEqualTo(Answer.GRANTED);   // Node.get also checks no session was made
        }

        assertThat(f.storeCalls.get()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void enabledElsewhereWhenWithinTheBoundThenStillPassesAndOnceItHasPassedOwesTheChallenge() {
        Node node = f.node(BOUND);
        Browser thief = f.browser("carol", f.password());
        Instant read = f.clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        // Carol turns on two-factor authentication on node B: the session holding only her password...
        f.clock.advance(Duration.ofSeconds(1));
        f.enrol(f.nodeB, "carol");
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        f.clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        // ...is cut off once the bound has passed: from then on only the challenge is reachable.
        f.clock.set(read.plus(BOUND));
        for (int i = 0; i < 3; i++) {
            assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
        }
        // Another session of hers, signed in after the enable, owes it at once.
        assertThat(node.get(f.browser("carol", f.password()))).isEqualTo(Answer.CHALLENGE);
        // Carol herself passes the challenge (a new authentication state): through, read again.
        thief.authentication = signedIn("carol", f.password(), TwoFactorAuthorities.totp(f.clock.instant()));
        f.storeCalls.set(0);
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        assertThat(f.storeCalls.get()).isPositive();
    }

    @Test
    void enabledElsewhereWhenZeroBoundThenChallengedOnTheVeryNextRequest() {
        Node node = f.node(Duration.ZERO);
        Browser thief = f.browser("carol", f.password());
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);

        f.enrol(f.nodeB, "carol");

        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    @Test
    void configuredBoundWhenLongerThanTheDefaultThenItIsTheOneThatCounts() {
        Duration bound = Duration.ofSeconds(30);
        Node node = f.node(bound);
        Browser thief = f.browser("carol", f.password());
        Instant read = f.clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        f.enrol(f.nodeB, "carol");

        f.clock.set(read.plus(Duration.ofSeconds(20)));   // past the default, within the configured bound
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        f.clock.set(read.plus(bound));
        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    @Test
    void policyChangedElsewhereWhenWithinTheBoundThenOldPolicyAndOnceItHasPassedTheNewOne() {
        Node node = f.node(BOUND);
        Browser browser = f.browser("carol", f.password());
        Instant read = f.clock.instant();
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        f.clock.set(read.plus(BOUND).minusMillis(1));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        f.clock.set(read.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        assertThat(node.get(browser, ENROLMENT + "/start")).isEqualTo(Answer.GRANTED);

        // Relaxed again elsewhere: the enrolment screen stays the only way on for at most the bound.
        Instant enforcedRead = f.clock.instant();
        f.nodeB.setPolicy("root", EnforcementLevel.NONE, Duration.ZERO);
        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        f.clock.set(enforcedRead.plus(BOUND));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
    }

    @Test
    void policyChangedElsewhereWhenZeroBoundThenAppliesOnTheVeryNextRequest() {
        Node node = f.node(Duration.ZERO);
        Browser browser = f.browser("carol", f.password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
    }

    @Test
    void gracePeriodWhenItEndsWithinTheBoundThenEnforcedOnTime() {
        Node node = f.node(BOUND);
        f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
        f.clock.advance(Duration.ofDays(7).minusSeconds(5));
        Browser browser = f.browser("carol", f.password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        f.storeCalls.set(0);

        f.clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        f.clock.advance(Duration.ofNanos(1));   // the deadline, 5 s after the read: no new read, yet enforced

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
        assertThat(f.storeCalls.get()).isZero();
    }

    @Test
    void factsWhenAnotherPrincipalRoleStepUpOrSignInThenReadAgain() {
        Node node = f.node(BOUND);
        f.enrol(f.nodeB, "alice");
        Browser browser = f.browser("carol", f.password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        int[] reads = new int[1];
        Runnable readsOnce = () -> {
            f.storeCalls.set(0);
            node.get(browser);
            reads[0] = f.storeCalls.get();
            f.storeCalls.set(0);
            node.get(browser);
            assertThat(f.storeCalls.get()).as("then relies on it").isZero();
        };

        // Another principal in the same session (the facts were carol's): alice owes the challenge at once.
        browser.authentication = signedIn("alice", f.password());
        readsOnce.run();
        assertThat(reads[0]).isPositive();
        assertThat(node.get(browser)).isEqualTo(Answer.CHALLENGE);

        // The same user with another role.
        f.clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", f.password(), new SimpleGrantedAuthority("ROLE_ADMIN"));
        readsOnce.run();
        assertThat(reads[0]).isPositive();

        // A passed challenge or step-up: a factor issued anew.
        f.clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", f.password(), new SimpleGrantedAuthority("ROLE_ADMIN"),
                TwoFactorAuthorities.totp(f.clock.instant()));
        readsOnce.run();
        assertThat(reads[0]).isPositive();
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        // A new sign-in with the password.
        f.clock.advance(Duration.ofSeconds(1));
        browser.authentication = signedIn("alice", f.password(), new SimpleGrantedAuthority("ROLE_ADMIN"));
        readsOnce.run();
        assertThat(reads[0]).isPositive();
    }

    @Test
    void requirementChangedInThisSessionThenTheNextRequestReadsAtOnce() {
        Node node = f.node(BOUND);
        Browser browser = f.browser("carol", f.password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        f.nodeB.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);

        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/settings/security/policy");
        request.setSession(browser.session);
        TwoFactorFactors.requirementChanged(request);

        assertThat(node.get(browser)).isEqualTo(Answer.ENROL);
    }

    @Test
    void persistedSessionWhenRestoredThenTheFactsStillServe() throws Exception {
        Node node = f.node(BOUND);
        Browser browser = f.browser("carol", f.password());
        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        Object facts = browser.session.getAttribute(SessionRequirements.ATTRIBUTE);
        browser.session.setAttribute(SessionRequirements.ATTRIBUTE, roundTrip(facts));
        f.storeCalls.set(0);

        assertThat(node.get(browser)).isEqualTo(Answer.GRANTED);
        assertThat(f.storeCalls.get()).isZero();
        assertThat(facts).hasToString("RequirementFacts[NOTHING, readAt=2030-01-01T00:00:00Z]");
    }

    @Test
    void boundWhenNegativeOrOverTenMinutesThenRefused() {
        TwoFactorConfigurer configurer = TwoFactorConfigurer.twoFactor();
        assertThatThrownBy(() -> configurer.requirementMaxAge(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> configurer.requirementMaxAge(Duration.ofMinutes(10).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TwoFactorAuthorizationManager(f.nodeA, a -> UserContext.of(a.getName(), false),
                Duration.ofMinutes(11))).isInstanceOf(IllegalArgumentException.class);
        assertThat(configurer.requirementMaxAge(Duration.ofMinutes(10))).isSameAs(configurer);
        assertThat(new TwoFactorAuthorizationManager(f.nodeA, a -> UserContext.of(a.getName(), false))
                .requirementMaxAge()).isEqualTo(Duration.ofSeconds(10)).isEqualTo(RequirementFacts.DEFAULT_MAX_AGE);
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
