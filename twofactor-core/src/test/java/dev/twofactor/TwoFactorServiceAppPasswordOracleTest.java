package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 6: verifying an app password tells nobody which accounts have app passwords, and costs the same
 * whatever the number stored, which is capped.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class TwoFactorServiceAppPasswordOracleTest {

    private static final String WRONG = "1234 5678 9012 3456 7890";

    private final CountingHasher hasher = new CountingHasher();
    private final Fixture f = new Fixture(b -> b.hasher(hasher));

    /** What an attacker sees of five quick wrong attempts, and what each cost in slow hashes. */
    private record Observed(List<Outcome<AppPasswordGrant>> answers, List<Integer> hashes) {
    }

    private Observed fiveWrongAttempts(String userId) {
        List<Outcome<AppPasswordGrant>> answers = new ArrayList<>();
        List<Integer> hashes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hasher.matches.set(0);
            answers.add(f.service.verifyAppPassword(userId, i == 4 ? "not even digits" : WRONG));
            hashes.add(hasher.matches.get());
        }
        return new Observed(answers, hashes);
    }

    @Test
    void unknownUserUserWithoutAndUserWithAppPasswordsAreAnsweredAlikeAtTheSameCost() {
        f.enable("without");
        f.enable("with");
        success(f.service.createAppPassword("with", "Mail", Set.of()));

        Observed unknown = fiveWrongAttempts("nobody");
        Observed without = fiveWrongAttempts("without");
        Observed with = fiveWrongAttempts("with");
        Observed malformedId = fiveWrongAttempts("bad\u0000id");

        assertThat(unknown.answers()).containsOnly(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(without).isEqualTo(unknown);
        assertThat(with).as("the backoff closes after two, unseen").isEqualTo(unknown);
        assertThat(malformedId).isEqualTo(unknown);
        assertThat(unknown.hashes()).containsOnly(1);
        assertThat(f.store.findBackoff("with", BackoffScope.APP_PASSWORD).failures())
                .as("the backoff still counts for the account that has app passwords").isEqualTo(2);
    }

    @Test
    void attemptAgainstTheCapOfAppPasswordsCostsOneHash() {
        f.enable("alice");
        List<NewAppPassword> created = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            created.add(success(f.service.createAppPassword("alice", "device " + i, Set.of())));
        }
        hasher.matches.set(0);

        assertThat(f.service.verifyAppPassword("alice", WRONG)).isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(f.service.verifyAppPassword("alice", created.get(17).code()).succeeded()).isTrue();

        assertThat(hasher.matches).as("slow hashes for two attempts, 20 app passwords stored").hasValue(2);
    }

    @Test
    void createBeyondTheCapThenRejectedAndNothingStored() {
        Fixture three = new Fixture(b -> b.maxAppPasswordsPerUser(3));
        three.enable("alice");
        for (int i = 0; i < 3; i++) {
            success(three.service.createAppPassword("alice", "device " + i, Set.of()));
        }

        assertThat(three.service.createAppPassword("alice", "one more", Set.of()))
                .isEqualTo(Outcome.rejected(Reason.APP_PASSWORD_LIMIT_REACHED));

        assertThat(three.service.appPasswords("alice")).hasSize(3);
        assertThat(f.service.createAppPassword("alice", "x", Set.of())).isEqualTo(Outcome.rejected(Reason.NOT_ENABLED));
    }

    @Test
    void concurrentCreatesNeverPassTheCapAndKeepTagsDistinct() throws Exception {
        f.enable("alice");
        for (int i = 0; i < 15; i++) {
            success(f.service.createAppPassword("alice", "device " + i, Set.of()));
        }
        int threads = 32;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Outcome<NewAppPassword>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String name = "racer " + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return f.service.createAppPassword("alice", name, Set.of());
                }));
            }
            int created = 0;
            for (Future<Outcome<NewAppPassword>> result : results) {
                Outcome<NewAppPassword> outcome = result.get(30, TimeUnit.SECONDS);
                if (outcome.succeeded()) {
                    created++;
                } else {
                    assertThat(outcome).isEqualTo(Outcome.rejected(Reason.APP_PASSWORD_LIMIT_REACHED));
                }
            }
            assertThat(f.service.appPasswords("alice")).hasSize(15 + created).hasSizeLessThanOrEqualTo(20);
            assertThat(f.store.findAppPasswords("alice")).extracting(record -> record.lookupTag())
                    .doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void defaultCapIsTwenty() {
        f.enable("alice");
        for (int i = 0; i < 20; i++) {
            success(f.service.createAppPassword("alice", "device " + i, Set.of()));
        }

        assertThat(f.service.createAppPassword("alice", "device 20", Set.of()))
                .isEqualTo(Outcome.rejected(Reason.APP_PASSWORD_LIMIT_REACHED));
    }

    @Test
    void lookupTagsOfOneUsersAppPasswordsAreDistinctAndNotShown() {
        f.enable("alice");
        for (int i = 0; i < 20; i++) {
            success(f.service.createAppPassword("alice", "device " + i, Set.of()));
        }

        assertThat(f.store.findAppPasswords("alice")).extracting(record -> record.lookupTag())
                .doesNotContainNull().doesNotHaveDuplicates();
        assertThat(f.store.findAppPasswords("alice").get(0).toString()).contains("lookupTag=redacted");
    }
}
