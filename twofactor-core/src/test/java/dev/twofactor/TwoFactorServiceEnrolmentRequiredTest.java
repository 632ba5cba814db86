package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an "Enrolment required" event the first time the policy applies to a user who has not enrolled, and the
 * enforcement level and backoff bindable from configuration properties ({@code twofactor.*}).
 */
class TwoFactorServiceEnrolmentRequiredTest {

    @Test
    void requirementForAnUnenrolledUserUnderThePolicyThenOneEventForTheFirstTimeOnly() {
        Fixture f = new Fixture();
        f.service.setPolicy("root", EnforcementLevel.EVERYONE, Duration.ofDays(7));

        for (int i = 0; i < 3; i++) {
            assertThat(f.service.requirementFor(UserContext.of("alice", false)))
                    .isInstanceOf(Requirement.Enrol.class);
        }

        assertThat(f.events.count(TwoFactorEventType.ENROLMENT_REQUIRED)).isEqualTo(1);
        TwoFactorEvent event = f.events.last(TwoFactorEventType.ENROLMENT_REQUIRED);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.details()).containsEntry("enforced", "false")
                .containsEntry("deadline", Fixture.START.plus(Duration.ofDays(7)).toString());
        // Another node on the same store does not tell the user again.
        TwoFactorService otherNode = f.builder().build();
        otherNode.requirementFor(UserContext.of("alice", false));
        assertThat(f.events.count(TwoFactorEventType.ENROLMENT_REQUIRED)).isEqualTo(1);
        // Each user once.
        f.service.requirementFor(UserContext.of("bob", false));
        assertThat(f.events.count(TwoFactorEventType.ENROLMENT_REQUIRED)).isEqualTo(2);
    }

    @Test
    void requirementForWhenThePolicyDoesNotApplyOrTheUserIsEnrolledThenNoEvent() {
        Fixture f = new Fixture();
        f.enable("root");
        f.service.setPolicy("root", EnforcementLevel.ADMINS, Duration.ZERO);

        f.service.requirementFor(UserContext.of("alice", false));
        f.service.requirementFor(UserContext.of("root", true));
        assertThat(f.events.count(TwoFactorEventType.ENROLMENT_REQUIRED)).isZero();

        f.service.requirementFor(UserContext.of("admin2", true));
        assertThat(f.events.count(TwoFactorEventType.ENROLMENT_REQUIRED)).isEqualTo(1);
        assertThat(f.events.last(TwoFactorEventType.ENROLMENT_REQUIRED).details())
                .containsEntry("enforced", "true").doesNotContainKey("deadline");
    }

    @Test
    void propertiesThenEnforcementFixedByConfigurationOverTheStoredPolicy() {
        Properties properties = new Properties();
        properties.setProperty("twofactor.enforcement", "everyone");
        properties.setProperty("twofactor.enforcement.gracePeriod", "P7D");
        properties.setProperty("unrelated.key", "ignored");
        Fixture f = new Fixture(b -> b.properties(properties));
        Instant joined = Fixture.START.minus(Duration.ofDays(1));

        Requirement requirement = f.service.requirementFor(new UserContext("alice", false, joined));

        assertThat(f.service.policy().level()).isEqualTo(EnforcementLevel.EVERYONE);
        assertThat(requirement).isEqualTo(new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE,
                joined.plus(Duration.ofDays(7)), false));
        assertThatThrownBy(() -> f.service.setPolicy("root", EnforcementLevel.NONE, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twofactor.enforcement");
        assertThat(f.store.loadPolicy()).isEqualTo(OrganisationPolicy.NONE);
    }

    @Test
    void propertiesThenToleratedFailuresLockAfterAndStepUpWindowBound() {
        Properties properties = new Properties();
        properties.setProperty("twofactor.backoff.toleratedFailures", "3");
        properties.setProperty("twofactor.backoff.lockAfter", "10");
        properties.setProperty("twofactor.stepUpWindow", "PT0S");
        Fixture f = new Fixture(b -> b.properties(properties));
        Fixture.Enabled alice = f.enable("alice");

        for (int i = 0; i < 3; i++) {
            assertThat(f.service.verifyCode("alice", f.wrongCode(alice.secret())))
                    .isInstanceOf(Outcome.Rejected.class);
        }
        assertThat(f.backoff("alice").blockedUntil()).isBeforeOrEqualTo(f.clock.instant());
        assertThat(f.service.verifyCode("alice", f.wrongCode(alice.secret()))).isInstanceOf(Outcome.Rejected.class);
        assertThat(f.backoff("alice").blockedUntil()).isAfter(f.clock.instant());
        assertThat(f.service.stepUpWindow()).isZero();
        f.clock.advance(Duration.ofHours(2));
        assertThat(f.service.stepUpRequired(success(f.service.stepUpWithPassword("alice", Fixture.password()))))
                .isTrue();
    }

    @Test
    void propertiesWhenUnknownKeyOrMalformedValueThenAnErrorNamingTheKey() {
        assertThatThrownBy(() -> TwoFactorService.builder().properties(props("twofactor.enforcment", "EVERYONE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twofactor.enforcment");
        assertThatThrownBy(() -> TwoFactorService.builder().properties(props("twofactor.enforcement", "ALL")))
                .hasMessageContaining("twofactor.enforcement must be NONE, ADMINS or EVERYONE");
        assertThatThrownBy(() -> TwoFactorService.builder()
                .properties(props("twofactor.backoff.toleratedFailures", "three")))
                .hasMessageContaining("twofactor.backoff.toleratedFailures");
        assertThatThrownBy(() -> TwoFactorService.builder().properties(props("twofactor.stepUpWindow", "5m")))
                .hasMessageContaining("twofactor.stepUpWindow");
        assertThatThrownBy(() -> TwoFactorService.builder()
                .properties(props("twofactor.enforcement.gracePeriod", "P1D")))
                .hasMessageContaining("needs twofactor.enforcement");
    }

    private static Properties props(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
