package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.StoredRecoveryCode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TwoFactorServiceRecoveryCodeTest {

    private final CountingHasher hasher = new CountingHasher();
    private final Fixture f = new Fixture(b -> b.hasher(hasher));

    @Test
    void confirmationIssuesEightDistinctCrockfordCodesStoredOnlyAsHashes() {
        Fixture.Enabled alice = f.enable("alice");
        List<String> codes = alice.recoveryCodes().codes();

        assertThat(codes).hasSize(8).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"));
        List<StoredRecoveryCode> stored = f.store.findUnused("alice");
        assertThat(stored).hasSize(8);
        assertThat(new HashSet<>(stored.stream().map(StoredRecoveryCode::id).toList())).hasSize(8);
        assertThat(stored).allMatch(code -> code.id().matches("[0-9a-f-]{36}"));
        for (StoredRecoveryCode code : stored) {
            assertThat(code.hash()).startsWith("pbkdf2-sha256$1000$");
            for (String plain : codes) {
                assertThat(code.hash()).doesNotContain(plain).doesNotContain(plain.replace("-", ""));
            }
        }
    }

    @Test
    void redeemThenAcceptedOnceWithRemainingCount() {
        Fixture.Enabled alice = f.enable("alice");
        String code = alice.recoveryCodes().codes().get(5);

        RecoveryCodeAccepted accepted = success(f.service.redeemRecoveryCode("alice", code));

        assertThat(accepted.remaining()).isEqualTo(7);
        assertThat(accepted.replacementCodes()).isEmpty();
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isEqualTo(7);
        assertThat(f.events.last(TwoFactorEventType.RECOVERY_CODE_USED).details()).containsEntry("remaining", "7");
        Outcome<RecoveryCodeAccepted> again = f.service.redeemRecoveryCode("alice", code);
        assertThat(reason(again)).isEqualTo(Reason.WRONG_RECOVERY_CODE);
        assertThat(again.message()).isEqualTo("That recovery code did not match");
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void redeemAllEightThenNoneRemain() {
        Fixture.Enabled alice = f.enable("alice");
        int remaining = -1;
        for (String code : alice.recoveryCodes().codes()) {
            remaining = success(f.service.redeemRecoveryCode("alice", code)).remaining();
        }

        assertThat(remaining).isZero();
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isZero();
    }

    @Test
    void redeemNormalisesCaseSpacesAndDashes() {
        Fixture.Enabled alice = f.enable("alice");
        String code = alice.recoveryCodes().codes().get(0);
        String typed = " " + code.toLowerCase(Locale.ROOT).replace("-", " ").replace("", " ").trim() + " ";

        assertThat(success(f.service.redeemRecoveryCode("alice", typed)).remaining()).isEqualTo(7);
        String withoutDash = alice.recoveryCodes().codes().get(1).replace("-", "");
        assertThat(success(f.service.redeemRecoveryCode("alice", withoutDash)).remaining()).isEqualTo(6);
    }

    @Test
    void redeemChecksEveryUnusedHashEvenAfterAMatch() {
        Fixture.Enabled alice = f.enable("alice");
        hasher.matches.set(0);

        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded()).isTrue();

        assertThat(hasher.matches).hasValue(8);
    }

    @Test
    void redeemWhenOverlongOrNotCrockfordThenMalformedWithoutHashingAndCounted() {
        f.enable("alice");
        hasher.matches.set(0);

        assertThat(reason(f.service.redeemRecoveryCode("alice", "A".repeat(10_000)))).isEqualTo(Reason.MALFORMED_CODE);
        f.clock.advance(java.time.Duration.ofSeconds(5));
        assertThat(reason(f.service.redeemRecoveryCode("alice", "UUUU-UUUU"))).isEqualTo(Reason.MALFORMED_CODE);
        f.clock.advance(java.time.Duration.ofSeconds(5));
        assertThat(reason(f.service.redeemRecoveryCode("alice", "ABC"))).isEqualTo(Reason.MALFORMED_CODE);

        assertThat(hasher.matches).hasValue(0);
        assertThat(f.backoff("alice").failures()).isEqualTo(3);
    }

    @Test
    void redeemWhenNotEnabledThenNotEnabled() {
        assertThat(reason(f.service.redeemRecoveryCode("alice", "ABCD-EFGH"))).isEqualTo(Reason.NOT_ENABLED);
    }

    @Test
    void regenerateThenOldSetStopsWorkingAndNewSetWorks() {
        Fixture.Enabled alice = f.enable("alice");
        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded()).isTrue();

        RecoveryCodes fresh = success(f.service.regenerateRecoveryCodes("alice"));

        assertThat(fresh.codes()).hasSize(8).doesNotContainAnyElementsOf(alice.recoveryCodes().codes());
        assertThat(f.service.status("alice").remainingRecoveryCodes()).isEqualTo(8);
        assertThat(reason(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(1))))
                .isEqualTo(Reason.WRONG_RECOVERY_CODE);
        assertThat(success(f.service.redeemRecoveryCode("alice", fresh.codes().get(1))).remaining()).isEqualTo(7);
        assertThat(f.events.count(TwoFactorEventType.RECOVERY_CODES_REGENERATED)).isEqualTo(1);
    }

    @Test
    void emergencyKeyIsOneLongCodeReplacedOnUse() {
        Fixture emergency = new Fixture(b -> b.recoveryCodePolicy(RecoveryCodePolicy.EMERGENCY_KEY));
        Fixture.Enabled alice = emergency.enable("alice");
        List<String> keys = alice.recoveryCodes().codes();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).matches("([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}");

        RecoveryCodeAccepted accepted = success(emergency.service.redeemRecoveryCode("alice", keys.get(0)));

        RecoveryCodes replacement = accepted.replacementCodes().orElseThrow();
        assertThat(replacement.codes()).hasSize(1).doesNotContain(keys.get(0));
        assertThat(accepted.remaining()).isEqualTo(1);
        assertThat(reason(emergency.service.redeemRecoveryCode("alice", keys.get(0))))
                .isEqualTo(Reason.WRONG_RECOVERY_CODE);
        emergency.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(emergency.service.redeemRecoveryCode("alice", replacement.codes().get(0)).succeeded()).isTrue();
    }

    @Test
    void codesIssuedUnderAnotherPolicyStillRedeemAfterAPolicyChange() {
        Fixture.Enabled alice = f.enable("alice");
        TwoFactorService emergency = f.builder().hasher(hasher)
                .recoveryCodePolicy(RecoveryCodePolicy.EMERGENCY_KEY).build();

        assertThat(emergency.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(2)).succeeded()).isTrue();
    }

    @Test
    void successfulRedemptionResetsTheBackoff() {
        Fixture.Enabled alice = f.enable("alice");
        f.service.redeemRecoveryCode("alice", "ABCD-EFGH");
        assertThat(f.backoff("alice").failures()).isEqualTo(1);

        assertThat(f.service.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded()).isTrue();

        assertThat(f.backoff("alice").failures()).isZero();
    }
}
