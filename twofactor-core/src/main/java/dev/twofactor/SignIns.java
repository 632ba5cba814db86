package dev.twofactor;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.StoredRecoveryCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sign-in verification (SPEC §6, §7) and recovery codes (SPEC §5): the authenticator code, redemption, regeneration. */
final class SignIns {

    private final Context context;
    private final BackoffGate gate;
    private final CodeCheck codes;

    SignIns(Context context, BackoffGate gate, CodeCheck codes) {
        this.context = context;
        this.gate = gate;
        this.codes = codes;
    }

    Outcome<CodeAccepted> verifyCode(String userId, CharSequence code) {
        Instant now = context.now();
        Outcome<CodeAccepted> outcome = codes.checkActiveCode(userId, code, now, Check.TOTP, Reason.NOT_ENABLED);
        if (outcome instanceof Outcome.Success<CodeAccepted> success) {
            context.events.emit(TwoFactorEventType.VERIFIED, userId, now,
                    Map.of("check", Check.TOTP.name(), "drift", Integer.toString(success.value().drift())));
        }
        return outcome;
    }

    Outcome<RecoveryCodeAccepted> redeem(String userId, CharSequence recoveryCode) {
        Instant now = context.now();
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        BackoffState backoff = read.backoff();
        Outcome<RecoveryCodeAccepted> refused = BackoffGate.refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        String normalised = RecoveryCodeFormat.normalise(recoveryCode);
        if (normalised == null) {
            return gate.fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.MALFORMED_CODE);
        }
        String matchedId = null;
        for (StoredRecoveryCode stored : context.recoveryCodes.findUnused(userId)) {
            boolean hit = context.hasher.matches(normalised, stored.hash());
            if (hit && matchedId == null) {
                matchedId = stored.id();
            }
        }
        if (matchedId == null) {
            return gate.fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.WRONG_RECOVERY_CODE);
        }
        RecoveryCodes replacement = null;
        boolean consumed;
        int remaining;
        if (context.recoveryCodePolicy.rotateOnUse()) {
            List<String> fresh = context.newRecoveryCodes();
            consumed = context.recoveryCodes.consumeAndReplace(userId, matchedId, now, context.hashAll(fresh));
            replacement = new RecoveryCodes(fresh);
            remaining = fresh.size();
        } else {
            consumed = context.recoveryCodes.markUsed(userId, matchedId, now);
            remaining = consumed ? context.recoveryCodes.countUnused(userId) : 0;
        }
        if (!consumed) {
            // A concurrent redemption of the same code won: for this request the code is used up.
            return gate.fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.WRONG_RECOVERY_CODE);
        }
        gate.succeeded(userId, backoff);
        context.events.emit(TwoFactorEventType.RECOVERY_CODE_USED, userId, now,
                Map.of("remaining", Integer.toString(remaining), "rotated", Boolean.toString(replacement != null)));
        return Outcome.success(new RecoveryCodeAccepted(remaining, replacement));
    }

    Outcome<RecoveryCodes> regenerate(String userId) {
        Instant now = context.now();
        if (!context.twoFactorEnabled(userId)) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        List<String> fresh = context.newRecoveryCodes();
        context.recoveryCodes.replaceAll(userId, context.hashAll(fresh));
        context.events.emit(TwoFactorEventType.RECOVERY_CODES_REGENERATED, userId, now,
                Map.of("remaining", Integer.toString(fresh.size())));
        return Outcome.success(new RecoveryCodes(fresh));
    }
}
