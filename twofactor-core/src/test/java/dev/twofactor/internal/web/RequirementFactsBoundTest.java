package dev.twofactor.internal.web;

import static dev.twofactor.internal.web.CountedService.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.OrganisationPolicy;
import dev.twofactor.Requirement;
import dev.twofactor.UserContext;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link RequirementFacts} at the instants that decide: the read instant, one nanosecond before and at the read
 * instant plus the bound, a clock set back, and a grace deadline on each request's own clock.
 */
class RequirementFactsBoundTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final UserContext ALICE = UserContext.of("alice", false);
    private static final String STATE = "session-1";
    private static final Instant READ_AT = START.plusSeconds(100);

    private final CountedService counted = new CountedService();
    private final RecordingHolder session = new RecordingHolder();

    private Requirement at(Instant now) {
        return RequirementFacts.requirement(session, counted.service, BOUND, STATE, ALICE, now);
    }

    private void keepChallengeReadAt(Instant readAt) {
        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, readAt, BOUND);
    }

    @Test
    void factsHoldFromTheReadInstantToOneNanosecondBeforeTheBound() {
        keepChallengeReadAt(READ_AT);
        assertThat(at(READ_AT)).isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(at(READ_AT.plus(BOUND).minusNanos(1))).isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(counted.asked()).isFalse();
        assertThat(session.kept).hasSize(1);
    }

    @Test
    void factsAtTheReadInstantPlusTheBoundThenReadAgain() {
        keepChallengeReadAt(READ_AT);

        assertThat(at(READ_AT.plus(BOUND))).isEqualTo(Requirement.Nothing.INSTANCE);

        assertThat(counted.asked()).isTrue();
        assertThat(session.facts().describe()).isEqualTo("NOTHING, readAt=" + READ_AT.plus(BOUND));
    }

    @Test
    void factsLongAfterTheBoundThenReadAgain() {
        keepChallengeReadAt(READ_AT);

        assertThat(at(READ_AT.plus(Duration.ofHours(1)))).isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void factsWhenTheClockIsSetBackThenReadAgain() {
        keepChallengeReadAt(READ_AT);

        assertThat(at(READ_AT.minusNanos(1))).isEqualTo(Requirement.Nothing.INSTANCE);

        assertThat(counted.asked()).isTrue();
        assertThat(session.facts().describe()).isEqualTo("NOTHING, readAt=" + READ_AT.minusNanos(1));
    }

    @Test
    void aOneNanosecondBoundHoldsAtTheReadInstantOnly() {
        RequirementFacts.remember(session, STATE, ALICE, Requirement.Challenge.INSTANCE, READ_AT, Duration.ofNanos(1));
        Duration oneNano = Duration.ofNanos(1);

        assertThat(RequirementFacts.requirement(session, counted.service, oneNano, STATE, ALICE, READ_AT))
                .isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(counted.asked()).isFalse();
        assertThat(RequirementFacts.requirement(session, counted.service, oneNano, STATE, ALICE, READ_AT.plusNanos(1)))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void graceDeadlineAppliedOnEachRequestsClockWithinTheBound() {
        // Everyone must enrol within 100 s of START: the service, asked 5 s before the deadline, says "remind".
        counted.everyoneMustEnrol(Duration.ofSeconds(100));
        Instant deadline = START.plusSeconds(100);
        Instant readAt = deadline.minusSeconds(5);
        counted.clock.set(readAt);
        String message = OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE;

        assertThat(at(readAt)).isEqualTo(new Requirement.Enrol(message, deadline, false));
        assertThat(counted.asked()).isTrue();

        assertThat(at(deadline.minusNanos(1))).isEqualTo(new Requirement.Enrol(message, deadline, false));
        assertThat(at(deadline)).isEqualTo(new Requirement.Enrol(message, deadline, true));
        assertThat(at(deadline.plusSeconds(4))).isEqualTo(new Requirement.Enrol(message, deadline, true));
        assertThat(counted.asked()).isFalse();
        assertThat(session.kept).hasSize(1);
    }

    @Test
    void enforcedFactsStayEnforcedWithOrWithoutADeadline() {
        Requirement.Enrol noGrace = new Requirement.Enrol("Enrol", null, true);
        RequirementFacts.remember(session, STATE, ALICE, noGrace, READ_AT, BOUND);
        assertThat(at(READ_AT.plusSeconds(1))).isEqualTo(noGrace);

        Requirement.Enrol remindWithout = new Requirement.Enrol("Enrol", null, false);
        RequirementFacts.remember(session, STATE, ALICE, remindWithout, READ_AT, BOUND);
        assertThat(at(READ_AT.plusSeconds(1))).isEqualTo(remindWithout);

        // Enforced as read, even if the request's clock is before the deadline it was read with.
        Requirement.Enrol enforcedEarly = new Requirement.Enrol("Enrol", READ_AT.plusSeconds(5), true);
        RequirementFacts.remember(session, STATE, ALICE, enforcedEarly, READ_AT, BOUND);
        assertThat(at(READ_AT.plusSeconds(1))).isEqualTo(enforcedEarly);

        assertThat(counted.asked()).isFalse();
    }

    @Test
    void aServiceAnswerWithoutGraceIsKeptEnforced() {
        counted.everyoneMustEnrol(Duration.ZERO);
        Requirement.Enrol enforced = new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, null, true);

        assertThat(at(READ_AT)).isEqualTo(enforced);
        assertThat(counted.asked()).isTrue();
        assertThat(at(READ_AT.plusSeconds(9))).isEqualTo(enforced);
        assertThat(counted.asked()).isFalse();
    }
}
