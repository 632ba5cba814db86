package dev.twofactor.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PermissionsTest {

    @Property(tries = 300)
    void decodeOfEncodeIsTheSameSet(@ForAll @Size(max = 6) Set<String> permissions) {
        assertThat(Permissions.decode(Permissions.encode(permissions))).isEqualTo(permissions);
    }

    @Property(tries = 100)
    void encodingDoesNotDependOnSetOrder(@ForAll @Size(max = 6) Set<String> permissions) {
        assertThat(Permissions.encode(Set.copyOf(permissions))).isEqualTo(Permissions.encode(permissions));
    }

    @Test
    void fullAccessAndOneEmptyPermissionAreDifferentTexts() {
        assertThat(Permissions.encode(Set.of())).isEmpty();
        assertThat(Permissions.encode(Set.of(""))).isEqualTo("\n");
        assertThat(Permissions.decode("\n")).containsExactly("");
    }

    @Test
    void encodeEscapesLineFeedsAndBackslashesAndSorts() {
        assertThat(Permissions.encode(Set.of("b\\c", "a\nb"))).isEqualTo("a\\nb\nb\\\\c\n");
    }

    @Test
    void decodeWhenTextIsNotEncodedThenClearError() {
        assertThatThrownBy(() -> Permissions.decode("no terminator")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Malformed permissions column");
        assertThatThrownBy(() -> Permissions.decode("bad \\x escape\n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Permissions.decode("dangling\\")).isInstanceOf(IllegalStateException.class);
    }
}
