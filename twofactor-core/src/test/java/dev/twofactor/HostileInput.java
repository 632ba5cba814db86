package dev.twofactor;

import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of outside input for the property tests: any UTF-16 text (control characters and lone surrogates
 * included), a megabyte string, and near-misses of a valid value (one digit off, fullwidth and Arabic-Indic digits,
 * signs, padding, invisible characters, one character more or less).
 */
final class HostileInput {

    /** A megabyte of digits: long enough that reading it all would show, refused by its length alone. */
    static final String MEGABYTE = "1".repeat(1 << 20);

    private HostileInput() {
    }

    /** Any text: every char value (so control characters and unpaired surrogates), short and long, and a megabyte. */
    static Arbitrary<String> anyText() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(10, Arbitraries.strings().withChars("0123456789 +-=\t\u00a0\u200b\ud800\udc00")
                        .ofMaxLength(12)),
                Tuple.of(5, Arbitraries.strings().all().ofMinLength(60).ofMaxLength(3000)),
                Tuple.of(1, Arbitraries.just(MEGABYTE)));
    }

    /**
     * Input built from the valid value known only when the try runs (a code of the current step): the value itself,
     * the value changed the ways a person or an attacker changes a code, or any text regardless of it.
     */
    static Arbitrary<UnaryOperator<String>> aroundValid() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1000);
        Arbitrary<UnaryOperator<String>> nearMiss = Arbitraries.oneOf(
                at.map(i -> v -> replaceAt(v, i % v.length(),
                        (char) ('0' + (v.charAt(i % v.length()) - '0' + 1) % 10))),
                Arbitraries.of('\uff10', '\u0660', '\u06f0', '\u0966')
                        .flatMap(zero -> at.map(i -> v -> replaceAt(v, i % v.length(),
                                (char) (v.charAt(i % v.length()) - '0' + zero)))),
                at.map(i -> v -> v.substring(0, i % v.length()) + v.substring(i % v.length() + 1)),
                Arbitraries.of("+", "-", "=", "\t", "\u00a0", "\u200b", "\u0000", "0", "\ud800", "\udc00", " ")
                        .flatMap(extra -> at.map(i -> v -> v.substring(0, i % v.length()) + extra
                                + v.substring(i % v.length()))),
                Arbitraries.of("+", "-", "==", " ", "\n", "0", "%20", "\ufeff").map(extra -> v -> extra + v),
                Arbitraries.of("=", "==", "\n", "\r\n", "0", " ", "\u0000").map(extra -> v -> v + extra),
                Arbitraries.just(v -> " ".repeat(60) + v),
                Arbitraries.just(v -> v.toLowerCase(java.util.Locale.ROOT)));
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(UnaryOperator.identity())),
                Tuple.of(5, nearMiss),
                Tuple.of(4, anyText().map(text -> v -> text)));
    }

    private static String replaceAt(String text, int index, char c) {
        return text.substring(0, index) + c + text.substring(index + 1);
    }

    static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }
}
