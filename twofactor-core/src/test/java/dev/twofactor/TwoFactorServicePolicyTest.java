package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwoFactorServicePolicyTest {

    private final Fixture f = new Fixture();

    @Test
    void withoutAPolicyNobodyMustEnrol() {
        assertThat(f.service.policy()).isEqualTo(OrganisationPolicy.NONE);
        assertThat(f.service.requirementFor(UserContext.of("admin", true))).isEqualTo(Requirement.Nothing.INSTANCE);
        assertThat(f.service.requirementFor(UserContext.of("alice", false))).isEqualTo(Requirement.Nothing.INSTANCE);
    }

    @Test
    void anEnabledUserMustPassTheChallengeWhateverThePolicy() {
        f.enable("alice");

        assertThat(f.service.requirementFor(UserContext.of("alice", false))).isEqualTo(Requirement.Challenge.INSTANCE);
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        assertThat(f.service.requirementFor(UserContext.of("alice", true))).isEqualTo(Requirement.Challenge.INSTANCE);
    }

    @Test
    void setPolicyStoresItEffectiveNowAndEmitsAnEventNamingTheAdmin() {
        f.clock.advance(Duration.ofHours(1));

        OrganisationPolicy policy = f.service.setPolicy("root", EnforcementLevel.ADMINS, Duration.ofDays(7));

        assertThat(policy).isEqualTo(new OrganisationPolicy(EnforcementLevel.ADMINS, Duration.ofDays(7),
                Fixture.START.plus(Duration.ofHours(1))));
        assertThat(f.service.policy()).isEqualTo(policy);
        assertThat(f.store.loadPolicy()).isEqualTo(policy);
        TwoFactorEvent event = f.events.last(TwoFactorEventType.POLICY_CHANGED);
        assertThat(event.actorId()).isEqualTo("root");
        assertThat(event.details()).containsEntry("level", "ADMINS").containsEntry("gracePeriod", "PT168H");
    }

    @Test
    void requireForAdminsAppliesToAdministratorsOnly() {
        f.service.setPolicy("root", EnforcementLevel.ADMINS, Duration.ZERO);

        Requirement admin = f.service.requirementFor(UserContext.of("admin", true));

        assertThat(admin).isEqualTo(new Requirement.Enrol(
                "Two-factor authentication is required by your organisation. Set it up to continue.", null, true));
        assertThat(f.service.requirementFor(UserContext.of("alice", false))).isEqualTo(Requirement.Nothing.INSTANCE);
    }

    @Test
    void requireForEveryoneAppliesToEveryUserWhoHasNotEnabledIncludingPendingOnes() {
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        Fixture.success(f.service.startEnrolment("alice", "alice@example.com"));

        assertThat(f.service.requirementFor(UserContext.of("alice", false))).isInstanceOf(Requirement.Enrol.class);
        assertThat(f.service.requirementFor(UserContext.of("bob", false))).isInstanceOf(Requirement.Enrol.class);
    }

    @Test
    void gracePeriodRunsFromThePolicyStartAndIsEnforcedFromItsDeadline() {
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));
        Instant deadline = Fixture.START.plus(Duration.ofDays(7));

        Requirement.Enrol during = (Requirement.Enrol) f.service.requirementFor(UserContext.of("alice", false));
        assertThat(during.graceDeadline()).contains(deadline);
        assertThat(during.enforced()).isFalse();
        assertThat(during.message()).isEqualTo(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE);

        f.clock.set(deadline.minusMillis(1));
        assertThat(((Requirement.Enrol) f.service.requirementFor(UserContext.of("alice", false))).enforced())
                .isFalse();
        f.clock.set(deadline);
        assertThat(((Requirement.Enrol) f.service.requirementFor(UserContext.of("alice", false))).enforced()).isTrue();
    }

    @Test
    void gracePeriodOfAUserThePolicyReachedLaterRunsFromThatMoment() {
        f.service.setPolicy("root", EnforcementLevel.ADMINS, Duration.ofDays(7));
        Instant promoted = Fixture.START.plus(Duration.ofDays(30));
        f.clock.set(promoted.plus(Duration.ofDays(1)));

        Requirement.Enrol later = (Requirement.Enrol) f.service.requirementFor(
                new UserContext("newAdmin", true, promoted));
        Requirement.Enrol earlier = (Requirement.Enrol) f.service.requirementFor(
                new UserContext("oldAdmin", true, Fixture.START.minus(Duration.ofDays(100))));

        assertThat(later.deadline()).isEqualTo(promoted.plus(Duration.ofDays(7)));
        assertThat(later.enforced()).isFalse();
        assertThat(earlier.deadline()).isEqualTo(Fixture.START.plus(Duration.ofDays(7)));
        assertThat(earlier.enforced()).isTrue();
    }

    @Test
    void disablingUnderThePolicySendsTheUserStraightBackToEnrolment() {
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        f.enable("alice");
        assertThat(f.service.requirementFor(UserContext.of("alice", false))).isEqualTo(Requirement.Challenge.INSTANCE);

        Fixture.success(f.service.disable("alice", Fixture.password()));

        assertThat(f.service.requirementFor(UserContext.of("alice", false)))
                .isEqualTo(new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, null, true));
    }

    @Test
    void settingThePolicyBackToNoneLiftsTheRequirement() {
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ZERO);
        f.service.setPolicy("root", EnforcementLevel.NONE, Duration.ZERO);

        assertThat(f.service.requirementFor(UserContext.of("alice", true))).isEqualTo(Requirement.Nothing.INSTANCE);
    }

    @Test
    void negativeGracePeriodIsRejectedAndNothingStored() {
        assertThatThrownBy(() -> f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(f.service.policy()).isEqualTo(OrganisationPolicy.NONE);
    }
}
