package dev.twofactor.internal.web;

import static dev.twofactor.internal.web.CountedService.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Requirement;
import dev.twofactor.UserContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link RequirementFacts}: the bound's validation, what is kept (and when nothing is), and when kept facts answer in
 * place of {@link dev.twofactor.TwoFactorService#requirementFor}. The instants of the bound are in {@link
 * RequirementFactsBoundTest}.
 */
class RequirementFactsTest {

    static final Duration BOUND = Duration.ofSeconds(10);
    static final UserContext ALICE = UserContext.of("alice", false);
    static final String STATE = "session-1";

    private final CountedService counted = new CountedService();
    private final RecordingHolder session = new RecordingHolder();

    @Test
    void checkMaxAgeAcceptsZeroToTenMinutesAndReturnsTheBound() {
        assertThat(RequirementFacts.checkMaxAge(Duration.ZERO)).isSameAs(Duration.ZERO);
        assertThat(RequirementFacts.checkMaxAge(Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
        assertThat(RequirementFacts.checkMaxAge(RequirementFacts.DEFAULT_MAX_AGE))
                .isEqualTo(Duration.ofSeconds(10));
        Duration tenMinutes = Duration.ofMinutes(10);
        assertThat(RequirementFacts.checkMaxAge(tenMinutes)).isSameAs(tenMinutes);
        assertThat(RequirementFacts.MAX_MAX_AGE).isEqualTo(tenMinutes);
    }

    @Test
    void checkMaxAgeWhenNegativeOrOverTenMinutesThenIllegalArgument() {
        assertThatThrownBy(() -> RequirementFacts.checkMaxAge(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requirementMaxAge must be zero or more and at most 10 minutes: PT-0.000000001S");
        assertThatThrownBy(() -> RequirementFacts.checkMaxAge(Duration.ofMinutes(10).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requirementMaxAge must be zero or more and at most 10 minutes: PT10M0.000000001S");
        assertThatThrownBy(() -> RequirementFacts.checkMaxAge(null))
                .isInstanceOf(NullPointerException.class).hasMessage("requirementMaxAge");
    }

    @Test
    void requirementWithoutFactsThenReadAndKeptWithTheRequestInstant() {
        Instant now = START.plusSeconds(3);

        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, now))
                .isEqualTo(Requirement.Nothing.INSTANCE);

        assertThat(counted.asked()).isTrue();
        assertThat(session.kept).hasSize(1);
        assertThat(session.kept.get(0).describe()).isEqualTo("NOTHING, readAt=" + now);
    }

    @Test
    void requirementWithinTheBoundThenServedFromTheFactsWithoutRead() {
        RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, START);
        assertThat(counted.asked()).isTrue();
        // The policy changes: an answer from the facts still says Nothing, a read would say Enrol.
        counted.everyoneMustEnrol(Duration.ofDays(7));
        counted.asked();

        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, START.plusSeconds(5)))
                .isEqualTo(Requirement.Nothing.INSTANCE);

        assertThat(counted.asked()).isFalse();
        assertThat(session.kept).hasSize(1);
        assertThat(session.looks).isEqualTo(2);
    }

    @Test
    void requirementWhenFactsReadAgainThenTheNewAnswerReplacesThem() {
        RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, START);
        counted.everyoneMustEnrol(Duration.ofDays(7));
        Instant later = START.plus(BOUND);

        Requirement requirement = RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, later);

