package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Instant;
import java.util.Map;

/** Step-up (SPEC §9): the window, and the re-verification with the password or a current code. */
final class StepUps {

    private final Context context;
    private final BackoffGate gate;
    private final CodeCheck codes;

    StepUps(Context context, BackoffGate gate, CodeCheck codes) {
        this.context = context;
        this.gate = gate;
        this.codes = codes;
    }

    boolean required(Instant lastVerifiedAt) {
        return lastVerifiedAt == null || !context.now().isBefore(lastVerifiedAt.plus(context.stepUpWindow));
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
                codes.checkActiveCode(userId, code, now, Check.STEP_UP_CODE, Reason.NOT_ENABLED);
        if (!(checked instanceof Outcome.Success<CodeAccepted> success)) {
            return Context.failureAs(checked);
        }
        context.events.emit(TwoFactorEventType.STEP_UP, userId, now,
                Map.of("check", Check.STEP_UP_CODE.name(), "drift", Integer.toString(success.value().drift())));
        return Outcome.success(now);
    }
}
