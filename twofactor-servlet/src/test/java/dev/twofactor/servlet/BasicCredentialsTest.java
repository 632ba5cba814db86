package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.BasicCredentials.Malformed;
import dev.twofactor.servlet.BasicCredentials.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The exact limits of {@link BasicCredentials#parse}: each limit is accepted, one past it is refused with its reason,
 * and an over-long header is refused by its length before it is decoded. (The HTTP tests in
 * {@link MalformedBasicCredentialTest} check that refusals cost no store call; these pin the boundaries.)
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

    @Test
    void toStringShowsNeitherPart() {
        BasicCredentials credentials = parse("alice:12345678901234567890").credentials();

        assertThat(credentials.toString()).doesNotContain("alice").doesNotContain("1234");
    }
}
