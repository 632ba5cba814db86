package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The atomic duties, seen from the service: N concurrent requests, on the in-memory store. */
class TwoFactorServiceConcurrencyTest {

    private static final int THREADS = 64;

    @Test
    void sixtyFourThreadsSubmittingOneValidCodeThenExactlyOneSuccess() throws Exception {
        Fixture f = new Fixture();
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());

        List<Outcome<CodeAccepted>> outcomes = race(() -> f.service.verifyCode("alice", code));

        assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(f.step());
    }

    @Test
    void sixtyFourThreadsRedeemingOneRecoveryCodeThenExactlyOneSuccess() throws Exception {
        Fixture f = new Fixture();
        Fixture.Enabled alice = f.enable("alice");
        String code = alice.recoveryCodes().codes().get(0);

        List<Outcome<RecoveryCodeAccepted>> outcomes = race(() -> f.service.redeemRecoveryCode("alice", code));

        assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
        assertThat(f.store.countUnused("alice")).isEqualTo(7);
    }

    @Test
    void sixtyFourThreadsRedeemingOneEmergencyKeyThenExactlyOneSuccessAndOneReplacementStored() throws Exception {
        Fixture f = new Fixture(b -> b.recoveryCodePolicy(RecoveryCodePolicy.EMERGENCY_KEY));
        Fixture.Enabled alice = f.enable("alice");
        String key = alice.recoveryCodes().codes().get(0);

        List<Outcome<RecoveryCodeAccepted>> outcomes = race(() -> f.service.redeemRecoveryCode("alice", key));

        List<RecoveryCodeAccepted> wins = outcomes.stream().filter(Outcome::succeeded)
                .map(o -> ((Outcome.Success<RecoveryCodeAccepted>) o).value()).toList();
        assertThat(wins).hasSize(1);
        assertThat(f.store.countUnused("alice")).isEqualTo(1);
        f.store.resetBackoff("alice");
        String replacement = wins.get(0).replacementCodes().orElseThrow().codes().get(0);
        assertThat(f.service.redeemRecoveryCode("alice", replacement).succeeded()).isTrue();
    }

    @Test
    void sixtyFourParallelWrongGuessesThenSixtyFourFailuresCounted() throws Exception {
        Fixture f = new Fixture(b -> b.backoffPolicy(
                BackoffPolicy.builder().toleratedFailures(1000).lockAfter(2000).build()));
        Fixture.Enabled alice = f.enable("alice");
        String wrong = f.wrongCode(alice.secret());

        List<Outcome<CodeAccepted>> outcomes = race(() -> f.service.verifyCode("alice", wrong));

        assertThat(outcomes).allMatch(o -> o instanceof Outcome.Rejected<CodeAccepted> r
                && r.reason() == Reason.WRONG_CODE);
        assertThat(f.backoff("alice").failures()).isEqualTo(THREADS);
        assertThat(f.events.count(TwoFactorEventType.VERIFICATION_FAILED)).isEqualTo(THREADS);
    }

    @Test
    void sixtyFourThreadsConfirmingOneEnrolmentThenExactlyOneSetOfCodesAndItIsTheStoredOne() throws Exception {
        Fixture f = new Fixture();
        Enrolment enrolment = Fixture.success(f.service.startEnrolment("alice", "alice@example.com"));
        String code = f.code(enrolment.secret());

        List<Outcome<Confirmation>> outcomes = race(() -> f.service.confirmEnrolment("alice", code));

        List<Confirmation> wins = outcomes.stream().filter(Outcome::succeeded)
                .map(o -> ((Outcome.Success<Confirmation>) o).value()).toList();
        assertThat(wins).hasSize(1);
        f.store.resetBackoff("alice");
        for (String recovery : wins.get(0).recoveryCodes().codes()) {
            assertThat(f.service.redeemRecoveryCode("alice", recovery).succeeded()).isTrue();
        }
    }

    static <T> List<T> race(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
