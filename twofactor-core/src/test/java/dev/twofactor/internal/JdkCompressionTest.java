package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdkCompressionTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"true", "TRUE", "True", " true "})
    void switchReasonWhenUnsetOrTrueThenNone(String value) {
        assertThat(JdkCompression.switchReason(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "off", "no", "0", "", "yes", "tru"})
    void switchReasonWhenAnythingButTrueThenOffShowingTheValue(String value) {
        assertThat(JdkCompression.switchReason(value)).isEqualTo("disabled by -Ddev.twofactor.midstates=" + value);
    }

    @ParameterizedTest
    @EnumSource(value = Hotp.Hash.class, names = {"SHA1", "SHA256"})
    void unavailableReasonWhenTheJdksOwnDigestThenNoneWhereThePackageIsOpen(Hotp.Hash hash)
            throws GeneralSecurityException {
        boolean open = Object.class.getModule().isOpen("sun.security.provider", Hotp.class.getModule());
        MessageDigest sun = MessageDigest.getInstance(hash.digestName(), "SUN");

        assertThat(JdkCompression.unavailableReason(hash, sun) == null).isEqualTo(open);
    }

    @ParameterizedTest
    @EnumSource(value = Hotp.Hash.class, names = {"SHA1", "SHA256"})
    void knownAnswerCheckWhenTheJdksOwnDigestThenAgrees(Hotp.Hash hash) throws GeneralSecurityException {
        JdkCompression compression = JdkCompression.create(hash);
        Assumptions.assumeTrue(compression != null, "sun.security.provider is not open");

        assertThat(compression.agreesWithMessageDigest(hash, MessageDigest.getInstance(hash.digestName(), "SUN")))
                .isTrue();
        // And the check can fail: another hash's digest gives another answer.
        Hotp.Hash other = hash == Hotp.Hash.SHA1 ? Hotp.Hash.SHA256 : Hotp.Hash.SHA1;
        assertThat(compression.agreesWithMessageDigest(hash, MessageDigest.getInstance(other.digestName(), "SUN")))
                .isFalse();
    }
}
