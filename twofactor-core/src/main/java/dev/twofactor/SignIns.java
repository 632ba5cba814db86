package dev.twofactor;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.StoredRecoveryCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sign-in verification (SPEC §6, §7) and recovery codes (SPEC §5): the code, redemption and regeneration. */
final class SignIns {

    private final Context context;
    private final BackoffGate gate;
    private final CodeCheck codes;

    private final TrustedDevices devices;

    SignIns(Context context, BackoffGate gate, CodeCheck codes, TrustedDevices devices) {
        this.context = context;
        this.gate = gate;
        this.codes = codes;
        this.devices = devices;
    }

    Outcome<CodeAccepted> verifyCode(String userId, CharSequence code) {
        long now = context.clock.millis(); // context.now(), as an instant only for the event
        Outcome<CodeAccepted> outcome = codes.checkActiveCode(userId, code, now, Check.TOTP, Reason.NOT_ENABLED);
        if (outcome instanceof Outcome.Success<CodeAccepted> success && context.events.wanted()) {
            context.events.emit(TwoFactorEventType.VERIFIED, userId, Instant.ofEpochMilli(now),
                    CodeCheck.acceptedDetails(Check.TOTP, success.value().drift()));
        }
        return outcome;
    }

    Outcome<RecoveryCodeAccepted> redeem(String userId, CharSequence recoveryCode) {
        return redeem(userId, recoveryCode, Check.RECOVERY_CODE);
    }

    /** Redeems a recovery code for sign-in or, with {@link Check#STEP_UP_RECOVERY_CODE}, for a step-up. */
    Outcome<RecoveryCodeAccepted> redeem(String userId, CharSequence recoveryCode, Check check) {
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
            return gate.fail(userId, backoff, now, check, Reason.MALFORMED_CODE);
        }
        String matchedId = null;
        for (StoredRecoveryCode stored : context.recoveryCodes.findUnused(userId)) {
            boolean hit = context.hasher.matches(normalised, stored.hash());
            if (hit && matchedId == null) {
                matchedId = stored.id();
            }
        }
        if (matchedId == null) {
            return gate.fail(userId, backoff, now, check, Reason.WRONG_RECOVERY_CODE);
        }
        String codeId = matchedId;
        RecoveryCodes replacement = null;
        BackoffGate.Accept consume = g -> context.gated.markUsed(userId, codeId, now, g);
        if (context.recoveryCodePolicy.rotateOnUse()) {
            List<String> fresh = context.newRecoveryCodes();
            List<StoredRecoveryCode> hashed = context.hashAll(fresh);
            consume = g -> context.gated.consumeAndReplace(userId, codeId, now, hashed, g);
            replacement = new RecoveryCodes(fresh);
        }
        // Not consumed with the gate open: a concurrent redemption of the same code won, for this request it is used.
        Outcome<RecoveryCodeAccepted> notConsumed = gate.admit(userId, backoff, now, check, consume,
                Reason.WRONG_RECOVERY_CODE, true);
        if (notConsumed != null) {
            return notConsumed;
        }
        int remaining = replacement != null ? replacement.codes().size() : context.recoveryCodes.countUnused(userId);
        context.events.emit(TwoFactorEventType.RECOVERY_CODE_USED, userId, now,
                Map.of("remaining", Integer.toString(remaining), "rotated", Boolean.toString(replacement != null),
                        "check", check.name()));
        return Outcome.success(new RecoveryCodeAccepted(remaining, replacement));
    }

    Outcome<RecoveryCodes> regenerate(String userId) {
        Instant now = context.now();
        if (!context.twoFactorEnabled(userId)) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        if (context.regenerationRevokesDevices) {
            // First: a failure after it leaves the old codes, and never devices that should have gone.
            devices.revokeAll(userId, "RECOVERY_CODES_REGENERATED");
        }
        List<String> fresh = context.newRecoveryCodes();
        context.recoveryCodes.replaceAll(userId, context.hashAll(fresh));
        context.events.emit(TwoFactorEventType.RECOVERY_CODES_REGENERATED, userId, now,
                Map.of("remaining", Integer.toString(fresh.size())));
        return Outcome.success(new RecoveryCodes(fresh));
    }
}
