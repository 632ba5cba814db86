package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Step-up (SPEC §9): the window, and the re-verification with the password or a current code. */
final class StepUps {

    private final Context context;
    private final BackoffGate gate;
    private final CodeCheck codes;
    private final SignIns signIns;

    StepUps(Context context, BackoffGate gate, CodeCheck codes, SignIns signIns) {
        this.context = context;
        this.gate = gate;
        this.codes = codes;
        this.signIns = signIns;
    }

    boolean required(Instant lastVerifiedAt) {
        return lastVerifiedAt == null || !context.now().isBefore(lastVerifiedAt.plus(context.stepUpWindow));
    }

    /**
     * Whether a step-up at {@code stepUpAt} authorises a sensitive action now: within the window; with a zero window
     * (each step-up authorises one action, which the caller consumes) within {@link
     * TwoFactorService#ONE_TIME_STEP_UP_TTL}. Never a step-up from the future.
     */
    boolean authorises(Instant stepUpAt, Instant now) {
        if (stepUpAt == null || stepUpAt.isAfter(now)) {
            return false;
        }
        Duration window = context.stepUpWindow.isZero() ? TwoFactorService.ONE_TIME_STEP_UP_TTL
                : context.stepUpWindow;
        return now.isBefore(stepUpAt.plus(window));
    }

    Outcome<RecoveryCodeAccepted> withRecoveryCode(String userId, CharSequence recoveryCode) {
        Outcome<RecoveryCodeAccepted> outcome = signIns.redeem(userId, recoveryCode, Check.STEP_UP_RECOVERY_CODE);
        if (outcome instanceof Outcome.Success<RecoveryCodeAccepted> success) {
            context.events.emit(TwoFactorEventType.STEP_UP, userId, context.now(),
                    Map.of("check", Check.STEP_UP_RECOVERY_CODE.name(),
                            "remaining", Integer.toString(success.value().remaining())));
        }
        return outcome;
    }

    Outcome<Instant> withPassword(String userId, char[] password) {
        PasswordVerifier verifier = context.requirePasswordVerifier();
        Instant now = context.now();
        BackoffState backoff = context.backoffs.findBackoff(userId, BackoffScope.SECOND_FACTOR);
        Outcome<Instant> refused = BackoffGate.refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        if (verifier.verify(userId, password) != PasswordVerifier.Verdict.MATCH) {
            return gate.fail(userId, backoff, now, Check.STEP_UP_PASSWORD, Reason.WRONG_PASSWORD);
        }
        Outcome<Instant> closed = gate.admit(userId, backoff, now, Check.STEP_UP_PASSWORD,
                g -> context.gated.stillOpen(userId, BackoffScope.SECOND_FACTOR, g), Reason.WRONG_PASSWORD, true);
        if (closed != null) {
            return closed;
        }
        context.events.emit(TwoFactorEventType.STEP_UP, userId, now, Map.of("check", Check.STEP_UP_PASSWORD.name()));
        return Outcome.success(now);
    }

    Outcome<Instant> withCode(String userId, CharSequence code) {
        Instant now = context.now();
        Outcome<CodeAccepted> checked =
                codes.checkActiveCode(userId, code, now.toEpochMilli(), Check.STEP_UP_CODE, Reason.NOT_ENABLED);
        if (!(checked instanceof Outcome.Success<CodeAccepted> success)) {
            return Context.failureAs(checked);
        }
        context.events.emit(TwoFactorEventType.STEP_UP, userId, now,
                CodeCheck.acceptedDetails(Check.STEP_UP_CODE, success.value().drift()));
        return Outcome.success(now);
    }
}
