package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Instant;
import java.util.List;

/**
 * The accepting statements of the checks, each conditional on the backoff state the check read (the
 * {@link TwoFactorStore} gate duty). When all stores are one {@link TwoFactorStore}, each is that store's single
 * atomic step; with separate stores, the backoff state is read again right before the plain accepting call, which
 * leaves only the moment between the two calls open.
 */
final class GatedStatements {

    private final Context context;
    /** The one store behind every interface, if the builder was given one; {@code null} for separate stores. */
    private final TwoFactorStore atomic;

    GatedStatements(Context context) {
        this.context = context;
        this.atomic = context.credentials == context.backoffs && context.recoveryCodes == context.backoffs
                && context.appPasswords == context.backoffs && context.backoffs instanceof TwoFactorStore store
                ? store : null;
    }

    /** For a check with no accepting statement of its own (a password): the state is still {@code gate}. */
    boolean stillOpen(String userId, BackoffScope scope, BackoffState gate) {
        return context.backoffs.findBackoff(userId, scope).equals(gate);
    }

    boolean advanceLastUsedStep(String userId, long step, BackoffState gate) {
        return atomic != null ? atomic.advanceLastUsedStep(userId, step, gate)
                : stillOpen(userId, BackoffScope.SECOND_FACTOR, gate)
                        && context.credentials.advanceLastUsedStep(userId, step);
    }

    boolean activatePending(String userId, String pendingId, long step, Instant enabledAt, BackoffState gate) {
        return atomic != null ? atomic.activatePending(userId, pendingId, step, enabledAt, gate)
                : stillOpen(userId, BackoffScope.SECOND_FACTOR, gate)
                        && context.credentials.activatePending(userId, pendingId, step, enabledAt);
    }

    boolean markPendingConfirmed(String userId, String pendingId, long step, BackoffState gate) {
        return atomic != null ? atomic.markPendingConfirmed(userId, pendingId, step, gate)
                : stillOpen(userId, BackoffScope.SECOND_FACTOR, gate)
                        && context.credentials.markPendingConfirmed(userId, pendingId, step);
    }

    boolean markUsed(String userId, String codeId, Instant usedAt, BackoffState gate) {
        return atomic != null ? atomic.markUsed(userId, codeId, usedAt, gate)
                : stillOpen(userId, BackoffScope.SECOND_FACTOR, gate)
                        && context.recoveryCodes.markUsed(userId, codeId, usedAt);
    }

    boolean consumeAndReplace(String userId, String codeId, Instant usedAt, List<StoredRecoveryCode> replacement,
                              BackoffState gate) {
        return atomic != null ? atomic.consumeAndReplace(userId, codeId, usedAt, replacement, gate)
                : stillOpen(userId, BackoffScope.SECOND_FACTOR, gate)
                        && context.recoveryCodes.consumeAndReplace(userId, codeId, usedAt, replacement);
    }

    boolean recordUse(String userId, String id, Instant usedAt, BackoffState gate) {
        return atomic != null ? atomic.recordUse(userId, id, usedAt, gate)
                : stillOpen(userId, BackoffScope.APP_PASSWORD, gate)
                        && context.appPasswords.recordUse(userId, id, usedAt);
    }
}
