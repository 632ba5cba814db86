package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Property: every text form of a secret reads back as the same key. */
class TotpSecretRoundTripTest {

    @Property(tries = 2000)
    void base32AndGroupedRoundTripForAnyKey(@ForAll @Size(min = 16, max = 128) byte[] key) {
        TotpSecret secret = TotpSecret.ofBytes(key);

        assertThat(secret.base32()).doesNotContain("=").matches("[A-Z2-7]+");
        assertThat(TotpSecret.fromBase32(secret.base32()).bytes()).isEqualTo(key);
        assertThat(TotpSecret.fromBase32(secret.grouped()).bytes()).isEqualTo(key);
        assertThat(TotpSecret.fromBase32(secret.base32().toLowerCase(Locale.ROOT)).bytes()).isEqualTo(key);
    }
}
