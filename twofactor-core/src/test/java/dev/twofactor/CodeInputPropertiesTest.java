package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.testing.StoreSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the service's code checks over outside input (any text, a megabyte, near-misses of the valid code):
 * no exception, no acceptance of anything but a valid code, nothing stored changes on a rejection but the one failure
 * counted, and overlong input refused after reading a bounded number of its characters.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class CodeInputPropertiesTest {

    private static final String USER = "alice";

    private final CountingHasher hasher = new CountingHasher();
    private final Fixture f = new Fixture(b -> b.hasher(hasher));
    private final Fixture.Enabled alice = f.enable(USER);
    private final Set<String> used = new HashSet<>();
    private NewAppPassword appPassword;
    private int enrolments;

    @Provide
    Arbitrary<UnaryOperator<String>> inputs() {
        return HostileInput.aroundValid();
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void verifyCodeAcceptsOnlyACodeOfTheWindowAndARejectionOnlyCountsAFailure(
            @ForAll("inputs") UnaryOperator<String> around) {
        f.clock.advance(Duration.ofSeconds(90)); // a fresh window: no step of it was accepted before
        Set<String> window = f.windowCodes(alice.secret());
        CountingCharSequence input = new CountingCharSequence(around.apply(f.code(alice.secret())));
        String text = input.toString();
        boolean valid = text.length() <= Totp.MAX_CODE_INPUT_LENGTH && window.contains(text.replace(" ", ""));
        StoreSnapshot before = StoreSnapshot.of(f.store, USER);
        input = new CountingCharSequence(text);

        Outcome<CodeAccepted> outcome = f.service.verifyCode(USER, input);

        assertThat(outcome.succeeded()).as("accepted %s", outcome).isEqualTo(valid);
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 10));
        assertBoundedReads(input, Totp.MAX_CODE_INPUT_LENGTH);
        if (!valid) {
            assertThat(outcome).isIn(Outcome.rejected(Reason.WRONG_CODE), Outcome.rejected(Reason.MALFORMED_CODE));
            assertOnlyOneFailureCounted(before, BackoffScope.SECOND_FACTOR);
        }
        f.store.resetBackoff(USER, BackoffScope.SECOND_FACTOR);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void redeemRecoveryCodeRejectsAnythingButAnUnusedCodeAndHashesNothingMalformed(
            @ForAll("inputs") UnaryOperator<String> around) {
        String valid = alice.recoveryCodes().codes().get(1);
        String text = around.apply(valid);
        String normalised = RecoveryCodeFormat.normalise(text);
        boolean accepted = normalised != null && !used.contains(normalised) && alice.recoveryCodes().codes().stream()
                .map(RecoveryCodeFormat::stripDisplay).anyMatch(normalised::equals);
        StoreSnapshot before = StoreSnapshot.of(f.store, USER);
        int unusedBefore = f.store.countUnused(USER);
        int hashesBefore = hasher.matches.get();
        CountingCharSequence input = new CountingCharSequence(text);

        Outcome<RecoveryCodeAccepted> outcome = f.service.redeemRecoveryCode(USER, input);

        assertBoundedReads(input, 64);
        if (accepted) {
            // Lower case, O for 0, I or L for 1, spaces and dashes are the documented ways to type a code right;
            // once used, the same code in any spelling is refused (single use).
            assertThat(outcome.succeeded()).as("%s", outcome).isTrue();
            Statistics.label("accepted").collect(true);
            assertThat(f.store.countUnused(USER)).isEqualTo(unusedBefore - 1);
            used.add(normalised);
            return;
        }
        Statistics.label("accepted").collect(false);
        Statistics.label("accepted").coverage(c -> c.check(true).count(n -> n == 1));
        assertThat(outcome).isIn(Outcome.rejected(Reason.WRONG_RECOVERY_CODE),
                Outcome.rejected(Reason.MALFORMED_CODE));
        if (normalised == null) {
            assertThat(hasher.matches.get()).as("slow hashes of malformed input").isEqualTo(hashesBefore);
        }
        assertOnlyOneFailureCounted(before, BackoffScope.SECOND_FACTOR);
        f.store.resetBackoff(USER, BackoffScope.SECOND_FACTOR);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void verifyAppPasswordAcceptsOnlyTheExactDigitsAtTheCostOfOneHash(@ForAll("inputs") UnaryOperator<String> around) {
        String valid = appPassword().code();
        String text = around.apply(valid);
        String digits = text.replace(" ", "").replace("-", "");
        boolean accepted = text.length() <= 48 && digits.equals(valid.replace(" ", ""));
        StoreSnapshot before = StoreSnapshot.of(f.store, USER);
        int hashesBefore = hasher.matches.get();
        CountingCharSequence input = new CountingCharSequence(text);

        Outcome<AppPasswordGrant> outcome = f.service.verifyAppPassword(USER, input);

        assertThat(outcome.succeeded()).as("%s", outcome).isEqualTo(accepted);
        assertThat(hasher.matches.get() - hashesBefore).as("slow hashes per attempt").isEqualTo(1);
        assertBoundedReads(input, 48);
        Statistics.label("accepted").collect(accepted);
        Statistics.label("accepted").coverage(c -> c.check(true).count(n -> n > 5));
        if (!accepted) {
            assertThat(outcome).isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
            assertOnlyOneFailureCounted(before, BackoffScope.APP_PASSWORD);
            f.store.resetBackoff(USER, BackoffScope.APP_PASSWORD);
        }
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void confirmEnrolmentAcceptsOnlyACodeOfThePendingSecretAndARejectionOnlyCountsAFailure(
            @ForAll("inputs") UnaryOperator<String> around) {
        String user = "bob-" + enrolments++;   // each try confirms (or fails to confirm) its own pending enrolment
        TotpSecret secret = Fixture.success(f.service.startEnrolment(user, user + "@example.com")).secret();
        Set<String> window = f.windowCodes(secret);
        String text = around.apply(f.code(secret));
        boolean valid = text.length() <= Totp.MAX_CODE_INPUT_LENGTH && window.contains(text.replace(" ", ""));
        StoreSnapshot before = StoreSnapshot.of(f.store, user);
        CountingCharSequence input = new CountingCharSequence(text);

        Outcome<Confirmation> outcome = f.service.confirmEnrolment(user, input);

        assertThat(outcome.succeeded()).as("confirmed %s", outcome).isEqualTo(valid);
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 10));
        assertBoundedReads(input, Totp.MAX_CODE_INPUT_LENGTH);
        if (valid) {
            assertThat(f.service.status(user).state()).isEqualTo(TwoFactorState.ENABLED);
        } else {
            assertThat(outcome).isIn(Outcome.rejected(Reason.WRONG_CODE), Outcome.rejected(Reason.MALFORMED_CODE));
            assertOnlyOneFailureCounted(user, before, BackoffScope.SECOND_FACTOR);
        }
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void stepUpWithCodeAcceptsOnlyACodeOfTheWindowAndARejectionOnlyCountsAFailure(
            @ForAll("inputs") UnaryOperator<String> around) {
        f.clock.advance(Duration.ofSeconds(90)); // a fresh window: no step of it was accepted before
        Set<String> window = f.windowCodes(alice.secret());
        String text = around.apply(f.code(alice.secret()));
        boolean valid = text.length() <= Totp.MAX_CODE_INPUT_LENGTH && window.contains(text.replace(" ", ""));
        StoreSnapshot before = StoreSnapshot.of(f.store, USER);
        CountingCharSequence input = new CountingCharSequence(text);

        Outcome<Instant> outcome = f.service.stepUpWithCode(USER, input);

        assertThat(outcome.succeeded()).as("stepped up %s", outcome).isEqualTo(valid);
        Statistics.label("valid").collect(valid);
        Statistics.label("valid").coverage(c -> c.check(true).count(n -> n > 10));
        assertBoundedReads(input, Totp.MAX_CODE_INPUT_LENGTH);
        if (!valid) {
            assertThat(outcome).isIn(Outcome.rejected(Reason.WRONG_CODE), Outcome.rejected(Reason.MALFORMED_CODE));
            assertOnlyOneFailureCounted(before, BackoffScope.SECOND_FACTOR);
        }
        f.store.resetBackoff(USER, BackoffScope.SECOND_FACTOR);
    }

    private NewAppPassword appPassword() {
        if (appPassword == null) {
            appPassword = Fixture.success(f.service.createAppPassword(USER, "Mail", Set.of("mail:read")));
        }
        return appPassword;
    }

    private static void assertBoundedReads(CountingCharSequence input, int limit) {
        assertThat(input.reads()).as("characters read of a %d-character input", input.length())
                .isLessThanOrEqualTo(Math.min(input.length(), limit) * 2L + 2);
    }

    private void assertOnlyOneFailureCounted(StoreSnapshot before, BackoffScope scope) {
        assertOnlyOneFailureCounted(USER, before, scope);
    }

    private void assertOnlyOneFailureCounted(String user, StoreSnapshot before, BackoffScope scope) {
        StoreSnapshot after = StoreSnapshot.of(f.store, user);
        assertThat(after.state()).as("stored state after a rejection").isEqualTo(before.state());
        for (BackoffScope other : BackoffScope.values()) {
            BackoffState was = before.backoff().get(other).get(0);
            BackoffState now = after.backoff().get(other).get(0);
            if (other == scope) {
                assertThat(now.failures()).as("failures counted").isEqualTo(was.failures() + 1);
            } else {
                assertThat(now).as("backoff of %s", other).isEqualTo(was);
            }
        }
    }
}
