package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.StoredRecoveryCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's gated accepts and backoff compare-and-set refuse what the plain duty refuses, with the gate
 * open: a step not greater than the last, a used recovery code, an unknown pending enrolment or app password, a
 * stale expected state. (The contract kit checks the same through its nested classes, which mutation testing does
 * not run; these direct calls are what kills a gated accept that answers {@code true} without doing its duty.)
 */
class InMemoryGatedDutiesTest {

    private final Fixture f = new Fixture();
    private final InMemoryTwoFactorStore store = f.store;
    private final Instant now = Fixture.START;

    @Test
    void gatedAdvanceWhenStepNotGreaterThenRefusedAndStepKept() {
        f.enable("alice");
        long last = store.findCredential("alice").orElseThrow().lastUsedStep();

        assertThat(store.advanceLastUsedStep("alice", last, BackoffState.NONE)).isFalse();
        assertThat(store.advanceLastUsedStep("alice", last - 1, BackoffState.NONE)).isFalse();
        assertThat(store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(last);
        assertThat(store.advanceLastUsedStep("alice", last + 5, BackoffState.NONE)).isTrue();
        assertThat(store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(last + 5);
    }

    @Test
    void gatedRecoveryCodeDutiesWhenCodeUsedThenRefusedAndNothingReplaced() {
        f.enable("alice");
        StoredRecoveryCode code = store.findUnused("alice").get(0);
        List<StoredRecoveryCode> replacement = List.of(new StoredRecoveryCode("new-1", "hash-1"));

        assertThat(store.markUsed("alice", code.id(), now, BackoffState.NONE)).isTrue();
        assertThat(store.markUsed("alice", code.id(), now, BackoffState.NONE)).isFalse();
        assertThat(store.consumeAndReplace("alice", code.id(), now, replacement, BackoffState.NONE)).isFalse();

        assertThat(store.findUnused("alice")).hasSize(7).noneMatch(stored -> stored.id().equals("new-1"));
    }

    @Test
    void gatedPendingAndAppPasswordDutiesWhenTheRecordIsUnknownThenRefused() {
        f.enable("alice");

        assertThat(store.activatePending("alice", "no-such-pending", 1L << 40, now, BackoffState.NONE)).isFalse();
        assertThat(store.markPendingConfirmed("alice", "no-such-pending", 1L << 40, BackoffState.NONE)).isFalse();
        assertThat(store.recordUse("alice", "no-such-app-password", now, BackoffState.NONE)).isFalse();
        assertThat(store.findCredential("alice").orElseThrow().enabled()).isTrue();
    }

    @Test
    void compareAndSetWhenExpectedIsStaleThenRefusedAndStateKept() {
        BackoffState one = new BackoffState(1, now, false);
        BackoffState two = new BackoffState(2, now.plusSeconds(1), false);

        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, one, two)).isFalse();
        assertThat(store.findBackoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE, one)).isTrue();
        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE, two)).isFalse();
        assertThat(store.findBackoff("alice")).isEqualTo(one);
        assertThat(store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, one, BackoffState.NONE)).isTrue();
        assertThat(store.findBackoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff("alice", BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
    }
}
