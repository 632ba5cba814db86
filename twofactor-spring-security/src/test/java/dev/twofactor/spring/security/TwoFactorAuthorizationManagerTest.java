package dev.twofactor.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.Enrolment;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

class TwoFactorAuthorizationManagerTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

    static TwoFactorService service() {
        return TwoFactorService.builder()
                .issuer("Test")
                .store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                .clock(CLOCK)
                .stepUpWindow(Duration.ofMinutes(5))
                .build();
    }

    static void enrol(TwoFactorService service, String user) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(user, user)).value();
        Totp totp = Totp.defaults();
        assertThat(service.confirmEnrolment(user, totp.generate(enrolment.secret(), totp.timeStep(CLOCK.instant())))
                .succeeded()).isTrue();
    }

    static Authentication signedIn(String user, GrantedAuthority... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken(user, null, List.of(authorities));
        token.setAuthenticated(true);
        return token;
    }

    private final TwoFactorService service = service();
    private final TwoFactorAuthorizationManager manager = new TwoFactorAuthorizationManager(service,
            authentication -> UserContext.of(authentication.getName(), false));

    @Test
    void checkWhenUserHasTwoFactorAndNoTotpFactorThenMissingFactorDecision() {
        enrol(service, "alice");

        AuthorizationResult result = manager.check(signedIn("alice", password(CLOCK.instant())));

        assertThat(result.isGranted()).isFalse();
        assertThat(result).isInstanceOfSatisfying(FactorAuthorizationDecision.class, decision -> {
            assertThat(decision.getFactorErrors()).singleElement().satisfies(error -> {
                assertThat(error.getRequiredFactor().getAuthority()).isEqualTo(TwoFactorAuthorities.FACTOR_TOTP);
                assertThat(error.isMissing()).isTrue();
            });
        });
        assertThat(manager.challengeNeeded(signedIn("alice", password(CLOCK.instant())))).isTrue();
    }

    @Test
    void checkWhenTotpFactorPresentThenGranted() {
        enrol(service, "alice");

        assertThat(manager.check(signedIn("alice", TwoFactorAuthorities.totp(CLOCK.instant()))).isGranted()).isTrue();
    }

    @Test
    void checkWhenUserWithoutTwoFactorThenGrantedUntilThePolicyRequiresEnrolment() {
        Authentication carol = signedIn("carol", password(CLOCK.instant()));
        assertThat(manager.check(carol).isGranted()).isTrue();

        service.setPolicy("admin", EnforcementLevel.EVERYONE, Duration.ZERO);

        assertThat(manager.check(carol)).isInstanceOf(TwoFactorAuthorizationManager.EnrolmentRequired.class);
        assertThat(manager.check(carol).isGranted()).isFalse();
    }

    @Test
    void checkWhenAnonymousOrAppPasswordThenGranted() {
        enrol(service, "alice");
        assertThat(manager.check(null).isGranted()).isTrue();
        Authentication app = new AppPasswordAuthenticationToken("alice", "alice",
                new dev.twofactor.AppPasswordGrant("alice", "id", "CI", java.util.Set.of()),
                List.of(new SimpleGrantedAuthority("reports:read")));
        assertThat(manager.check(app).isGranted()).isTrue();
        assertThat(manager.stepUp(app).isGranted()).isFalse();
    }

    @Test
    void stepUpWhenFactorOlderThanTheWindowThenStepUpRequiredNamingTheExpiredFactor() {
        enrol(service, "alice");
        Authentication alice = signedIn("alice", password(CLOCK.instant()),
                TwoFactorAuthorities.totp(CLOCK.instant()));
        assertThat(manager.stepUp(alice).isGranted()).isTrue();

        CLOCK.advance(Duration.ofMinutes(5));

        AuthorizationResult result = manager.stepUp(alice);
        assertThat(result).isInstanceOfSatisfying(TwoFactorAuthorizationManager.StepUpRequired.class,
                decision -> assertThat(decision.getFactorErrors()).singleElement().satisfies(error -> {
                    assertThat(error.getRequiredFactor().getAuthority()).isEqualTo(TwoFactorAuthorities.FACTOR_TOTP);
                    assertThat(error.isExpired()).isTrue();
                }));
        assertThat(result.isGranted()).isFalse();
        // The sign-in itself does not expire.
        assertThat(manager.check(alice).isGranted()).isTrue();
    }

    @Test
    void stepUpWhenUserWithoutTwoFactorThenAFreshPasswordFactorCounts() {
        Authentication carol = signedIn("carol", password(CLOCK.instant()));
        assertThat(manager.stepUp(carol).isGranted()).isTrue();

        CLOCK.advance(Duration.ofMinutes(6));

        assertThat(manager.stepUp(carol)).isInstanceOfSatisfying(TwoFactorAuthorizationManager.StepUpRequired.class,
                decision -> assertThat(decision.getFactorErrors().get(0).getRequiredFactor().getAuthority())
                        .isEqualTo(FactorGrantedAuthority.PASSWORD_AUTHORITY));
    }

    private static FactorGrantedAuthority password(Instant at) {
        return FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(at).build();
    }
}
