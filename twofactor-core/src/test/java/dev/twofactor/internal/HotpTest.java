package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Which HMAC path a test runs: the thread's instance (midstates where permitted) or MessageDigest only. */
    enum Path {
        THREAD_INSTANCE, PORTABLE
    }

    private static int truncate(Path path, Hotp.Key key, long counter) {
        try (Hotp hotp = path == Path.THREAD_INSTANCE ? Hotp.begin(key) : Hotp.portable(key)) {
            return hotp.truncate(counter);
        }
    }

    private static int expectedTruncation(Mac mac, byte[] key, long counter) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
        byte[] expectedMac = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        int offset = expectedMac[expectedMac.length - 1] & 0x0f;
        return ByteBuffer.wrap(expectedMac, offset, 4).getInt() & 0x7fffffff;
    }

    @ParameterizedTest
    @CsvSource({"SHA1, THREAD_INSTANCE", "SHA1, PORTABLE", "SHA256, THREAD_INSTANCE", "SHA256, PORTABLE",
            "SHA512, THREAD_INSTANCE", "SHA512, PORTABLE"})
    void truncateAppliesRfc4226DynamicTruncationToTheBigEndianCounter(Hotp.Hash hash, Path path)
            throws GeneralSecurityException {
        Random random = new Random(4226L);
        Mac mac = Mac.getInstance(macName(hash));
        int[] keyLengths = {16, 20, 32, 63, 64, 65, 128, 129};
        for (int i = 0; i < 400; i++) {
            byte[] key = new byte[keyLengths[i % keyLengths.length]];
            random.nextBytes(key);
            // Every counter shape: small, with the high word set, negative as a long, the extremes.
            long counter = switch (i % 4) {
                case 0 -> random.nextInt(Integer.MAX_VALUE);
                case 1 -> random.nextLong();
                case 2 -> i == 2 ? Long.MAX_VALUE : -1L - random.nextInt(1000);
                default -> i == 3 ? 0L : random.nextLong() >>> 1;
            };
            Hotp.Key prepared = Hotp.Key.derive(hash, key);

            assertThat(truncate(path, prepared, counter))
                    .as("key %d bytes, counter %d", key.length, counter)
                    .isEqualTo(expectedTruncation(mac, key, counter));
        }
    }

    @Test
    void midstatesAreUsedExactlyWhenTheJdkProviderPackageIsOpenToTwofactor() {
        boolean open = Object.class.getModule().isOpen("sun.security.provider", Hotp.class.getModule());
        // The core module's own test run opens it (see its pom), so that this path is what its tests exercise.
        if (Boolean.getBoolean("twofactor.test.expectMidstates")) {
            assertThat(open).as("the test JVM opens sun.security.provider").isTrue();
        }

        assertThat(Hotp.usesMidstates(Hotp.Hash.SHA1)).isEqualTo(open);
        assertThat(Hotp.usesMidstates(Hotp.Hash.SHA256)).isEqualTo(open);
        assertThat(Hotp.usesMidstates(Hotp.Hash.SHA512)).isFalse();
    }

    @Test
    void threadsComputingAtOnceGetEachTheirOwnResults() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                checked.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    Mac mac = Mac.getInstance("HmacSHA1");
                    int count = 0;
                    for (int i = 0; i < 2_000; i++) {
                        byte[] key = new byte[20];
                        random.nextBytes(key);
                        long counter = random.nextLong() >>> 1;
                        assertThat(truncate(Path.THREAD_INSTANCE, Hotp.Key.derive(Hotp.Hash.SHA1, key), counter))
                                .isEqualTo(expectedTruncation(mac, key, counter));
                        count++;
                    }
                    return count;
                }));
            }
            for (Future<Integer> result : checked) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pbkdf2FromMidstatesIsTheJdksPbkdf2WithHmacSha256() throws GeneralSecurityException {
        assumeMidstatesOrSkip();
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        Random random = new Random(8018L);
        // Passwords below, at and above the SHA-256 block (longer ones are hashed into the HMAC key first).
        int[] passwordLengths = {1, 10, 63, 64, 65, 300};
        int[] saltLengths = {1, 16, 32, Hotp.PBKDF2_MAX_SALT};
        int[] iterationCounts = {1, 2, 3, 1000};
        for (int passwordLength : passwordLengths) {
            for (int saltLength : saltLengths) {
                for (int iterations : iterationCounts) {
                    char[] password = new char[passwordLength];
                    for (int i = 0; i < passwordLength; i++) {
                        password[i] = (char) ('!' + random.nextInt(94));
                    }
                    byte[] salt = new byte[saltLength];
                    random.nextBytes(salt);
                    byte[] expected = jdk.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();

                    assertThat(Hotp.pbkdf2Sha256(new String(password).getBytes(StandardCharsets.US_ASCII), salt,
                            iterations))
                            .as("password %d, salt %d, %d iterations", passwordLength, saltLength, iterations)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void pbkdf2FromMidstatesLeavesSaltsLongerThanOneBlockToTheJdk() {
        assertThat(Hotp.pbkdf2Sha256(new byte[8], new byte[Hotp.PBKDF2_MAX_SALT + 1], 10)).isNull();
        assertThatThrownBy(() -> Hotp.pbkdf2Sha256(new byte[8], new byte[16], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Hotp.pbkdf2Sha256(new byte[8], new byte[16], 10) != null)
                .isEqualTo(Hotp.usesMidstates(Hotp.Hash.SHA256));
    }

    private static void assumeMidstatesOrSkip() {
        // Core's own test run always has them (midstatesAreUsedExactlyWhen... checks that); elsewhere, nothing to do.
        Assumptions.assumeTrue(Hotp.usesMidstates(Hotp.Hash.SHA256),
                "sun.security.provider is not open to twofactor in this JVM");
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
