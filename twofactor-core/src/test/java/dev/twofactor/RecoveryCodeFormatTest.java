package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.internal.Randomness;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodeFormatTest {

    @Test
    void alphabetIsCrockfordBase32() {
        assertThat(RecoveryCodeFormat.ALPHABET).isEqualTo("0123456789ABCDEFGHJKMNPQRSTVWXYZ").hasSize(32);
    }

    @Test
    void generatedSymbolsAreSpreadOverTheWholeAlphabet() {
        Map<Character, Integer> counts = new HashMap<>();
        for (String code : RecoveryCodeFormat.generate(new RecoveryCodePolicy(32, 8, 8, false), Randomness.shared())) {
            for (char c : code.replace("-", "").toCharArray()) {
                counts.merge(c, 1, Integer::sum);
            }
        }
        // 2048 symbols: every one of the 32 is expected 64 times; missing one would be a broken generator.
        assertThat(counts).hasSize(32);
        assertThat(counts.values()).allMatch(n -> n > 20 && n < 130);
    }

    @ParameterizedTest
    @CsvSource({
        "abcd-efgh, ABCDEFGH",
        "'  AB CD - EF GH ', ABCDEFGH",
        "OOOO-IIII, 00001111",
        "oooo-llll, 00001111",
        "ABCD-EFGH-JKMN-PQRS, ABCDEFGHJKMNPQRS"
    })
    void normaliseReadsWhatPeopleType(String typed, String normalised) {
        assertThat(RecoveryCodeFormat.normalise(typed)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABC", "ABCD-EFG", "UUUU-UUUU", "ABCD_EFGH", "ABCD+EFGH", "ÄBCD-EFGH", "ＡBCD-EFGH"})
    void normaliseRejectsWhatCannotBeACode(String typed) {
        assertThat(RecoveryCodeFormat.normalise(typed)).isNull();
    }

    @Test
    void normaliseRejectsOverlongInputAndNull() {
        assertThat(RecoveryCodeFormat.normalise(null)).isNull();
        assertThat(RecoveryCodeFormat.normalise("-".repeat(RecoveryCodeFormat.MAX_INPUT_LENGTH + 1))).isNull();
        assertThat(RecoveryCodeFormat.normalise("A".repeat(65))).isNull();
    }

    @Property(tries = 200)
    void everyGeneratedCodeNormalisesToItselfHoweverItIsTyped(@ForAll @IntRange(min = 1, max = 8) int groups,
                                                              @ForAll @IntRange(min = 5, max = 8) int groupLength) {
        RecoveryCodePolicy policy = new RecoveryCodePolicy(2, groups < 2 ? 2 : groups, groupLength, false);
        List<String> codes = RecoveryCodeFormat.generate(policy, Randomness.shared());
        for (String code : codes) {
            String stripped = RecoveryCodeFormat.stripDisplay(code);
            assertThat(stripped).hasSize(policy.symbols());
            assertThat(RecoveryCodeFormat.normalise(code)).isEqualTo(stripped);
            assertThat(RecoveryCodeFormat.normalise(code.toLowerCase(Locale.ROOT).replace("-", " ")))
                    .isEqualTo(stripped);
        }
    }
}
