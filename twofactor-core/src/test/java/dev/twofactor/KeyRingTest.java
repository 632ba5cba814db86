package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTest {

    @Test
    void buildWithPrimaryAndDecryptionKeysThenToStringShowsIdsOnly() {
        byte[] key = Fixture.key(7);
        KeyRing ring = KeyRing.builder().primaryKey("2026-11", key).decryptionKey("2025-01", Fixture.key(8)).build();

        assertThat(ring.primaryKeyId()).isEqualTo("2026-11");
        assertThat(ring.toString()).isEqualTo("KeyRing[primary=2026-11, all=[2026-11, 2025-01]]");
        assertThat(ring.key("2025-01")).isNotNull();
        assertThat(ring.key("other")).isNull();
    }

    @Test
    void keysAreCopiedSoLaterChangesToTheArrayDoNothing() {
        byte[] key = Fixture.key(7);
        KeyRing ring = KeyRing.builder().primaryKey("k", key).build();
        Arrays.fill(key, (byte) 0);

        assertThat(ring.primaryKey().getEncoded()).isEqualTo(Fixture.key(7));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 24, 31, 33, 64})
    void keysOtherThan32BytesAreRejected(int length) {
        assertThatThrownBy(() -> KeyRing.builder().primaryKey("k", new byte[length]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "has space", "colon:no", "ü"})
    void invalidKeyIdsAreRejected(String keyId) {
        assertThatThrownBy(() -> KeyRing.builder().decryptionKey(keyId, Fixture.key(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdLongerThan64IsRejected() {
        assertThatThrownBy(() -> KeyRing.builder().primaryKey("k".repeat(65), Fixture.key(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(KeyRing.builder().primaryKey("k".repeat(64), Fixture.key(1)).build().primaryKeyId()).hasSize(64);
    }

    @Test
    void buildWithoutPrimaryKeyThenIllegalState() {
        assertThatThrownBy(() -> KeyRing.builder().decryptionKey("old", Fixture.key(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("primary");
    }

    @Test
    void duplicateKeyIdThenIllegalState() {
        assertThatThrownBy(() -> KeyRing.builder().primaryKey("a", Fixture.key(1)).decryptionKey("a", Fixture.key(2))
                .build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Duplicate key id in key ring: a");
    }

    @Test
    void secondPrimaryKeyThenIllegalState() {
        KeyRing.Builder builder = KeyRing.builder().primaryKey("a", Fixture.key(1));
        assertThatThrownBy(() -> builder.primaryKey("b", Fixture.key(2))).isInstanceOf(IllegalStateException.class);
    }
}
