package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Hotp#truncate(long, long, long, int)}, several HMACs at once (side by side on the midstate path's lanes, one
 * after another over {@code MessageDigest}): each value is the HMAC of its own moving factor, whatever the others are,
 * the batch size is honoured, a smaller batch after a larger one reads no stale lane, and keys prepared per call or
 * held give the same values, all checked against {@code javax.crypto.Mac}.
 */
class HotpLanesTest {

    private static int reference(Mac mac, byte[] key, long counter) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        int offset = hash[hash.length - 1] & 0x0f;
        return ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
    }

    private static Hotp open(String path, Hotp.Hash hash, byte[] key) {
        return switch (path) {
            case "THREAD" -> Hotp.begin(Hotp.Key.derive(hash, key));
            case "PER_CALL" -> Hotp.beginPerCall(hash, key, 0, key.length);
            default -> Hotp.portable(Hotp.Key.derive(hash, key));
        };
    }

    @ParameterizedTest
    @CsvSource({"SHA1, THREAD", "SHA1, PER_CALL", "SHA1, PORTABLE", "SHA256, THREAD", "SHA256, PER_CALL",
            "SHA256, PORTABLE", "SHA512, THREAD", "SHA512, PER_CALL", "SHA512, PORTABLE"})
    void everyLaneIsTheHmacOfItsOwnMovingFactor(Hotp.Hash hash, String path) throws GeneralSecurityException {
        Random random = new Random(4226L);
        Mac mac = Mac.getInstance("Hmac" + hash.name());
        int[] keyLengths = {16, 20, 32, 63, 64, 65, 128};
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[keyLengths[round % keyLengths.length]];
            random.nextBytes(key);
            long[] counters = new long[Hotp.LANES];
            for (int i = 0; i < counters.length; i++) {
                // Neighbours as in a window, far apart, or equal: lanes must neither swap nor share results.
                counters[i] = switch (round % 3) {
                    case 0 -> 59_638_112L + round + (i & 1) * -2 + i;
                    case 1 -> random.nextLong();
                    default -> round;
                };
            }
            try (Hotp hotp = open(path, hash, key)) {
                for (int count = Hotp.LANES; count >= 1; count--) {
                    // A distinct set per batch size: a lane left over from the larger batch would show.
                    long shift = 1_000L * count;
                    hotp.truncate(counters[0] + shift, counters[1] + shift, counters[2] + shift, count);
                    for (int lane = 0; lane < count; lane++) {
                        assertThat(hotp.truncated(lane))
                                .as("%d-byte key, batch of %d, lane %d", key.length, count, lane)
                                .isEqualTo(reference(mac, key, counters[lane] + shift));
                    }
                }
                // A single MAC between batches still gives its own value.
                assertThat(hotp.truncate(counters[2])).isEqualTo(reference(mac, key, counters[2]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void batchSizesOutsideOneToLanesAreRefused(Hotp.Hash hash) {
        try (Hotp hotp = Hotp.begin(Hotp.Key.derive(hash, new byte[20]))) {
            assertThatThrownBy(() -> hotp.truncate(1, 2, 3, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> hotp.truncate(1, 2, 3, Hotp.LANES + 1))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Hotp.Hash.class, names = {"SHA1", "SHA256"})
    void theMidstatePathHasItsLanesAndTheOtherPathsNone(Hotp.Hash hash) throws Exception {
        Assumptions.assumeTrue(Hotp.usesMidstates(hash), "sun.security.provider is not open");
        try (Hotp hotp = Hotp.begin(Hotp.Key.derive(hash, new byte[20]))) {
            assertThat(hotp.lanes).isNotNull();
        }
        try (Hotp portable = Hotp.portable(Hotp.Key.derive(hash, new byte[20]))) {
            assertThat(portable.lanes).isNull();
        }
        try (Hotp sha512 = Hotp.begin(Hotp.Key.derive(Hotp.Hash.SHA512, new byte[20]))) {
            assertThat(sha512.lanes).isNull();
        }
    }
}
