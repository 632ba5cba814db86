package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.EncryptedSecret;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final byte[] SECRET = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final KeyRing ring = KeyRing.builder().primaryKey("k1", Fixture.KEY_1).build();
    private final SecretCipher cipher = SecretCipher.aesGcm(ring);

    @Test
    void sealThenOpenReturnsTheSecretUnderThePrimaryKeyId() {
        EncryptedSecret sealed = cipher.seal("alice", SECRET);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.sealed()).hasSize(12 + SECRET.length + 16);
        assertThat(HexFormat.of().formatHex(sealed.sealed())).doesNotContain(HexFormat.of().formatHex(SECRET));
        assertThat(cipher.open("alice", sealed)).isEqualTo(SECRET);
        assertThat(cipher.isCurrent(sealed)).isTrue();
        assertThat(cipher.currentKeyId()).isEqualTo("k1");
    }

    @Test
    void everySealUsesAFreshNonce() {
        byte[] first = cipher.seal("alice", SECRET).sealed();
        byte[] second = cipher.seal("alice", SECRET).sealed();

        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void openWhenAnyByteTamperedThenIllegalStateNamingOnlyTheKeyId() {
        byte[] bytes = cipher.seal("alice", SECRET).sealed();
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            EncryptedSecret broken = new EncryptedSecret("k1", tampered);
            assertThatThrownBy(() -> cipher.open("alice", broken)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Secret sealed with key 'k1' does not authenticate"
                            + " (tampered, or sealed for another user)");
        }
    }

    @Test
    void openForAnotherUserThenFails() {
        EncryptedSecret sealed = cipher.seal("alice", SECRET);

        assertThatThrownBy(() -> cipher.open("mallory", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'k1'");
    }

    @Test
    void openWithUnknownKeyIdThenIllegalState() {
        EncryptedSecret sealed = new EncryptedSecret("gone", cipher.seal("alice", SECRET).sealed());

        assertThatThrownBy(() -> cipher.open("alice", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Secret is sealed with key 'gone', which is not in the key ring");
    }

    @Test
    void openWhenTooShortThenIllegalState() {
        assertThatThrownBy(() -> cipher.open("alice", new EncryptedSecret("k1", new byte[20])))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openWhenOnlyNonceAndTagThenTooShortAndOneByteMoreIsAuthenticated() {
        int nonceAndTag = AesGcmSecretCipher.NONCE_BYTES + AesGcmSecretCipher.TAG_BITS / 8;
        // A nonce and a tag with no secret between them is no sealed secret, whatever its tag says.
        assertThatThrownBy(() -> cipher.open("alice", new EncryptedSecret("k1", new byte[nonceAndTag])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> cipher.open("alice", new EncryptedSecret("k1", new byte[nonceAndTag + 1])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void rotatedRingOpensOldRecordsAndSealsWithTheNewKey() {
        EncryptedSecret old = cipher.seal("alice", SECRET);
        SecretCipher rotated = SecretCipher.aesGcm(
                KeyRing.builder().primaryKey("k2", Fixture.KEY_2).decryptionKey("k1", Fixture.KEY_1).build());

        assertThat(rotated.isCurrent(old)).isFalse();
        assertThat(rotated.open("alice", old)).isEqualTo(SECRET);
        EncryptedSecret resealed = rotated.seal("alice", SECRET);
        assertThat(resealed.keyId()).isEqualTo("k2");
        assertThatThrownBy(() -> cipher.open("alice", resealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyWithTheSameIdButOtherBytesCannotOpen() {
        EncryptedSecret sealed = cipher.seal("alice", SECRET);
        SecretCipher impostor = SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", Fixture.KEY_2).build());

        assertThatThrownBy(() -> impostor.open("alice", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void plaintextStoresTheBytesUnderKeyIdPlainAndWarnsWhenCreated() {
        SecretCipher[] created = new SecretCipher[1];
        String log = LogCapture.during(() -> created[0] = SecretCipher.plaintext());
        SecretCipher plain = created[0];

        EncryptedSecret sealed = plain.seal("alice", SECRET);

        assertThat(log).startsWith("WARN dev.twofactor.SecretCipher - twofactor stores TOTP secrets UNENCRYPTED");

        assertThat(sealed.keyId()).isEqualTo(EncryptedSecret.PLAINTEXT_KEY_ID);
        assertThat(sealed.sealed()).isEqualTo(SECRET);
        assertThat(plain.open("alice", sealed)).isEqualTo(SECRET);
        assertThat(plain.isCurrent(sealed)).isTrue();
        assertThat(plain.currentKeyId()).isEqualTo("plain");
        assertThatThrownBy(() -> plain.open("alice", cipher.seal("alice", SECRET)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'k1'");
    }

    @Test
    void aesGcmStillOpensPlaintextRecordsSoTheyCanBeResealed() {
        EncryptedSecret[] written = new EncryptedSecret[1];
        LogCapture.during(() -> written[0] = SecretCipher.plaintext().seal("alice", SECRET));
        EncryptedSecret plain = written[0];
        byte[][] opened = new byte[1][];

        String log = LogCapture.during(() -> opened[0] = cipher.open("alice", plain));

        assertThat(opened[0]).isEqualTo(SECRET);
        assertThat(cipher.isCurrent(plain)).isFalse();
        assertThat(log).contains("WARN").contains("Opened a TOTP secret stored in plaintext");
    }

    @Test
    void aesGcmOpeningAPlaintextRecordWarnsEachTimeSinceNothingAuthenticatesIt() {
        EncryptedSecret plain = new EncryptedSecret(EncryptedSecret.PLAINTEXT_KEY_ID, SECRET);

        String first = LogCapture.during(() -> cipher.open("alice", plain));
        String second = LogCapture.during(() -> cipher.open("bob", plain));

        assertThat(first).contains("WARN").contains("plaintext").contains("reencryptSecrets")
                .doesNotContain(new String(SECRET, java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(second).contains("WARN");
        assertThat(LogCapture.during(() -> cipher.open("alice", cipher.seal("alice", SECRET)))).isEmpty();
    }

    @Test
    void openIsSafeFromManyThreads() throws Exception {
        EncryptedSecret sealed = cipher.seal("alice", SECRET);

        var outcomes = TwoFactorServiceConcurrencyTest.race(() -> {
            for (int i = 0; i < 100; i++) {
                if (!Arrays.equals(cipher.open("alice", cipher.seal("alice", SECRET)), SECRET)
                        || !Arrays.equals(cipher.open("alice", sealed), SECRET)) {
                    return false;
                }
            }
            return true;
        });

        assertThat(outcomes).containsOnly(true);
    }
}