        assertThat(requirement).isEqualTo(new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE,
                START.plus(Duration.ofDays(7)), false));
        assertThat(session.kept).hasSize(2);
        assertThat(session.facts().describe()).isEqualTo("ENROL, readAt=" + later);
    }

    @Test
    void requirementWithAZeroBoundThenReadOnEveryRequestAndNothingKept() {
        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);
        session.kept.clear();

        assertThat(RequirementFacts.requirement(session, counted.service, Duration.ZERO, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
        assertThat(RequirementFacts.requirement(session, counted.service, Duration.ZERO, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
        assertThat(session.kept).isEmpty();
        // Not even looked at: a zero bound never serves facts.
        assertThat(session.looks).isZero();
    }

    @Test
    void requirementWithoutASessionThenReadOnEveryRequest() {
        assertThat(RequirementFacts.requirement(null, counted.service, BOUND, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
        assertThat(RequirementFacts.requirement(null, counted.service, BOUND, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void rememberKeepsOnlyWithANonZeroBoundAndASession() {
        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, START, Duration.ZERO);
        assertThat(session.kept).isEmpty();

        RequirementFacts.remember(null, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);

        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, START, Duration.ofNanos(1));
        assertThat(session.kept).hasSize(1);
        assertThat(session.kept.get(0).describe()).isEqualTo("CHALLENGE, readAt=" + START);
    }

    @Test
    void rememberWhenStateOrInstantNullThenNullPointer() {
        assertThatThrownBy(() -> RequirementFacts.remember(session, null, ALICE, Requirement.Nothing.INSTANCE,
                START, BOUND)).isInstanceOf(NullPointerException.class).hasMessage("readFor");
        assertThatThrownBy(() -> RequirementFacts.remember(session, STATE, ALICE, Requirement.Nothing.INSTANCE,
                null, BOUND)).isInstanceOf(NullPointerException.class).hasMessage("readAt");
        assertThat(session.kept).isEmpty();
    }

    @Test
    void factsServeEachKindTheyWereReadAs() {
        Requirement.Enrol enrol = new Requirement.Enrol("Enrol now", START.plus(Duration.ofDays(1)), false);
        for (Requirement kept : new Requirement[] {Requirement.Challenge.INSTANCE, Requirement.Nothing.INSTANCE,
                enrol}) {
            RequirementFacts.remember(session, STATE, ALICE, kept, START, BOUND);

            assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE,
                    START.plusSeconds(1))).isEqualTo(kept);
            assertThat(counted.asked()).as("%s", kept).isFalse();
        }
    }

    @Test
    void factsHoldForAnEqualStateAndTheSameUserOnly() {
        UserContext joined = new UserContext("alice", false, START.minusSeconds(60));
        RequirementFacts.remember(session, STATE, joined, Requirement.Challenge.INSTANCE, START, BOUND);
        Instant now = START.plusSeconds(1);

        // Equal, not the same objects.
        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, new String("session-1"),
                new UserContext(new String("alice"), false, Instant.parse(START.minusSeconds(60).toString())), now))
                .isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(counted.asked()).isFalse();

        UserContext[] others = {new UserContext("bob", false, joined.policyAppliesSince()),
            new UserContext("alice", true, joined.policyAppliesSince()), UserContext.of("alice", false),
            new UserContext("alice", false, START)};
        for (UserContext other : others) {
            RequirementFacts.remember(session, STATE, joined, Requirement.Challenge.INSTANCE, START, BOUND);

            assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE, other, now))
                    .as("%s", other).isEqualTo(Requirement.Nothing.INSTANCE);
            assertThat(counted.asked()).as("%s", other).isTrue();
        }

        RequirementFacts.remember(session, STATE, joined, Requirement.Challenge.INSTANCE, START, BOUND);
        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, "session-2", joined, now))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void factsReadForAUserWithoutPolicyStartHoldForThatUserOnly() {
        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);

        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE,
                new UserContext("alice", false, START), START.plusSeconds(1))).isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();

        RequirementFacts.remember(session, STATE, UserContext.of("admin", true), Requirement.Challenge.INSTANCE,
                START, BOUND);
        assertThat(RequirementFacts.requirement(session, counted.service, BOUND, STATE, UserContext.of("admin", true),
                START.plusSeconds(1))).isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(counted.asked()).isFalse();
    }

    @Test
    void describeAndToStringNameOnlyTheKindAndTheInstant() {
        UserContext user = new UserContext("carol-user-id", true, START);
        RequirementFacts.remember(session, "state-secretless-7", user,
                new Requirement.Enrol("Enrol message", START.plusSeconds(99), true), START, BOUND);
        RequirementFacts facts = session.facts();

        assertThat(facts.describe()).isEqualTo("ENROL, readAt=2026-01-01T00:00:00Z");
        assertThat(facts.toString()).isEqualTo("RequirementFacts[ENROL, readAt=2026-01-01T00:00:00Z]");
        assertThat(facts.toString()).doesNotContain("carol", "state-secretless", "Enrol message", "00:01:39");
    }

    @Test
    void serializedFactsKeepTheirAnswerAndTheirRules() throws Exception {
        Requirement.Enrol enrol = new Requirement.Enrol("Enrol now", START.plusSeconds(5), false);
        RequirementFacts.remember(session, STATE, ALICE, enrol, START, BOUND);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(session.facts());
        }
        RecordingHolder restored = new RecordingHolder();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored.keep((RequirementFacts) in.readObject());
        }

        assertThat(RequirementFacts.requirement(restored, counted.service, BOUND, STATE, ALICE, START.plusSeconds(1)))
                .isEqualTo(enrol);
        assertThat(RequirementFacts.requirement(restored, counted.service, BOUND, STATE, ALICE, START.plusSeconds(5)))
                .isEqualTo(new Requirement.Enrol("Enrol now", START.plusSeconds(5), true));
        assertThat(counted.asked()).isFalse();
        assertThat(RequirementFacts.requirement(restored, counted.service, BOUND, "other", ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }
}
