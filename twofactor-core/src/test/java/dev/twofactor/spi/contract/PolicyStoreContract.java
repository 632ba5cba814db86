package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.spi.PolicyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PolicyStore}: the organisation policy round-trips, the last save wins, and concurrent
 * saves never mix fields of different policies. Subclass it and return a new, empty store from
 * {@link #createPolicyStore()}; or subclass {@link TwoFactorStoreContract}.
 */
public abstract class PolicyStoreContract {

    private PolicyStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract PolicyStore createPolicyStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createPolicyStore();
    }

    /**
     * @return the store under test in the current test
     */
    protected PolicyStore policyStore() {
        return store;
    }

    @Test
    void recordEnrolmentRequiredThenTrueOnlyTheFirstTimeAndPerUser() {
        String alice = Fixtures.newUserId();
        String bob = Fixtures.newUserId();

        assertThat(store.recordEnrolmentRequired(alice, T0)).isTrue();
        assertThat(store.recordEnrolmentRequired(alice, T0.plusSeconds(60))).isFalse();
        assertThat(store.recordEnrolmentRequired(bob, T0)).isTrue();
        assertThat(store.recordEnrolmentRequired(bob, T0)).isFalse();
    }

    @Test
    void recordEnrolmentRequiredWhenConcurrentThenExactlyOneTrue() {
        for (int round = 0; round < Race.ROUNDS; round++) {
            String user = Fixtures.newUserId();

            List<Boolean> answers = Race.run(concurrency(), i -> store.recordEnrolmentRequired(user, T0));

            assertThat(answers.stream().filter(Boolean::booleanValue)).as("round " + round).hasSize(1);
        }
    }

    @Test
    void loadPolicyWhenNeverSavedThenNone() {
        assertThat(store.loadPolicy()).isEqualTo(OrganisationPolicy.NONE);
    }

    @Test
    void savePolicyThenLoadReturnsItForEveryLevel() {
        for (EnforcementLevel level : EnforcementLevel.values()) {
            OrganisationPolicy policy = new OrganisationPolicy(level, Duration.ofDays(7).plusMillis(1), T0);

            store.savePolicy(policy);

            assertThat(store.loadPolicy()).isEqualTo(policy);
        }
    }

    @Test
    void savePolicyWhenSavedBeforeThenLastSaveWins() {
        store.savePolicy(new OrganisationPolicy(EnforcementLevel.EVERYONE, Duration.ofHours(12), T0));
        OrganisationPolicy latest = new OrganisationPolicy(EnforcementLevel.ADMINS, Duration.ZERO, T0.plusSeconds(5));

        store.savePolicy(latest);

        assertThat(store.loadPolicy()).isEqualTo(latest);
        store.savePolicy(OrganisationPolicy.NONE);
        assertThat(store.loadPolicy()).isEqualTo(OrganisationPolicy.NONE);
    }

    @Test
    void savePolicyWhenRacedThenOneOfTheSavedPoliciesIsLoadedWhole() {
        int writers = Math.max(2, concurrency() / 4);
        List<OrganisationPolicy> policies = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            policies.add(new OrganisationPolicy(EnforcementLevel.values()[i % 3], Duration.ofMinutes(i),
                    T0.plusMillis(i)));
        }

        Race.run(writers, i -> {
            store.savePolicy(policies.get(i));
            return true;
        });

        assertThat(policies).contains(store.loadPolicy());
    }
}
