package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.twofactor.spi.EncryptedSecret;
import org.junit.jupiter.api.Test;

/**
 * A sign-in leaves no plaintext key behind: every array the cipher opened is wiped before {@code verifyCode}
 * returns, whether the code was right, wrong or malformed, and each sign-in opens the sealed secret again (nothing
 * is cached).
 */
class SignInKeyWipeTest {

    /** The real cipher, keeping a reference to every array it opened so that the test can look at it afterwards. */
    private static final class Watching implements SecretCipher {
        final SecretCipher real = SecretCipher.aesGcm(Fixture.ring());
        final List<byte[]> opened = new ArrayList<>();

        @Override
        public EncryptedSecret seal(String userId, byte[] secret) {
            return real.seal(userId, secret);
        }

        @Override
        public byte[] open(String userId, EncryptedSecret sealed) {
            byte[] bytes = real.open(userId, sealed);
            opened.add(bytes);
            return bytes;
        }

        @Override
        public boolean isCurrent(EncryptedSecret sealed) {
            return real.isCurrent(sealed);
        }

        @Override
        public boolean hasKey(String keyId) {
            return real.hasKey(keyId);
        }

        @Override
        public String currentKeyId() {
            return real.currentKeyId();
        }
    }

    @Test
    void everyOpenedKeyIsWipedWhateverTheCodeAndNothingIsCached() {
        Watching cipher = new Watching();
        Fixture f = new Fixture(builder -> builder.secretCipher(cipher));
        Fixture.Enabled alice = f.enable("alice");
        cipher.opened.clear();

        success(f.service.verifyCode("alice", f.code(alice.secret())));
        f.clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(f.service.verifyCode("alice", f.wrongCode(alice.secret()))).isNotInstanceOf(Outcome.Success.class);
        assertThat(f.service.verifyCode("alice", "12345")).isNotInstanceOf(Outcome.Success.class);

        assertThat(cipher.opened).as("one open per checked sign-in").hasSize(3);
        for (byte[] key : cipher.opened) {
            assertThat(key).as("an opened key after the sign-in").hasSize(20).containsOnly(0);
        }
    }
}
