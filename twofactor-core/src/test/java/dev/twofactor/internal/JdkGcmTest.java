package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkGcm} itself, on published test vectors of AES-256-GCM (McGrew and Viega's GCM specification, test
 * cases 14 and 15, without associated data), and its provider rule. Agreement with {@code Cipher} on random
 * records and every tamper: {@code AesGcmFastOpenTest}.
 */
class JdkGcmTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String KEY = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";

    private static JdkGcm gcm(String key) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        JdkGcm.Choice choice = JdkGcm.choose(new SecretKeySpec(HEX.parseHex(key), "AES"), cipher);
        boolean open = Object.class.getModule().isOpen("com.sun.crypto.provider", JdkGcm.class.getModule());
        if (Boolean.getBoolean("twofactor.test.expectJdkGcm")) {
            assertThat(open).as("core's surefire opens com.sun.crypto.provider").isTrue();
        }
        assertThat(choice.reason() == null).as(String.valueOf(choice.reason())).isEqualTo(open);
        return choice.gcm();
    }

    @Test
    void gcmSpecificationTestCase15OpensToItsPlaintextAndNotWithAnyTagBitChanged() throws Exception {
        JdkGcm gcm = gcm(KEY);
        if (gcm == null) {
            return; // the package is not open in this JVM: nothing to test here
        }
        String plain15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
        String cipher15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
        String nonce = "cafebabefacedbaddecaf888";
        assertThat(HEX.formatHex(gcm.open(HEX.parseHex(nonce + cipher15 + "b094dac5d93471bdec1a502270e3cc6c"), "")))
                .isEqualTo(plain15);
        byte[] record = HEX.parseHex(nonce + cipher15 + "b094dac5d93471bdec1a502270e3cc6c");
        for (int bit = 0; bit < 128; bit++) {
            byte[] tampered = record.clone();
            tampered[record.length - 16 + bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> gcm.open(tampered, "")).isInstanceOf(AEADBadTagException.class);
        }
        assertThatThrownBy(() -> gcm.open(record, "a")).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void gcmSpecificationTestCase14OpensToSixteenZeroBytes() throws Exception {
        JdkGcm gcm = gcm("0000000000000000000000000000000000000000000000000000000000000000");
        if (gcm == null) {
            return;
        }
        byte[] record = HEX.parseHex("000000000000000000000000" + "cea7403d4d606b6e074ec5d3baf39d18"
                + "d0d1c8a799996bf0265b98b5d48ab919");
        assertThat(gcm.open(record, "")).isEqualTo(new byte[16]);
        record[record.length - 1] ^= 1;
        assertThatThrownBy(() -> gcm.open(record, "")).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void onlyTheJdksOwnSunJceProviderMayBeStoodInFor() {
        assertThat(JdkGcm.providerReason(Security.getProvider("SunJCE"))).isNull();
        assertThat(JdkGcm.providerReason(null)).isEqualTo("provider (none) is configured first for AES/GCM/NoPadding");
        Provider impostor = new Provider("SunJCE", "1.0", "not the JDK's") {
            private static final long serialVersionUID = 1L;
        };
        assertThat(JdkGcm.providerReason(impostor)).isEqualTo("provider SunJCE is configured first for "
                + "AES/GCM/NoPadding");
        assertThat(JdkGcm.providerReason(Security.getProvider("SUN")))
                .isEqualTo("provider SUN is configured first for AES/GCM/NoPadding");
    }
}
