package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.UserContext;
import dev.twofactor.servlet.BasicCredentials.Malformed;
import dev.twofactor.servlet.BasicCredentials.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The exact limits of {@link BasicCredentials#parse}: each limit is accepted, one past it is refused with its reason,
 * and an over-long header is refused by its length before it is decoded. (The HTTP tests in
 * {@link MalformedBasicCredentialTest} check that refusals cost no store call; these pin the boundaries.) Two
 * properties over any header text and any decoded credential: never an exception, and accepted exactly when the
 * rule says so, with the user id and secret split at the first colon.
 */
class BasicCredentialsTest {

    private static Parsed parse(String userAndSecret) {
        return BasicCredentials.parse("Basic " + Base64.getEncoder()
                .encodeToString(userAndSecret.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertAccepted(Parsed parsed, String userId, String secret) {
        assertThat(parsed.malformed()).isNull();
        assertThat(parsed.credentials().userId()).isEqualTo(userId);
        assertThat(parsed.credentials().secret().toString()).isEqualTo(secret);
    }

    @Test
    void userIdOfExactlyTheMaximumLengthIsAcceptedAndOneMoreIsRefused() {
        String longest = "u".repeat(BasicCredentials.MAX_USER_ID_LENGTH);

        assertAccepted(parse(longest + ":secret"), longest, "secret");
        assertThat(parse(longest + "u:secret").malformed()).isEqualTo(Malformed.BAD_USER_ID);
    }

    @Test
    void userIdOfOneCharacterIsAcceptedAndAnEmptyOneIsRefused() {
        assertAccepted(parse("u:secret"), "u", "secret");
        assertThat(parse(":secret").malformed()).isEqualTo(Malformed.BAD_USER_ID);
    }

    @Test
    void secretOfOneCharacterIsAcceptedAndAnEmptyOneIsRefused() {
        assertAccepted(parse("alice:s"), "alice", "s");
        assertThat(parse("alice:").malformed()).isEqualTo(Malformed.BAD_SECRET_LENGTH);
    }

    @Test
    void secretOfExactlyTheMaximumLengthIsAcceptedAndOneMoreIsRefused() {
        String longest = "s".repeat(BasicCredentials.MAX_SECRET_LENGTH);

        assertAccepted(parse("alice:" + longest), "alice", longest);
        assertThat(parse("alice:" + longest + "s").malformed()).isEqualTo(Malformed.BAD_SECRET_LENGTH);
    }

    @Test
    void secretMayContainColonsBecauseTheFirstColonEndsTheUserId() {
        assertAccepted(parse("alice:a:b:"), "alice", "a:b:");
    }

    @Test
    void headerOfTheMaximumEncodedLengthIsDecodedAndOneLongerIsRefusedUnread() {
        // 2048 'A's are valid base64 of 1536 NUL bytes: decoded, they have no colon. Four more are refused by the
        // length alone, before any decoding (the answer would otherwise be the same NO_COLON).
        int longest = 4 * ((BasicCredentials.MAX_USER_ID_LENGTH * 4 + 1 + BasicCredentials.MAX_SECRET_LENGTH * 4
                + 2) / 3) + 4;

        assertThat(BasicCredentials.parse("Basic " + "A".repeat(longest)).malformed()).isEqualTo(Malformed.NO_COLON);
        assertThat(BasicCredentials.parse("Basic " + "A".repeat(longest + 4)).malformed())
                .isEqualTo(Malformed.TOO_LONG);
        assertThat(BasicCredentials.parse("Basic " + "!".repeat(1 << 20)).malformed()).isEqualTo(Malformed.TOO_LONG);
    }

    @Test
    void eachMalformedFormHasItsReason() {
        assertThat(BasicCredentials.parse("Basic !!!").malformed()).isEqualTo(Malformed.NOT_BASE64);
        assertThat(BasicCredentials.parse("Basic " + Base64.getEncoder()
                .encodeToString(new byte[] {'a', (byte) 0xc3, 0x28, ':', '1'})).malformed())
                .isEqualTo(Malformed.NOT_UTF8);
        assertThat(parse("alice").malformed()).isEqualTo(Malformed.NO_COLON);
        assertThat(parse("al\u0000ice:secret").malformed()).isEqualTo(Malformed.BAD_USER_ID);
        assertThat(parse("   :secret").malformed()).isEqualTo(Malformed.BAD_USER_ID);
    }

    @Test
    void isBasicOnlyForTheBasicSchemeFollowedBySpaceOrNothing() {
        assertThat(BasicCredentials.isBasic("Basic")).isTrue();
        assertThat(BasicCredentials.isBasic("basic YWxpY2U6cw==")).isTrue();
        assertThat(BasicCredentials.isBasic("BASIC ")).isTrue();
        assertThat(BasicCredentials.isBasic("Basicx")).isFalse();
        assertThat(BasicCredentials.isBasic("Basi")).isFalse();
        assertThat(BasicCredentials.isBasic("Bearer abc")).isFalse();
        assertThat(BasicCredentials.isBasic(null)).isFalse();
    }

    @Test
    void wipeClearsEverySecretCharacter() {
        BasicCredentials credentials = parse("alice:12345678901234567890").credentials();
        CharSequence secret = credentials.secret();

        credentials.wipe();

        assertThat(secret.length()).isEqualTo(20);
        assertThat(secret.chars()).containsOnly(0);
    }

    @Test
    void appPasswordFormIsTwentyDigitsPerhapsGroupedBySpacesOrDashes() {
        assertThat(parse("alice:12345678901234567890").credentials().secretLooksLikeAppPassword()).isTrue();
        assertThat(parse("alice:1234 5678-9012 3456-7890").credentials().secretLooksLikeAppPassword()).isTrue();
        assertThat(parse("alice:1234567890123456789").credentials().secretLooksLikeAppPassword()).isFalse();
        assertThat(parse("alice:123456789012345678901").credentials().secretLooksLikeAppPassword()).isFalse();
        assertThat(parse("alice:1234567890123456789x").credentials().secretLooksLikeAppPassword()).isFalse();
        assertThat(parse("alice:/1234567890123456789").credentials().secretLooksLikeAppPassword()).isFalse();
        assertThat(parse("alice::1234567890123456789").credentials().secretLooksLikeAppPassword()).isFalse();
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.MIXIN)
    void anyHeaderTextIsParsedWithoutAnExceptionIntoExactlyOneAnswer(@ForAll("headerTexts") String text) {
        Parsed parsed = BasicCredentials.parse("Basic " + text);

        assertThat(parsed.credentials() == null).as("credentials xor reason").isNotEqualTo(parsed.malformed() == null);
        if ((" " + text).trim().length() > 2048) {   // parse trims as String#trim does
            assertThat(parsed.malformed()).isEqualTo(Malformed.TOO_LONG);
        }
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.MIXIN)
    void anyDecodedCredentialIsAcceptedExactlyWhenUserIdAndSecretAreValid(@ForAll("credentials") String credential) {
        // What the header carries: the UTF-8 bytes (a lone surrogate becomes '?'), read back as the server does.
        String sent = new String(credential.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        int colon = sent.indexOf(':');
        String userId = colon < 0 ? null : sent.substring(0, colon);
        String secret = colon < 0 ? null : sent.substring(colon + 1);
        boolean valid = colon >= 0 && UserContext.isValidUserId(userId) && !secret.isEmpty()
                && secret.length() <= BasicCredentials.MAX_SECRET_LENGTH;

        Parsed parsed = parse(credential);

        if (valid) {
            assertAccepted(parsed, userId, secret);
        } else {
            assertThat(parsed.credentials()).as("accepted %s", sent.codePoints().limit(40).boxed().toList()).isNull();
            assertThat(parsed.malformed()).isIn(Malformed.NO_COLON, Malformed.BAD_USER_ID,
                    Malformed.BAD_SECRET_LENGTH);
        }
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 500));
    }

    @Provide
    Arbitrary<String> headerTexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(4, Arbitraries.strings().withChars("ABCabc019+/= \t").ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(200).map(BasicCredentialsTest::base64)),
                Tuple.of(1, Arbitraries.strings().withChars("A=").ofMinLength(2040).ofMaxLength(2060)),
                Tuple.of(1, Arbitraries.just("A".repeat(1 << 20))));
    }

    @Provide
    Arbitrary<String> credentials() {
        Arbitrary<String> userIds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("@.-_").ofMinLength(1)
                        .ofMaxLength(20)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(260)),
                Tuple.of(1, Arbitraries.of("", " ", "\u0000", "a\nb", "\u0085", "\ud800", "\udc00x", "\ud83d\ude00",
                        "\u00e9l\u00e8ve")));
        Arbitrary<String> secrets = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().numeric().withChars(" -").ofMinLength(1).ofMaxLength(30)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(120).ofMaxLength(136)),
                Tuple.of(1, Arbitraries.of("", ":", "::", "\ud800", "\u0000")));
        return Arbitraries.frequencyOf(
                Tuple.of(8, userIds.flatMap(user -> secrets.map(secret -> user + ":" + secret))),
                Tuple.of(1, userIds),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80)));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void toStringShowsNeitherPart() {
        BasicCredentials credentials = parse("alice:12345678901234567890").credentials();

        assertThat(credentials.toString()).doesNotContain("alice").doesNotContain("1234");
    }
}
