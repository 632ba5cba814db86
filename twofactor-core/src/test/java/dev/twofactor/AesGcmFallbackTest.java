package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.EncryptedSecret;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.NoSuchPaddingException;
import org.junit.jupiter.api.Test;

/**
 * The AES-GCM open through {@code Cipher} where the JDK's primitives must not be used, in this JVM that opens
 * {@code com.sun.crypto.provider} (see core's pom) so that they would be otherwise: with the kill switch
 * {@code -Ddev.twofactor.jdkGcm=false} (read when twofactor's classes initialise, so in a class loader of their own,
 * {@link IsolatedCore}), and with another provider configured first for {@code AES/GCM/NoPadding}.
 */
class AesGcmFallbackTest {

    private static final String PROPERTY = "dev.twofactor.jdkGcm";
    private static final String BAD_TAG = "Secret sealed with key 'k1' does not authenticate (tampered, or sealed for "
            + "another user)";

    @Test
    void killSwitchWhenFalseThenCipherOpensTheSameRecordsRefusesTheSameAndTheReasonIsLoggedOnce() throws Exception {
        String reason = "disabled by -D" + PROPERTY + "=false";
        AesGcmSecretCipher here = (AesGcmSecretCipher) SecretCipher.aesGcm(Fixture.ring());
        String previous = System.setProperty(PROPERTY, "false");
        try (IsolatedCore core = IsolatedCore.load()) {
            Object isolated = core.aesGcm("k1", Fixture.KEY_1);
            Object second = core.aesGcm("k1", Fixture.KEY_1);
            AtomicReference<String> otherThread = new AtomicReference<>();
            Random random = new Random(30L);
            String log = LogCapture.during(() -> {
                assertThat(core.fastOpenUnavailableReason(isolated, "k1")).isEqualTo(reason);
                assertThat(core.fastOpenUnavailableReason(second, "k1")).isEqualTo(reason);
                Thread thread = new Thread(() -> otherThread.set(core.fastOpenUnavailableReason(isolated, "k1")));
                thread.start();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 200; i++) {
                    String user = AesGcmFastOpenTest.randomUserId(random);
                    byte[] secret = new byte[1 + random.nextInt(64)];
                    random.nextBytes(secret);
                    byte[] sealedHere = here.seal(user, secret).sealed();
                    byte[] sealedThere = core.seal(isolated, user, secret);
                    assertThat(core.open(isolated, user, "k1", sealedHere)).isEqualTo(secret);
                    assertThat(here.open(user, new EncryptedSecret("k1", sealedThere))).isEqualTo(secret);
                    sealedHere[random.nextInt(sealedHere.length)] ^= (byte) (1 + random.nextInt(255));
                    assertThatThrownBy(() -> core.open(isolated, user, "k1", sealedHere))
                            .cause().isInstanceOf(IllegalStateException.class).hasMessage(BAD_TAG);
                    assertThatThrownBy(() -> core.open(isolated, user + "x", "k1", sealedThere))
                            .cause().isInstanceOf(IllegalStateException.class).hasMessage(BAD_TAG);
                }
            });

            assertThat(otherThread.get()).isEqualTo(reason);
            assertThat(log.lines().filter(line -> line.contains("jdkGcm")).toList())
                    .containsExactly("INFO dev.twofactor.jdkGcm - AES-GCM opens through Cipher: " + reason);
        } finally {
            restore(previous);
        }
        // Read once per class loader: this one's is unaffected.
        assertThat(here.fastOpenUnavailableReason("k1")).isEqualTo(reasonHere());
    }

    @Test
    void killSwitchWhenTrueOrUnsetThenOnWhereThePackageIsOpenAndWhenMisspeltThenOff() throws Exception {
        for (String value : new String[] {null, "true", " TRUE ", "off"}) {
            String previous = value == null ? System.clearProperty(PROPERTY) : System.setProperty(PROPERTY, value);
            try (IsolatedCore core = IsolatedCore.load()) {
                boolean open = Object.class.getModule()
                        .isOpen("com.sun.crypto.provider", core.loader().getUnnamedModule());
                Object isolated = core.aesGcm("k1", Fixture.KEY_1);
                String[] seen = new String[1];
                LogCapture.during(() -> seen[0] = core.fastOpenUnavailableReason(isolated, "k1"));
                String reason = seen[0];
                if ("off".equals(value)) {
                    assertThat(reason).isEqualTo("disabled by -D" + PROPERTY + "=off");
                } else {
                    assertThat(reason).as("value %s", value).isEqualTo(open ? null : reasonHere());
                }
                byte[] sealed = core.seal(isolated, "frank", Fixture.KEY_2);
                assertThat(core.open(isolated, "frank", "k1", sealed)).isEqualTo(Fixture.KEY_2);
            } finally {
                restore(previous);
            }
        }
    }

    @Test
    void whenAnotherProviderIsFirstForAesGcmThenItOpensEveryRecordAndTheReasonIsLoggedOnce() throws Exception {
        Random random = new Random(31L);
        byte[][] secrets = new byte[50][];
        byte[][] records = new byte[secrets.length][];
        for (int i = 0; i < secrets.length; i++) {
            secrets[i] = new byte[1 + random.nextInt(40)];
            random.nextBytes(secrets[i]);
            records[i] = AesGcmFastOpenTest.sealWithCipher(Fixture.KEY_1, "erin", secrets[i], random);
        }
        FirstGcmProvider first = new FirstGcmProvider();
        assertThat(Security.insertProviderAt(first, 1)).isEqualTo(1);
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        String log;
        try {
            AesGcmSecretCipher cipher = (AesGcmSecretCipher) SecretCipher.aesGcm(Fixture.ring());
            log = LogCapture.during(() -> {
                seen.add(cipher.fastOpenUnavailableReason("k1"));
                int before = first.finals.get();
                boolean all = true;
                for (int i = 0; i < secrets.length; i++) {
                    all &= Arrays.equals(cipher.open("erin", new EncryptedSecret("k1", records[i])), secrets[i]);
                }
                seen.add(all);
                seen.add(first.finals.get() - before);
                byte[] tampered = records[0].clone();
                tampered[12] ^= 1;
                assertThatThrownBy(() -> cipher.open("erin", new EncryptedSecret("k1", tampered)))
                        .hasMessage(BAD_TAG);
            });
        } finally {
            Security.removeProvider(FirstGcmProvider.NAME);
        }

        String reason = "provider " + FirstGcmProvider.NAME + " is configured first for AES/GCM/NoPadding";
        assertThat(seen).containsExactly(reason, true, secrets.length);
        assertThat(log.lines().filter(line -> line.contains("jdkGcm")).toList())
                .containsExactly("INFO dev.twofactor.jdkGcm - AES-GCM opens through Cipher: " + reason);
        // With the JDK's provider first again, a new cipher takes the primitives (where the package is open).
        assertThat(((AesGcmSecretCipher) SecretCipher.aesGcm(Fixture.ring())).fastOpenUnavailableReason("k1"))
                .isEqualTo(reasonHere());
    }

    private static String reasonHere() {
        return Object.class.getModule().isOpen("com.sun.crypto.provider", Totp.class.getModule()) ? null
                : "java.base does not open com.sun.crypto.provider to twofactor on the class path (--add-opens "
                        + "java.base/com.sun.crypto.provider=ALL-UNNAMED)";
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
    }

    /** Stands for a FIPS provider: AES/GCM/NoPadding computed by the JDK's SunJCE, its doFinal calls counted. */
    static final class FirstGcmProvider extends Provider {
        private static final long serialVersionUID = 1L;
        static final String NAME = "TwofactorTestFirstGcm";
        final AtomicInteger finals = new AtomicInteger();

        FirstGcmProvider() {
            super(NAME, "1.0", "AES/GCM/NoPadding through SunJCE, counted");
            putService(new Service(this, "Cipher", "AES/GCM/NoPadding", CountedGcm.class.getName(), List.of(),
                    Map.of("SupportedKeyFormats", "RAW")) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    try {
                        return new CountedGcm(Cipher.getInstance("AES/GCM/NoPadding",
                                Security.getProvider("SunJCE")), finals);
                    } catch (NoSuchPaddingException e) {
                        throw new NoSuchAlgorithmException(e);
                    }
                }
            });
        }
    }

    static final class CountedGcm extends CipherSpi {
        private final Cipher sunJce;
        private final AtomicInteger finals;

        CountedGcm(Cipher sunJce, AtomicInteger finals) {
            this.sunJce = sunJce;
            this.finals = finals;
        }

        @Override
        protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
            if (!mode.equalsIgnoreCase("GCM")) {
                throw new NoSuchAlgorithmException(mode);
            }
        }

        @Override
        protected void engineSetPadding(String padding) throws NoSuchPaddingException {
            if (!padding.equalsIgnoreCase("NoPadding")) {
                throw new NoSuchPaddingException(padding);
            }
        }

        @Override
        protected int engineGetBlockSize() {
            return sunJce.getBlockSize();
        }

        @Override
        protected int engineGetOutputSize(int inputLen) {
            return sunJce.getOutputSize(inputLen);
        }

        @Override
        protected byte[] engineGetIV() {
            return sunJce.getIV();
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return sunJce.getParameters();
        }

        @Override
        protected void engineInit(int opmode, Key key, SecureRandom random) throws java.security.InvalidKeyException {
            sunJce.init(opmode, key, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws java.security.InvalidKeyException, java.security.InvalidAlgorithmParameterException {
            sunJce.init(opmode, key, params, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
                throws java.security.InvalidKeyException, java.security.InvalidAlgorithmParameterException {
            sunJce.init(opmode, key, params, random);
        }

        @Override
        protected void engineUpdateAAD(byte[] src, int offset, int len) {
            sunJce.updateAAD(src, offset, len);
        }

        @Override
        protected void engineUpdateAAD(ByteBuffer src) {
            sunJce.updateAAD(src);
        }

        @Override
        protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
            return sunJce.update(input, inputOffset, inputLen);
        }

        @Override
        protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
                throws javax.crypto.ShortBufferException {
            return sunJce.update(input, inputOffset, inputLen, output, outputOffset);
        }

        @Override
        protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
                throws javax.crypto.IllegalBlockSizeException, javax.crypto.BadPaddingException {
            finals.incrementAndGet();
            return sunJce.doFinal(input, inputOffset, inputLen);
        }

        @Override
        protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
                throws javax.crypto.ShortBufferException, javax.crypto.IllegalBlockSizeException,
                javax.crypto.BadPaddingException {
            finals.incrementAndGet();
            return sunJce.doFinal(input, inputOffset, inputLen, output, outputOffset);
        }
    }
}
