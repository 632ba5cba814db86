package dev.twofactor.internal.web;

import static dev.twofactor.internal.web.CountedService.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.Requirement;
import dev.twofactor.UserContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionAttributeHolder}: the facts go through the attribute's read and write given to it, and an invalidated
 * session (its read or write throwing {@link IllegalStateException}, as a servlet container does) means "no facts" and
 * "nothing kept", never an exception; any other exception of the attribute passes through.
 */
class SessionAttributeHolderTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final UserContext ALICE = UserContext.of("alice", false);
    private static final String STATE = "session-1";

    private final CountedService counted = new CountedService();
    /** The attribute's value; {@code null} when absent. */
    private RequirementFacts attribute;
    private final List<RequirementFacts> written = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    private final RequirementFacts.Holder holder = SessionAttributeHolder.of(() -> {
        reads.incrementAndGet();
        return attribute;
    }, facts -> {
        written.add(facts);
        attribute = facts;
    });

    @Test
    void factsKeptAreWrittenToTheAttributeAndReadBackFromIt() {
        assertThat(holder.facts()).isNull();
        assertThat(reads).hasValue(1);

        RequirementFacts.remember(holder, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);

        assertThat(written).hasSize(1);
        assertThat(attribute).isSameAs(written.get(0));
        assertThat(attribute.describe()).isEqualTo("CHALLENGE, readAt=" + START);
        assertThat(holder.facts()).isSameAs(attribute);
        assertThat(reads).hasValue(2);
        assertThat(RequirementFacts.requirement(holder, counted.service, BOUND, STATE, ALICE, START.plusSeconds(1)))
                .isEqualTo(Requirement.Challenge.INSTANCE);
        assertThat(counted.asked()).isFalse();
        assertThat(reads).hasValue(3);
    }

    @Test
    void keepReplacesTheEarlierFactsInTheAttribute() {
        RequirementFacts.remember(holder, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);
        RequirementFacts.remember(holder, STATE, ALICE, Requirement.Nothing.INSTANCE, START.plusSeconds(1), BOUND);

        assertThat(written).hasSize(2);
        assertThat(holder.facts()).isSameAs(written.get(1));
        assertThat(holder.facts().describe()).isEqualTo("NOTHING, readAt=" + START.plusSeconds(1));
    }

    @Test
    void anInvalidatedSessionGivesNoFactsKeepsNothingAndTheRequirementIsReadFromTheService() {
        AtomicInteger writes = new AtomicInteger();
        RequirementFacts.Holder invalidated = SessionAttributeHolder.of(() -> {
            throw new IllegalStateException("getAttribute: Session already invalidated");
        }, facts -> {
            writes.incrementAndGet();
            throw new IllegalStateException("setAttribute: Session already invalidated");
        });

        assertThat(invalidated.facts()).isNull();
        invalidated.keep(RecordedFacts.challenge());
        assertThat(writes).hasValue(1);

        assertThat(RequirementFacts.requirement(invalidated, counted.service, BOUND, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
        assertThat(writes).hasValue(2);
        assertThat(RequirementFacts.requirement(invalidated, counted.service, BOUND, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void aSessionInvalidatedOnlyAtTheWriteKeepsNothingSoTheNextRequestReadsAgain() {
        RequirementFacts.Holder signedOutMeanwhile = SessionAttributeHolder.of(() -> attribute, facts -> {
            throw new IllegalStateException("setAttribute: Session already invalidated");
        });

        assertThat(RequirementFacts.requirement(signedOutMeanwhile, counted.service, BOUND, STATE, ALICE, START))
                .isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
        assertThat(attribute).isNull();
        assertThat(RequirementFacts.requirement(signedOutMeanwhile, counted.service, BOUND, STATE, ALICE,
                START.plusSeconds(1))).isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(counted.asked()).isTrue();
    }

    @Test
    void anyOtherExceptionOfTheAttributePassesThrough() {
        RequirementFacts.Holder failingRead = SessionAttributeHolder.of(() -> {
            throw new UnsupportedOperationException("read");
        }, facts -> { });
        RequirementFacts.Holder failingWrite = SessionAttributeHolder.of(() -> null, facts -> {
            throw new IllegalArgumentException("not serializable");
        });

        assertThatThrownBy(failingRead::facts).isInstanceOf(UnsupportedOperationException.class).hasMessage("read");
        assertThatThrownBy(() -> failingWrite.keep(RecordedFacts.challenge()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not serializable");
    }

    @Test
    void ofWithoutReadOrWriteThenNullPointerNamingIt() {
        assertThatThrownBy(() -> SessionAttributeHolder.of(null, facts -> { }))
                .isInstanceOf(NullPointerException.class).hasMessage("get");
        assertThatThrownBy(() -> SessionAttributeHolder.of(() -> null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("put");
    }

    /** Facts made through {@link RequirementFacts#remember}, the only way to make them. */
    private static final class RecordedFacts {
        static RequirementFacts challenge() {
            RecordingHolder recording = new RecordingHolder();
            RequirementFacts.remember(recording, STATE, ALICE, Requirement.Challenge.INSTANCE, START, BOUND);
            return recording.kept.get(0);
        }
    }
}
