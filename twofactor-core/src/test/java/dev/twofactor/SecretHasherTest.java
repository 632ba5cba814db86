package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Random;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;

class SecretHasherTest {

    private final SecretHasher hasher = SecretHasher.pbkdf2(1000);

    @Test
    void hashIsEncodedWithAlgorithmIterationsSaltAndHash() {
        String hash = hasher.hash("ABCD1234");

        String[] parts = hash.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[1]).isEqualTo("1000");
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
        assertThat(hash).doesNotContain("ABCD1234");
    }

    @Test
    void matchesOnlyTheHashedSecret() {
        String hash = hasher.hash("ABCD1234");

        assertThat(hasher.matches("ABCD1234", hash)).isTrue();
        assertThat(hasher.matches("ABCD1235", hash)).isFalse();
        assertThat(hasher.matches("abcd1234", hash)).isFalse();
    }

    @Test
    void sameSecretGetsADifferentSaltEachTime() {
        assertThat(hasher.hash("ABCD1234")).isNotEqualTo(hasher.hash("ABCD1234"));
    }

    @Test
    void hashesAreTheJdksPbkdf2OfTheUtf8SecretAndItsHashesMatch() throws GeneralSecurityException {
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        // ASCII, non-ASCII, an unpaired surrogate (UTF-8 replaces it), and the longest secret accepted.
        String[] secrets = {"ABCD1234", "pässwörd €", "x\uD800y", "7".repeat(Pbkdf2SecretHasher.MAX_SECRET_LENGTH)};
        for (String secret : secrets) {
            String[] parts = hasher.hash(secret).split("\\$");
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = jdk.generateSecret(new PBEKeySpec(secret.toCharArray(), salt, 1000, 256)).getEncoded();
            assertThat(Base64.getDecoder().decode(parts[3])).as(secret).isEqualTo(expected);

            // Hashes the JDK made, also of shapes the midstate path leaves to the JDK: a salt longer than one
            // block, a 64-byte output.
            for (int[] shape : new int[][] {{16, 256}, {60, 256}, {16, 512}}) {
                byte[] otherSalt = new byte[shape[0]];
                new Random(shape[0] * 31L + shape[1]).nextBytes(otherSalt);
                byte[] derived = jdk.generateSecret(new PBEKeySpec(secret.toCharArray(), otherSalt, 1000, shape[1]))
                        .getEncoded();
                String stored = "pbkdf2-sha256$1000$" + base64.encodeToString(otherSalt) + "$"
                        + base64.encodeToString(derived);
                assertThat(hasher.matches(secret, stored)).as("%s, salt %d, %d bits", secret, shape[0], shape[1])
                        .isTrue();
                assertThat(hasher.matches(secret.substring(0, secret.length() - 1) + "#", stored)).isFalse();
            }
        }
    }

    @Test
    void knownVectorMatches() {
        // PBKDF2-HMAC-SHA256, password "password", salt "salt" (as bytes), 1000 iterations, 32 bytes:
        // 632c2812e46d4604102ba7618e9d6d7d2f8128f6266b4a03264d2a0460b7dcb3, a widely published test value.
        String salt = Base64.getEncoder().withoutPadding().encodeToString("salt".getBytes());
        String hash = Base64.getEncoder().withoutPadding().encodeToString(java.util.HexFormat.of()
                .parseHex("632c2812e46d4604102ba7618e9d6d7d2f8128f6266b4a03264d2a0460b7dcb3"));

        assertThat(hasher.matches("password", "pbkdf2-sha256$1000$" + salt + "$" + hash)).isTrue();
    }

    @Test
    void hashesWithOtherIterationCountsStillMatchAndNeedRehashWhenWeaker() {
        String weak = SecretHasher.pbkdf2(1000).hash("ABCD1234");
        SecretHasher stronger = SecretHasher.pbkdf2(2000);

        assertThat(stronger.matches("ABCD1234", weak)).isTrue();
        assertThat(stronger.needsRehash(weak)).isTrue();
        assertThat(stronger.needsRehash(stronger.hash("ABCD1234"))).isFalse();
        assertThat(SecretHasher.pbkdf2(1000).needsRehash(stronger.hash("X"))).isFalse();
    }

    @Test
    void unreadableHashesNeverMatch() {
        assertThat(hasher.matches("ABCD1234", "bcrypt$2a$10$whatever")).isFalse();
        assertThat(hasher.matches("ABCD1234", "pbkdf2-sha256$1000$!!$!!")).isFalse();
        assertThat(hasher.matches("ABCD1234", "pbkdf2-sha256$999999999$AAAA$AAAA")).isFalse();
        assertThat(hasher.matches("ABCD1234", "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(hasher.needsRehash("garbage")).isTrue();
    }

    @Test
    void iterationsBelowTheMinimumAreRejected() {
        assertThatThrownBy(() -> SecretHasher.pbkdf2(999)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultHasherUsesTheDocumentedIterationCount() {
        assertThat(SecretHasher.pbkdf2().hash("ABCD1234"))
                .startsWith("pbkdf2-sha256$" + SecretHasher.DEFAULT_PBKDF2_ITERATIONS + "$");
        assertThat(SecretHasher.DEFAULT_PBKDF2_ITERATIONS).isEqualTo(10_000);
    }

    @Test
    void emptyOrOverlongSecretsAreRejectedBeforeHashing() {
        assertThatThrownBy(() -> hasher.hash("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.matches("1".repeat(257), hasher.hash("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("111");
    }
}
