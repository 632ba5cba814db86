package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * App passwords of {@link TwoFactorService}: creation (the code, its name and permissions, what is stored), the list,
 * and verification (the grant, the lookup tag, wrong and malformed input, the backoff). Revocation, and the tie to the
 * enabled second factor, are {@link TwoFactorServiceAppPasswordRevocationTest}'s.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class TwoFactorServiceAppPasswordTest {

    private final CountingHasher hasher = new CountingHasher();
    private final Fixture f = new Fixture(b -> b.hasher(hasher));

    /** App passwords exist only beside an enabled second factor (SPEC §10). */
    @BeforeEach
    void enableAlice() {
        f.enable("alice");
    }

    @Test
    void verifyAcceptsACodeGroupedUpToFortyEightCharactersAndRefusesOneMoreUnread() {
        String digits = success(f.service.createAppPassword("alice", "Mail", Set.of("mail:read"))).code()
                .replace(" ", "");
        // 20 digits and 28 separators: the longest spelling read (2 * 20 + 8 characters).
        String spelled = spell(digits, 48);
        assertThat(spelled).hasSize(48);

        assertThat(f.service.verifyAppPassword("alice", spelled).succeeded()).isTrue();
        assertThat(f.service.verifyAppPassword("alice", " " + spelled).succeeded()).isFalse();
    }

    /** The digits with separators between them ("-" then " "), to exactly {@code length} characters. */
    private static String spell(String digits, int length) {
        StringBuilder out = new StringBuilder(digits);
        for (int at = 1, separators = length - digits.length(); separators > 0; at += 2, separators--) {
            out.insert(Math.min(at, out.length() - 1), separators % 2 == 0 ? '-' : ' ');
        }
        return out.toString();
    }

    @Test
    void verifyForAUserWithoutAppPasswordsStillChecksOneRealHash() {
        int before = hasher.matches.get();

        assertThat(f.service.verifyAppPassword("nobody", "1234 5678 9012 3456 7890").succeeded()).isFalse();

        // The same slow work as for a user with app passwords: a hash made by the configured hasher, not a blank.
        assertThat(hasher.matches.get() - before).isEqualTo(1);
        assertThat(hasher.lastHash).isNotBlank();
        assertThat(hasher.delegate.needsRehash(hasher.lastHash)).isFalse();
    }

    @Test
    void createReturnsATwentyDigitCodeOnceAndStoresOnlyItsHash() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "  Thunderbird on laptop ",
                Set.of("mail:read", "mail:send")));

        assertThat(created.code()).matches("\\d{4} \\d{4} \\d{4} \\d{4} \\d{4}");
        AppPassword meta = created.appPassword();
        assertThat(meta.name()).isEqualTo("Thunderbird on laptop");
        assertThat(meta.permissions()).containsExactlyInAnyOrder("mail:read", "mail:send");
        assertThat(meta.fullAccess()).isFalse();
        assertThat(meta.createdAt()).isEqualTo(f.clock.instant());
        assertThat(meta.lastUsed()).isEmpty();
        assertThat(meta.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        AppPasswordRecord stored = f.store.findAppPasswords("alice").get(0);
        String digits = created.code().replace(" ", "");
        assertThat(stored.hash()).startsWith("pbkdf2-sha256$").doesNotContain(digits);
        assertThat(hasher.delegate.matches(digits, stored.hash())).isTrue();
        assertThat(created.toString()).doesNotContain(digits).doesNotContain(created.code());
        TwoFactorEvent event = f.events.last(TwoFactorEventType.APP_PASSWORD_CREATED);
        assertThat(event.details()).containsEntry("appPassword", "Thunderbird on laptop")
                .containsEntry("permissions", "mail:read,mail:send");
    }

    @Test
    void codesAreDifferentEveryTime() {
        String first = success(f.service.createAppPassword("alice", "a", Set.of())).code();
        String second = success(f.service.createAppPassword("alice", "b", Set.of())).code();

        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tab\tinside", "new\nline"})
    void invalidNamesAreRejectedAndNothingStored(String name) {
        Outcome<NewAppPassword> outcome = f.service.createAppPassword("alice", name, Set.of());

        assertThat(reason(outcome)).isEqualTo(Reason.APP_PASSWORD_NAME_INVALID);
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
    }

    @Test
    void namesUpToAHundredCharactersAreAccepted() {
        assertThat(f.service.createAppPassword("alice", "n".repeat(100), Set.of()).succeeded()).isTrue();
        assertThat(reason(f.service.createAppPassword("alice", "n".repeat(101), Set.of())))
                .isEqualTo(Reason.APP_PASSWORD_NAME_INVALID);
        assertThat(f.service.createAppPassword("alice", "😀".repeat(100), Set.of()).succeeded()).isTrue();
    }

    @Test
    @SuppressWarnings("deprecation")
    void blankPermissionThroughTheOldSetFormThenRejectedAsUnknownAndNothingStored() {
        assertThat(f.service.createAppPassword("alice", "x", Set.of(" ")))
                .isEqualTo(Outcome.rejected(Reason.APP_PASSWORD_UNKNOWN_PERMISSION));
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
    }

    @Test
    void listShowsMetadataOldestFirstAndNeverCodes() {
        NewAppPassword first = success(f.service.createAppPassword("alice", "Phone", Set.of()));
        f.clock.advance(Duration.ofMinutes(1));
        NewAppPassword second = success(f.service.createAppPassword("alice", "Laptop", Set.of("mail:read")));

        List<AppPassword> list = f.service.appPasswords("alice");

        assertThat(list).containsExactly(first.appPassword(), second.appPassword());
        assertThat(list.toString()).doesNotContain(first.code().replace(" ", "")).doesNotContain(first.code());
        assertThat(f.service.appPasswords("bob")).isEmpty();
    }

    @Test
    void verifyReturnsTheGrantAndRecordsTheUse() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "Mail", Set.of("mail:read")));
        f.clock.advance(Duration.ofMinutes(3));

        AppPasswordGrant grant = success(f.service.verifyAppPassword("alice", created.code()));

        assertThat(grant).isEqualTo(new AppPasswordGrant("alice", created.appPassword().id(), "Mail",
                Set.of("mail:read")));
        assertThat(grant.allows("mail:read")).isTrue();
        assertThat(grant.allows("admin")).isFalse();
        assertThat(f.service.appPasswords("alice").get(0).lastUsedAt()).isEqualTo(f.clock.instant());
        assertThat(f.events.last(TwoFactorEventType.APP_PASSWORD_USED).details()).containsEntry("appPassword", "Mail");
        // Typed without spaces, or with dashes, it works too; it is not single use.
        assertThat(f.service.verifyAppPassword("alice", created.code().replace(" ", "")).succeeded()).isTrue();
        assertThat(f.service.verifyAppPassword("alice", created.code().replace(" ", "-")).succeeded()).isTrue();
    }

    @Test
    void fullAccessGrantAllowsEverything() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "All", Set.of()));

        AppPasswordGrant grant = success(f.service.verifyAppPassword("alice", created.code()));

        assertThat(grant.fullAccess()).isTrue();
        assertThat(grant.allows("anything")).isTrue();
    }

    @Test
    void verifyChecksOnlyTheAppPasswordItsLookupTagSelectsHoweverManyTheUserHas() {
        NewAppPassword first = success(f.service.createAppPassword("alice", "a", Set.of()));
        for (int i = 0; i < 19; i++) {
            success(f.service.createAppPassword("alice", "more " + i, Set.of()));
        }
        hasher.matches.set(0);

        assertThat(f.service.verifyAppPassword("alice", first.code()).succeeded()).isTrue();
        assertThat(reason(f.service.verifyAppPassword("alice", "1234 5678 9012 3456 7890")))
                .isEqualTo(Reason.WRONG_APP_PASSWORD);

        assertThat(hasher.matches).as("one slow hash per attempt with 20 stored").hasValue(2);
    }

    @Test
    void anotherUsersAppPasswordDoesNotWork() {
        f.enable("bob");
        NewAppPassword bobs = success(f.service.createAppPassword("bob", "Mail", Set.of()));
        success(f.service.createAppPassword("alice", "Mail", Set.of()));

        assertThat(reason(f.service.verifyAppPassword("alice", bobs.code()))).isEqualTo(Reason.WRONG_APP_PASSWORD);
    }

    @Test
    void wrongOrMalformedAppPasswordsAreRejectedAlikeAndCounted() {
        success(f.service.createAppPassword("alice", "Mail", Set.of()));
        hasher.matches.set(0);

        Outcome<AppPasswordGrant> wrong = f.service.verifyAppPassword("alice", "1234 5678 9012 3456 7890");
        f.clock.advance(Duration.ofSeconds(2));
        Outcome<AppPasswordGrant> malformed = f.service.verifyAppPassword("alice", "my normal password");

        assertThat(reason(wrong)).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(wrong.message()).isEqualTo("That app password did not match.");
        assertThat(reason(malformed)).isEqualTo(Reason.WRONG_APP_PASSWORD);
        assertThat(hasher.matches).as("one each; the malformed one against the dummy hash").hasValue(2);
        assertThat(f.store.findBackoff("alice", BackoffScope.APP_PASSWORD).failures()).isEqualTo(2);
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
        assertThat(f.events.last(TwoFactorEventType.VERIFICATION_FAILED).details())
                .containsEntry("check", "APP_PASSWORD");
    }

    @Test
    void duringBackoffEvenTheRightAppPasswordIsRefusedUncheckedAndAnsweredAsAWrongOne() {
        NewAppPassword created = success(f.service.createAppPassword("alice", "Mail", Set.of()));
        f.service.verifyAppPassword("alice", "0000 0000 0000 0000 0000");
        f.service.verifyAppPassword("alice", "0000 0000 0000 0000 0000");
        hasher.matches.set(0);

        assertThat(f.service.verifyAppPassword("alice", created.code()))
                .isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));

        assertThat(hasher.matches).as("the dummy hash only").hasValue(1);
        assertThat(f.service.appPasswords("alice").get(0).lastUsedAt()).isNull();
    }

    @Test
    void appPasswordFailuresNeverSlowDownOrLockTheSecondFactor() {
        Fixture three = new Fixture(b -> b.backoffPolicy(BackoffPolicy.builder().lockAfter(3).build()));
        Fixture.Enabled alice = three.enable("alice");
        NewAppPassword created = success(three.service.createAppPassword("alice", "Mail", Set.of()));
        for (int i = 0; i < 3; i++) {
            assertThat(reason(three.service.verifyAppPassword("alice", "0000 0000 0000 0000 0000")))
                    .isEqualTo(Reason.WRONG_APP_PASSWORD);
            three.clock.advance(Duration.ofHours(2));
        }

        assertThat(three.service.verifyAppPassword("alice", created.code()))
                .as("locked, answered as a wrong app password").isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(three.events.last(TwoFactorEventType.LOCKED).details()).containsEntry("check", "APP_PASSWORD");
        assertThat(three.service.status("alice").locked()).isFalse();
        assertThat(three.service.verifyCode("alice", three.code(alice.secret())).succeeded()).isTrue();
    }

    @Test
    void appPasswordGuessesForAUserWithoutAppPasswordsCountNothingAndStoreNothing() {
        for (int i = 0; i < 10; i++) {
            assertThat(reason(f.service.verifyAppPassword("invented-user", "0000 0000 0000 0000 000" + i)))
                    .isEqualTo(Reason.WRONG_APP_PASSWORD);
        }

        assertThat(f.backoff("invented-user")).isEqualTo(BackoffState.NONE);
        assertThat(f.store.findBackoff("invented-user", BackoffScope.APP_PASSWORD)).isEqualTo(BackoffState.NONE);
        assertThat(f.events.events).noneMatch(e -> e.type() == TwoFactorEventType.VERIFICATION_FAILED);
    }
}
