package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twofactor.internal.Base32Text;
import dev.twofactor.testing.StoreSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the TOTP engine and the text formats over outside input: the engine accepts exactly the window's
 * codes in ASCII digits, Base32 secrets and key URIs either parse (and round-trip) or fail with the documented
 * exception whose message never echoes the input, and every service entry point checks a user id with the one rule.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class FormatInputPropertiesTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    private static final Totp TOTP = Totp.defaults();

    @Provide
    Arbitrary<UnaryOperator<String>> inputs() {
        return HostileInput.aroundValid();
    }

    @Provide
    Arbitrary<String> anyText() {
        return HostileInput.anyText();
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.MIXIN)
    void totpVerifyMatchesOnlyAsciiDigitsOfAWindowStep(@ForAll("inputs") UnaryOperator<String> around,
                                                       @ForAll @IntRange(min = 1, max = 1_000_000_000) int step) {
        List<String> window = List.of(TOTP.generate(SECRET, step - 1), TOTP.generate(SECRET, step),
                TOTP.generate(SECRET, step + 1));
        String text = around.apply(window.get(1));
        boolean valid = text.length() <= Totp.MAX_CODE_INPUT_LENGTH && window.contains(text.replace(" ", ""));
        CountingCharSequence input = new CountingCharSequence(text);

        TotpMatch match = TOTP.verifyAtStep(SECRET, input, step);

        assertThat(match.matched()).as("matched %s", match).isEqualTo(valid);
        assertThat(input.reads()).isLessThanOrEqualTo(Totp.MAX_CODE_INPUT_LENGTH * 2L + 2);
        if (match instanceof TotpMatch.Matched matched) {
            assertThat(window.get((int) (matched.timeStep() - step) + 1)).isEqualTo(text.replace(" ", ""));
        }
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 50));
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void base32SecretEitherParsesFromBase32CharactersOrFailsWithoutEchoingTheInput(
            @ForAll("base32Inputs") String text) {
        CountingCharSequence input = new CountingCharSequence(text);
        Throwable thrown = catchThrowable(() -> TotpSecret.fromBase32(input));
        // A text longer than any secret is refused by its length: its characters are never read one by one.
        assertThat(input.reads()).as("characters read of a %d-character input", text.length())
                .isLessThanOrEqualTo(text.length() > Base32Text.MAX_TEXT_LENGTH ? 0 : text.length() * 2L + 2);

        if (thrown == null) {
            TotpSecret secret = TotpSecret.fromBase32(text);
            assertThat(text).matches("[A-Za-z2-7 =-]*");
            assertThat(TotpSecret.fromBase32(secret.base32())).isEqualTo(secret);
            assertThat(TotpSecret.fromBase32(secret.grouped().toLowerCase(Locale.ROOT))).isEqualTo(secret);
            assertThat(secret.bits()).isBetween(TotpSecret.MIN_BITS, TotpSecret.MAX_BITS);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
            assertNotEchoed(thrown, text);
        }
        Statistics.label("parsed").collect(thrown == null);
        Statistics.label("parsed").coverage(c -> c.check(true).count(n -> n > 100));
    }

    @Provide
    Arbitrary<String> base32Inputs() {
        Arbitrary<String> valid = Arbitraries.bytes().array(byte[].class).ofMinSize(16).ofMaxSize(40)
                .map(bytes -> TotpSecret.ofBytes(bytes).grouped());
        return Arbitraries.oneOf(HostileInput.anyText(), valid,
                valid.flatMap(v -> HostileInput.aroundValid().map(around -> around.apply(v))),
                valid.map(v -> v.toLowerCase(Locale.ROOT) + "===="));
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void keyUriParseOfAnyTextReturnsAUriThatRoundTripsOrFailsWithTheDocumentedException(
            @ForAll("uriInputs") String text) {
        Throwable thrown = catchThrowable(() -> KeyUri.parse(text));
        if (text.length() > KeyUri.MAX_LENGTH) {
            // Refused by its length before any parsing: the first check, whatever the text holds.
            assertThat(thrown).hasMessage("Key URI is too long: at most " + KeyUri.MAX_LENGTH + " characters");
        }

        if (thrown == null) {
            KeyUri parsed = KeyUri.parse(text);
            assertThat(KeyUri.parse(parsed.toUriString())).isEqualTo(parsed);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
            assertNotEchoed(thrown, text);
            assertThat(thrown.getMessage()).doesNotContain(SECRET.base32());
        }
        Statistics.label("parsed").collect(thrown == null);
        Statistics.label("parsed").coverage(c -> c.check(true).count(n -> n > 50));
    }

    @Provide
    Arbitrary<String> uriInputs() {
        String valid = KeyUri.of("ACME Corp", "alice@example.com", SECRET).toUriString();
        Arbitrary<Integer> at = Arbitraries.integers().between(0, valid.length());
        Arbitrary<String> inserted = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(3)
                .flatMap(extra -> at.map(i -> valid.substring(0, i) + extra + valid.substring(i)));
        Arbitrary<String> cut = at.map(i -> valid.substring(0, i));
        Arbitrary<String> withParameter = Arbitraries.of("&digits=+6", "&digits=\u0666", "&period=0", "&period=-30",
                "&algorithm=md5", "&secret=JBSWY3DP", "#frag", "&digits=９", "&issuer=Other", "&x=%zz", "&image=%",
                "&period=99999999999999999999", "&digits=7").map(valid::concat);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, HostileInput.anyText().map(t -> "otpauth://totp/" + t)),
                net.jqwik.api.Tuple.of(2, HostileInput.anyText()),
                net.jqwik.api.Tuple.of(3, inserted),
                net.jqwik.api.Tuple.of(1, cut),
                net.jqwik.api.Tuple.of(2, withParameter),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(valid)));
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.MIXIN)
    void isValidUserIdAcceptsPrintableTextUpToTheLimitAndNothingElse(@ForAll("anyText") String id) {
        boolean printable = id.chars().noneMatch(Character::isISOControl);
        boolean wellFormedUtf16 = StandardCharsets.UTF_8.newEncoder().canEncode(id);
        boolean expected = !id.isBlank() && id.length() <= UserContext.MAX_USER_ID_LENGTH && printable
                && wellFormedUtf16;

        assertThat(UserContext.isValidUserId(id)).as("valid %s", id.codePoints().limit(80).boxed().toList())
                .isEqualTo(expected);
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void everyServiceEntryPointRefusesExactlyTheInvalidUserIdsWithIllegalArgument(@ForAll("anyText") String id) {
        Fixture f = fixture();
        List<Consumer<String>> entryPoints = List.of(
                f.service::status,
                user -> f.service.startEnrolment(user, "account"),
                user -> f.service.changeAuthenticator(user, "account"),
                f.service::cancelEnrolment,
                user -> f.service.confirmEnrolment(user, "123456"),
                user -> f.service.acknowledgeRecoveryCodes(user, "token"),
                user -> f.service.verifyCode(user, "123456"),
                user -> f.service.redeemRecoveryCode(user, "AAAA-AAAA"),
                f.service::regenerateRecoveryCodes,
                user -> f.service.stepUpWithCode(user, "123456"),
                user -> f.service.adminUnenrol("root", "123456", user),
                user -> f.service.adminResetBackoff("root", "123456", user),
                f.service::appPasswords,
                user -> f.service.revokeAppPassword(user, "id"),
                user -> f.service.createAppPassword(user, "name", Set.of()),
                user -> f.service.requirementFor(UserContext.of(user, false)));
        boolean valid = UserContext.isValidUserId(id);

        for (Consumer<String> entryPoint : entryPoints) {
            Throwable thrown = catchThrowable(() -> entryPoint.accept(id));
            if (valid) {
                assertThat(thrown).as("valid id").isNull();
            } else {
                assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
                assertNotEchoed(thrown, id);
            }
        }
        assertThat(f.service.verifyAppPassword(id, "1234 5678 9012 3456 7890").succeeded()).isFalse();
        if (!valid) {
            assertThat(StoreSnapshot.of(f.store, "root")).isEqualTo(fixtureStoreBefore);
        }
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 20));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void appPasswordPermissionNamesOutsideTheCatalogueAreRefusedAndCatalogueNamesKeptExactly(
            @ForAll("anyText") String permission) {
        Fixture f = fixture(); // its catalogue: "mail" and "reports:read"
        f.clock.advance(Duration.ofSeconds(1));
        StoreSnapshot before = StoreSnapshot.of(f.store, "root");

        Outcome<NewAppPassword> outside = f.service.createAppPassword("root", "Mail",
                AppPasswordScope.limited(Set.of(permission)));

        if (!CATALOGUE.contains(permission)) {
            assertThat(outside).isInstanceOfSatisfying(Outcome.Rejected.class,
                    rejected -> assertThat(rejected.reason()).isEqualTo(Reason.APP_PASSWORD_UNKNOWN_PERMISSION));
            assertThat(StoreSnapshot.of(f.store, "root")).isEqualTo(before);
        }
        if (permission.isBlank()) {
            assertThatIllegalArgumentException().isThrownBy(() -> TwoFactorService.builder()
                    .appPasswordPermissions(Set.of(permission)));
            return;
        }
        Fixture declared = new Fixture(b -> b.appPasswordPermissions(Set.of(permission)));
        declared.enable("root");
        assertThat(declared.service.createAppPassword("root", "Mail", AppPasswordScope.limited(Set.of(permission))))
                .isInstanceOf(Outcome.Success.class);
        assertThat(declared.service.appPasswords("root")).singleElement()
                .satisfies(app -> assertThat(app.permissions()).containsExactly(permission));
    }

    private static final Set<String> CATALOGUE = Set.of("mail", "reports:read");

    private Fixture fixture;
    private StoreSnapshot fixtureStoreBefore;

    /** One enabled administrator "root", built once per property and reset between tries by new app passwords. */
    private Fixture fixture() {
        if (fixture == null) {
            fixture = new Fixture(b -> b.appPasswordPermissions(CATALOGUE));
            fixture.enable("root");
            fixtureStoreBefore = StoreSnapshot.of(fixture.store, "root");
        }
        fixture.service.appPasswords("root").forEach(app -> fixture.service.revokeAppPassword("root", app.id()));
        fixture.store.resetBackoff("root");
        fixtureStoreBefore = StoreSnapshot.of(fixture.store, "root");
        return fixture;
    }

    private static void assertNotEchoed(Throwable thrown, String input) {
        String message = String.valueOf(thrown.getMessage());
        String stripped = input.strip();
        if (stripped.length() >= 16) { // shorter ones may be part of a fixed message ("otpauth://")
            assertThat(message).as("exception message").doesNotContain(stripped);
        }
    }
}
