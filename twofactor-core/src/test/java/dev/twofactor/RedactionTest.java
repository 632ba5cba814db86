package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.Credential;
import dev.twofactor.spi.StoredRecoveryCode;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value that holds a secret says so in {@code toString()} and shows nothing of it. */
class RedactionTest {

    private final Fixture f = new Fixture(b -> b.recoveryCodePolicy(RecoveryCodePolicy.EMERGENCY_KEY));

    @Test
    void valuesHoldingSecretsAreRedacted() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        Confirmation confirmation = success(f.service.confirmEnrolment("alice", f.code(enrolment.secret())));
        String key = confirmation.recoveryCodes().codes().get(0);
        RecoveryCodeAccepted accepted = success(f.service.redeemRecoveryCode("alice", key));
        String replacement = accepted.replacement().codes().get(0);
        Credential credential = f.store.findCredential("alice").orElseThrow();
        StoredRecoveryCode stored = f.store.findUnused("alice").get(0);
        String base32 = enrolment.secret().base32();

        List<Object> values = List.of(enrolment, enrolment.secret(), enrolment.keyUri(), confirmation,
                confirmation.recoveryCodes(), accepted, credential, credential.secret(), stored, Fixture.ring(),
                SecretCipher.aesGcm(Fixture.ring()), SecretHasher.pbkdf2(1000));

        for (Object value : values) {
            String text = value.toString();
            assertThat(text).as(value.getClass().getSimpleName())
                    .doesNotContain(base32).doesNotContain(base32.substring(0, 8))
                    .doesNotContain(key).doesNotContain(key.replace("-", ""))
                    .doesNotContain(replacement).doesNotContain(replacement.replace("-", ""))
                    .doesNotContain(stored.hash())
                    .doesNotContain(HexFormat.of().formatHex(Fixture.KEY_1));
        }
        assertThat(enrolment.toString()).contains("redacted");
        assertThat(confirmation.recoveryCodes().toString()).isEqualTo("RecoveryCodes[1 codes, redacted]");
        assertThat(stored.toString()).contains("hash=redacted");
    }
}
