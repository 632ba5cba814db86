package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.twofactor.internal.Hotp;

/**
 * A provider configured before the JDK's own (a FIPS provider, say) is used as configured: the midstate path, which
 * reaches into the {@code SUN} provider's classes, must never bypass it, neither for HMAC nor for PBKDF2.
 */
class ProviderOrderTest {

    /** Stands for a FIPS provider: SHA-1 only, computed by the JDK's SUN and counted, so the test sees it used. */
    static final class FirstProvider extends Provider {
        private static final long serialVersionUID = 1L;
        static final String NAME = "TwofactorTestFirst";
        final AtomicInteger digests = new AtomicInteger();

        FirstProvider() {
            super(NAME, "1.0", "SHA-1 through the SUN provider, counted");
            putService(new Service(this, "MessageDigest", "SHA-1", CountedSha1.class.getName(), List.of(),
                    Map.of()) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return new CountedSha1(MessageDigest.getInstance("SHA-1", Security.getProvider("SUN")), digests);
                }
            });
        }
    }

    static final class CountedSha1 extends MessageDigestSpi {
        private final MessageDigest sun;
        private final AtomicInteger digests;

        CountedSha1(MessageDigest sun, AtomicInteger digests) {
            this.sun = sun;
            this.digests = digests;
        }

        @Override
        protected int engineGetDigestLength() {
            return 20;
        }

        @Override
        protected void engineUpdate(byte input) {
            sun.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            sun.update(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            digests.incrementAndGet();
            return sun.digest();
        }

        @Override
        protected int engineDigest(byte[] buf, int offset, int length) throws java.security.DigestException {
            digests.incrementAndGet();
            return sun.digest(buf, offset, length);
        }

        @Override
        protected void engineReset() {
            sun.reset();
        }
    }

    @Test
    void midstatesWhenAnotherProviderIsFirstForSha1ThenOffForSha1AndThatProviderComputesCorrectCodes()
            throws Exception {
        boolean open = Object.class.getModule().isOpen("sun.security.provider", Totp.class.getModule());
        // Expected codes from the JDK's own HMAC, computed before the provider is installed.
        Random random = new Random(1L);
        byte[][] keys = new byte[200][20];
        long[] steps = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            random.nextBytes(keys[i]);
            steps[i] = random.nextLong() >>> 1;
        }
        List<String> sha1 = codes(TotpAlgorithm.SHA1, keys, steps);
        List<String> sha256 = codes(TotpAlgorithm.SHA256, keys, steps);

        FirstProvider first = new FirstProvider();
        List<Object> seen = new CopyOnWriteArrayList<>();
        assertThat(Security.insertProviderAt(first, 1)).isEqualTo(1);
        String log;
        try {
            // A thread that starts after the provider was installed, as every thread does when providers are set
            // at start-up: its HMAC state is created now.
            Thread thread = new Thread(() -> {
                seen.add(TotpAlgorithm.SHA1.midstateHmac());
                seen.add(TotpAlgorithm.SHA1.midstateUnavailableReason().orElse("none"));
                seen.add(TotpAlgorithm.SHA256.midstateHmac());
                int before = first.digests.get();
                seen.add(generate(TotpAlgorithm.SHA1, keys, steps).equals(sha1));
                seen.add(first.digests.get() - before);
                seen.add(generate(TotpAlgorithm.SHA256, keys, steps).equals(sha256));
            });
            log = LogCapture.during(() -> {
                thread.start();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } finally {
            Security.removeProvider(FirstProvider.NAME);
        }

        String reason = "provider " + FirstProvider.NAME + " is configured first for SHA-1";
        // Every SHA-1 code is right and took its two hashes (inner and outer) from the provider that came first.
        assertThat(seen).containsExactly(false, reason, open, true, 2 * keys.length, true);
        assertThat(log).isEqualToIgnoringNewLines(
                "INFO dev.twofactor.midstates - HMAC runs over MessageDigest, without per-key midstates: " + reason);
    }

    /** Stands for a FIPS provider of PBKDF2: computed by the JDK's SunJCE and counted. */
    static final class FirstPbkdf2Provider extends Provider {
        private static final long serialVersionUID = 1L;
        static final String NAME = "TwofactorTestFirstPbkdf2";
        final AtomicInteger derivations = new AtomicInteger();

        FirstPbkdf2Provider() {
            super(NAME, "1.0", "PBKDF2WithHmacSHA256 through SunJCE, counted");
            putService(new Service(this, "SecretKeyFactory", "PBKDF2WithHmacSHA256", CountedPbkdf2.class.getName(),
                    List.of(), Map.of()) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return new CountedPbkdf2(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256",
                            Security.getProvider("SunJCE")), derivations);
                }
            });
        }
    }

    static final class CountedPbkdf2 extends SecretKeyFactorySpi {
        private final SecretKeyFactory sunJce;
        private final AtomicInteger derivations;

        CountedPbkdf2(SecretKeyFactory sunJce, AtomicInteger derivations) {
            this.sunJce = sunJce;
            this.derivations = derivations;
        }

        @Override
        protected SecretKey engineGenerateSecret(KeySpec keySpec) throws InvalidKeySpecException {
            derivations.incrementAndGet();
            return sunJce.generateSecret(keySpec);
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            return sunJce.getKeySpec(key, keySpec);
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            return sunJce.translateKey(key);
        }
    }

    @Test
    void pbkdf2WhenAnotherProviderIsFirstForItThenThatProviderDerivesEveryHashAndTheHashesStayTheSame() {
        SecretHasher hasher = SecretHasher.pbkdf2(1000);
        String before = hasher.hash("ABCD-1234");
        FirstPbkdf2Provider first = new FirstPbkdf2Provider();
        assertThat(Security.insertProviderAt(first, 1)).isEqualTo(1);
        String during;
        try {
            assertThat(Hotp.pbkdf2Sha256(new byte[8], new byte[16], 10)).isNull();
            during = hasher.hash("ABCD-1234");
            assertThat(hasher.matches("ABCD-1234", before)).isTrue();
            assertThat(hasher.matches("ABCD-1235", before)).isFalse();
        } finally {
            Security.removeProvider(FirstPbkdf2Provider.NAME);
        }

        assertThat(first.derivations.get()).isEqualTo(3);
        // Back with the JDK's provider first (and the midstates, where open): the same hashes.
        assertThat(hasher.matches("ABCD-1234", during)).isTrue();
        assertThat(Hotp.pbkdf2Sha256(new byte[8], new byte[16], 10) != null)
                .isEqualTo(TotpAlgorithm.SHA256.midstateHmac());
    }

    private static List<String> codes(TotpAlgorithm algorithm, byte[][] keys, long[] steps)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.macName());
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            mac.init(new SecretKeySpec(keys[i], algorithm.macName()));
            byte[] hmac = mac.doFinal(ByteBuffer.allocate(8).putLong(steps[i]).array());
            int offset = hmac[hmac.length - 1] & 0x0f;
            int truncated = ByteBuffer.wrap(hmac, offset, 4).getInt() & 0x7fffffff;
            codes.add(String.format("%08d", truncated % 100_000_000));
        }
        return codes;
    }

    private static List<String> generate(TotpAlgorithm algorithm, byte[][] keys, long[] steps) {
        Totp totp = Totp.builder().algorithm(algorithm).digits(8).build();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            codes.add(totp.generate(TotpSecret.ofBytes(keys[i]), steps[i]));
        }
        return codes;
    }
}
