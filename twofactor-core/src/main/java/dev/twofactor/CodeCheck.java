package dev.twofactor;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Opens a sealed secret and checks an authenticator code against it, and checks a code of the user's active
 * secret with replay protection behind the {@link BackoffGate}: the piece sign-in, step-up and administration share.
 */
final class CodeCheck {

    /** The drifts a window allows, -{@link Totp#MAX_WINDOW} to +{@link Totp#MAX_WINDOW}. */
    private static final int DRIFTS = 2 * Totp.MAX_WINDOW + 1;

    /** {@link #acceptedDetails} of every check and drift, in rows of {@link #DRIFTS} per check. */
    private static final List<Map<String, String>> ACCEPTED_DETAILS = acceptedDetailsTable();

    private final Context context;
    private final BackoffGate gate;

    CodeCheck(Context context, BackoffGate gate) {
        this.context = context;
        this.gate = gate;
    }

    /**
     * Opens the secret and checks every step of the window in constant time, with the key prepared in the thread's
     * scratch space for this call only ({@link Totp#verifyKeyAtStep}); the opened bytes are wiped before returning.
     */
    TotpMatch check(String userId, EncryptedSecret sealed, CharSequence code, Instant now) {
        return checkAtStep(userId, sealed, code, context.totp.timeStep(now));
    }

    /** {@link #check} with the current time step given. */
    private TotpMatch checkAtStep(String userId, EncryptedSecret sealed, CharSequence code, long currentStep) {
        byte[] raw = context.open(userId, sealed);
        try {
            return context.totp.verifyKeyAtStep(raw, code, currentStep);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * The details of the event that reports an accepted code, {@code check} and {@code drift}: one immutable map per
     * pair, made once, for every drift the widest window allows, so that a sign-in builds no map.
     */
    static Map<String, String> acceptedDetails(Check check, int drift) {
        int column = drift + Totp.MAX_WINDOW;
        if (column < 0 || column >= DRIFTS) {
            return detailsOf(check, drift);
        }
        return ACCEPTED_DETAILS.get(check.ordinal() * DRIFTS + column);
    }

    private static List<Map<String, String>> acceptedDetailsTable() {
        List<Map<String, String>> table = new ArrayList<>();
        for (Check check : Check.values()) {
            for (int column = 0; column < DRIFTS; column++) {
                table.add(detailsOf(check, column - Totp.MAX_WINDOW));
            }
        }
        return List.copyOf(table);
    }

    private static Map<String, String> detailsOf(Check check, int drift) {
        return Map.of("check", check.name(), "drift", Integer.toString(drift));
    }

    static Reason rejection(TotpMatch match) {
        return match instanceof TotpMatch.Malformed ? Reason.MALFORMED_CODE : Reason.WRONG_CODE;
    }

    /**
     * An authenticator code of the user's active secret, with replay protection. Wrong-state rejection first (it
     * looks at no input), then the backoff gate, then the check; a failed check is counted, and the accepting
     * compare-and-set of the step runs under the gate. {@code nowMillis} is {@link Context#now()} in milliseconds:
     * an accepted code builds no instant.
     *
     * <p>The read, the check and the first compare-and-set run inside {@link TwoFactorStore#runCheck} where the store
     * scopes checks ({@link Context#checkScope()}; the JDBC store serves them from one connection); what is left for a
     * wrong or replayed code (counting the failure, whose events reach the listeners) and for a compare-and-set that
     * lost to a concurrent change of the backoff runs after it.
     */
    Outcome<CodeAccepted> checkActiveCode(String userId, CharSequence code, long nowMillis, Check check,
                                          Reason notEnabled) {
        // A store with the SPI's default runCheck (the in-memory store) needs no scope, and the sign-in no Supplier.
        TwoFactorStore scope = context.checkScope();
        Object first = scope != null
                ? scope.runCheck(() -> firstPass(userId, code, nowMillis, check, notEnabled))
                : firstPass(userId, code, nowMillis, check, notEnabled);
        if (first instanceof Failed failed) {
            return gate.fail(userId, failed.backoff(), Instant.ofEpochMilli(nowMillis), check, failed.reason());
        }
        if (first instanceof Contested contested) {
            long step = contested.step();
            Outcome<CodeAccepted> notAdvanced = gate.notAccepted(userId, contested.backoff(),
                    Instant.ofEpochMilli(nowMillis), check, g -> context.gated.advanceLastUsedStep(userId, step, g),
                    Reason.CODE_ALREADY_USED, true);
            return notAdvanced != null ? notAdvanced : Outcome.success(new CodeAccepted(step, contested.drift()));
        }
        return settled(first);
    }

    /** What {@link #firstPass} leaves to do once the check's store resources are released. */
    private sealed interface Unsettled permits Failed, Contested {
    }

    /** A wrong or replayed code: the failure is counted against {@code backoff}, and {@code reason} answered. */
    private record Failed(BackoffState backoff, Reason reason) implements Unsettled {
    }

    /**
     * A code that matched {@code step}, whose accepting compare-and-set did not match (the backoff or the step
     * changed since the read): decided again under the gate.
     */
    private record Contested(BackoffState backoff, long step, int drift) implements Unsettled {
    }

    /** {@link #firstPass}'s result when it is not {@link Unsettled}: the check's outcome. */
    @SuppressWarnings("unchecked")
    private static Outcome<CodeAccepted> settled(Object first) {
        return (Outcome<CodeAccepted>) first;
    }

    /**
     * The store's read, the check and the first accepting step: the outcome, or what is {@link Unsettled}. Calls
     * nothing but the store and the cipher: no event is emitted here.
     */
    private Object firstPass(String userId, CharSequence code, long nowMillis, Check check, Reason notEnabled) {
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(notEnabled);
        }
        BackoffState backoff = read.backoff();
        Outcome<CodeAccepted> refused = BackoffGate.refusal(backoff, nowMillis);
        if (refused != null) {
            return refused;
        }
        TotpMatch match = checkAtStep(userId, credential.secret(), code, context.timeStep(nowMillis));
        if (!(match instanceof TotpMatch.Matched matched)) {
            return new Failed(backoff, rejection(match));
        }
        long step = matched.timeStep();
        // The read already tells a replay of the last step apart without a write; the compare-and-set decides races.
        if (step <= credential.lastUsedStep()) {
            return new Failed(backoff, Reason.CODE_ALREADY_USED);
        }
        // The gate's admit, its first try written out: a sign-in that is accepted builds no Accept for it.
        if (context.gated.advanceLastUsedStep(userId, step, backoff)) {
            gate.accepted(userId, check, backoff);
            return Outcome.success(new CodeAccepted(step, matched.drift()));
        }
        return new Contested(backoff, step, matched.drift());
    }
}
