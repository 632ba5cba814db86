package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.UserContext;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The session slot's compare-and-set, without threads: a write based on a state the slot no longer holds is refused
 * and changes nothing, also when the stale state is equal by value. {@code ChallengeConcurrencyTest} races real
 * requests; this pins the primitive they rely on.
 */
class SessionStateSlotTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final UserContext ALICE = UserContext.of("alice", false);

    @Test
    void compareAndSetWhenTheSlotHoldsTheExpectedStateThenReplacesIt() {
        SessionState halfOpen = SessionState.halfOpen(ALICE, NOW);
        SessionState.Slot slot = new SessionState.Slot(halfOpen);
        SessionState verified = halfOpen.verified(NOW);

        assertThat(slot.compareAndSet(halfOpen, verified)).isTrue();
        assertThat(slot.get()).isSameAs(verified);
    }

    @Test
    void compareAndSetWhenTheSlotChangedMeanwhileThenRefusedAndTheNewerStateKept() {
        SessionState halfOpen = SessionState.halfOpen(ALICE, NOW);
        SessionState.Slot slot = new SessionState.Slot(halfOpen);
        SessionState first = halfOpen.verified(NOW);
        slot.set(first);

        // A second request read the half-open state before the first one wrote: its write must not land.
        assertThat(slot.compareAndSet(halfOpen, halfOpen.verified(NOW.plusSeconds(1)))).isFalse();
        assertThat(slot.get()).isSameAs(first);
    }

    @Test
    void compareAndSetComparesByIdentityNotByValue() {
        SessionState state = SessionState.halfOpen(ALICE, NOW);
        SessionState equalCopy = SessionState.halfOpen(ALICE, NOW);
        SessionState.Slot slot = new SessionState.Slot(state);

        assertThat(equalCopy).isEqualTo(state);
        assertThat(slot.compareAndSet(equalCopy, state.verified(NOW))).isFalse();
        assertThat(slot.get()).isSameAs(state);
    }

    @Test
    void toStringNamesOnlyTheUserAndTheStage() {
        SessionState state = SessionState.halfOpen(ALICE, NOW).withReturnPath("/private?token=abc");

        assertThat(new SessionState.Slot(state).toString())
                .contains("alice").contains("HALF_OPEN").doesNotContain("token");
    }
}
