package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HotpTest {

    private static String macName(Hotp.Hash hash) {
        return "Hmac" + hash.name();
    }

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void hmacEqualsJcaMacForKeysShorterEqualAndLongerThanTheBlock(Hotp.Hash hash) throws GeneralSecurityException {
        Random random = new Random(2104L);
        int[] keyLengths = {1, 16, 20, 32, 63, 64, 65, 127, 128, 129, 200, 1000};
        int[] messageLengths = {0, 1, 8, 55, 56, 64, 111, 112, 128, 300};
        Mac mac = Mac.getInstance(macName(hash));
        for (int keyLength : keyLengths) {
            for (int messageLength : messageLengths) {
                byte[] key = new byte[keyLength];
                byte[] message = new byte[messageLength];
                random.nextBytes(key);
                random.nextBytes(message);
                mac.init(new SecretKeySpec(key, macName(hash)));

                assertThat(Hotp.hmac(hash, key, message))
                        .as("key %d bytes, message %d bytes", keyLength, messageLength)
                        .isEqualTo(mac.doFinal(message));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void truncateAppliesRfc4226DynamicTruncationToTheBigEndianCounter(Hotp.Hash hash)
            throws GeneralSecurityException {
        Random random = new Random(4226L);
        Mac mac = Mac.getInstance(macName(hash));
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[20];
            random.nextBytes(key);
            long counter = random.nextLong();
            mac.init(new SecretKeySpec(key, macName(hash)));
            byte[] expectedMac = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = expectedMac[expectedMac.length - 1] & 0x0f;
            int expected = ByteBuffer.wrap(expectedMac, offset, 4).getInt() & 0x7fffffff;

            try (Hotp hotp = Hotp.begin(Hotp.Key.derive(hash, key))) {
                assertThat(hotp.truncate(counter)).isEqualTo(expected);
            }
        }
    }

    @Test
    void beginWhenThreadInstanceIsInUseThenRefused() {
        Hotp.Key sha1 = Hotp.Key.derive(Hotp.Hash.SHA1, new byte[20]);
        Hotp held = Hotp.begin(sha1);
        try {
            assertThatThrownBy(() -> Hotp.begin(sha1)).isInstanceOf(IllegalStateException.class);
            try (Hotp other = Hotp.begin(Hotp.Key.derive(Hotp.Hash.SHA256, new byte[20]))) {
                assertThat(other).isNotSameAs(held);
            }
        } finally {
            held.close();
        }
        try (Hotp again = Hotp.begin(sha1)) {
            assertThat(again).isSameAs(held);
        }
    }

    @Test
    void instancesArePerThread() throws InterruptedException {
        Hotp.Key sha1 = Hotp.Key.derive(Hotp.Hash.SHA1, new byte[20]);
        Hotp[] seen = new Hotp[2];
        try (Hotp mine = Hotp.begin(sha1)) {
            seen[0] = mine;
            Thread thread = new Thread(() -> {
                try (Hotp theirs = Hotp.begin(sha1)) {
                    seen[1] = theirs;
                }
            });
            thread.start();
            thread.join();
        }
        assertThat(seen[1]).isNotNull().isNotSameAs(seen[0]);
    }
}
