package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwoFactorServiceBuilderTest {

    private final InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
    private final SecretCipher cipher = SecretCipher.aesGcm(Fixture.ring());

    @Test
    void buildWithoutIssuerThenIllegalStateNamingIt() {
        assertThatThrownBy(() -> TwoFactorService.builder().store(store).secretCipher(cipher).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "ACME:Corp"})
    void issuerBlankOrWithColonIsRejected(String issuer) {
        assertThatThrownBy(() -> TwoFactorService.builder().issuer(issuer))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildWithoutStoresThenIllegalStateNamingEachMissingOne() {
        assertThatThrownBy(() -> TwoFactorService.builder().issuer("ACME").secretCipher(cipher)
                .credentialStore(store).backoffStore(store).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recoveryCodeStore").hasMessageContaining("appPasswordStore")
                .hasMessageContaining("policyStore").hasMessageNotContaining("credentialStore");
    }

    @Test
    void buildWithEachStoreSeparatelyKeepsEachKindOfStateInItsOwnStore() {
        InMemoryTwoFactorStore backoffs = new InMemoryTwoFactorStore();
        MutableClock clock = new MutableClock(Fixture.START);
        TwoFactorService service = TwoFactorService.builder().issuer("ACME").secretCipher(cipher)
                .credentialStore(store).recoveryCodeStore(store).backoffStore(backoffs).appPasswordStore(store)
                .policyStore(store).clock(clock).hasher(SecretHasher.pbkdf2(1000)).listener(TwoFactorListener.NONE)
                .build();
        Enrolment enrolment = Fixture.success(service.startEnrolment("alice", "alice@example.com"));
        String code = Totp.defaults().generate(enrolment.secret(), Totp.defaults().timeStep(clock.instant()));
        assertThat(service.confirmEnrolment("alice", code).succeeded()).isTrue();

        assertThat(Fixture.reason(service.verifyCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);

        assertThat(backoffs.findBackoff("alice").failures()).isEqualTo(1);
        assertThat(store.findBackoff("alice").failures()).isZero();
        assertThat(store.findCredential("alice")).isPresent();
        assertThat(backoffs.findCredential("alice")).isEmpty();
        assertThat(service.status("alice").remainingRecoveryCodes()).isEqualTo(8);
    }

    @Test
    void settersRejectNullAndBadDurations() {
        TwoFactorService.Builder builder = TwoFactorService.builder();
        assertThatThrownBy(() -> builder.store(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.pendingEnrolmentTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.stepUpWindow(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
