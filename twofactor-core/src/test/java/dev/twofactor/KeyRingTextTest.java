package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: keys a host can keep: a ring from base64 text or an environment variable, a generator, and the startup
 * check that every key id in the store is in the ring.
 */
class KeyRingTextTest {

    private static final String KEY_1 = Base64.getEncoder().encodeToString(Fixture.KEY_1);
    private static final String KEY_2 = Base64.getEncoder().encodeToString(Fixture.KEY_2);

    @Test
    void fromBase64ThenTheSameKeyAsFromBytes() {
        KeyRing text = KeyRing.fromBase64("k1", KEY_1);
        EncryptedSecretRoundTrip.check(SecretCipher.aesGcm(text), SecretCipher.aesGcm(Fixture.ring()));
        assertThat(text.primaryKeyId()).isEqualTo("k1");
    }

    @Test
    void fromSpecThenThePrimaryFirstAndOlderKeysOpenTheirSecrets() {
        KeyRing ring = KeyRing.fromSpec(" k2:" + KEY_2 + " , k1:" + KEY_1);

        assertThat(ring.primaryKeyId()).isEqualTo("k2");
        assertThat(ring.keyIds()).containsExactly("k2", "k1");
        EncryptedSecretRoundTrip.check(SecretCipher.aesGcm(Fixture.ring()), SecretCipher.aesGcm(ring));
    }

    @Test
    void fromSpecWhenMalformedThenAClearErrorThatNeverShowsKeyMaterial() {
        assertThatThrownBy(() -> KeyRing.fromSpec("k1" + KEY_1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Key ring entry 1 is not id:base64");
        assertThatThrownBy(() -> KeyRing.fromSpec("k1:" + KEY_1 + ",k2:" + KEY_2.substring(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Key 'k2'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_2.substring(4, 20)));
        assertThatThrownBy(() -> KeyRing.fromBase64("k1", "not base64!")).hasMessage("Key 'k1' is not valid base64");
        assertThatThrownBy(() -> KeyRing.fromBase64("k1", Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessage("Key 'k1' must be 32 bytes (AES-256), got 16");
        assertThatThrownBy(() -> KeyRing.fromSpec("k1:" + KEY_1 + ",k1:" + KEY_2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Duplicate key id");
    }

    @Test
    void fromEnvironmentThenTheVariablesSpecAndAMissingVariableIsNamed() {
        Map<String, String> environment = Map.of("TWOFACTOR_KEYS", "k1:" + KEY_1);

        assertThat(KeyRing.fromEnvironment("TWOFACTOR_KEYS", environment::get).primaryKeyId()).isEqualTo("k1");
        assertThatThrownBy(() -> KeyRing.fromEnvironment("TWOFACTOR_KEYZ", environment::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TWOFACTOR_KEYZ")
                .hasMessageContaining("restore the key ring from backup");
    }

    @Test
    void generateThenAFreshKeyEntryThatFromSpecReads() {
        String first = KeyRing.generate("2026-11");
        String second = KeyRing.generate("2026-11");

        assertThat(first).startsWith("2026-11:").isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first.substring(8))).hasSize(32);
        assertThat(KeyRing.fromSpec(first).primaryKeyId()).isEqualTo("2026-11");
        assertThatThrownBy(() -> KeyRing.generate("bad id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkKeyRingWhenTheRingHoldsEveryStoredKeyThenPassesAndAfterLosingAKeyNamesIt() {
        Fixture f = new Fixture(b -> b.secretCipher(SecretCipher.aesGcm(KeyRing.fromSpec("k1:" + KEY_1))));
        f.enable("alice");
        f.service.checkKeyRing();
        TwoFactorService rotated = f.builder().secretCipher(SecretCipher.aesGcm(
                KeyRing.fromSpec("k2:" + KEY_2 + ",k1:" + KEY_1))).build();
        success(rotated.startEnrolment("bob", "bob@example.com")); // a pending secret sealed with k2
        rotated.checkKeyRing();

        TwoFactorService lost = f.builder().secretCipher(SecretCipher.aesGcm(KeyRing.fromSpec("k3:" + KEY_2)))
                .build();

        assertThatThrownBy(lost::checkKeyRing).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[k1, k2]").hasMessageContaining("restore the key ring from backup");
    }

    @Test
    void checkKeyRingWhenPlaintextRecordsThenRefusedUnlessAcceptedForTheMigration() {
        Fixture plain = new Fixture(b -> b.secretCipher(SecretCipher.plaintext()));
        plain.enable("alice");
        plain.service.checkKeyRing();

        TwoFactorService sealing = plain.builder().secretCipher(SecretCipher.aesGcm(Fixture.ring())).build();
        assertThatThrownBy(sealing::checkKeyRing).hasMessageContaining("[plain]");
        plain.builder().secretCipher(SecretCipher.aesGcm(Fixture.ring())).acceptPlaintextSecretsForMigration(true)
                .build().checkKeyRing();
    }

    @Test
    void checkKeyRingOnAnEmptyStoreThenPasses() {
        new Fixture().service.checkKeyRing();
    }

    /** Seals with one cipher and opens with the other: the keys are the same. */
    private static final class EncryptedSecretRoundTrip {
        static void check(SecretCipher sealing, SecretCipher opening) {
            byte[] secret = "twenty bytes secret!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(opening.open("u", sealing.seal("u", secret))).isEqualTo(secret);
        }
    }
}
