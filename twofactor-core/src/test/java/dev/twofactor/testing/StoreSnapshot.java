package dev.twofactor.testing;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.TwoFactorStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a store holds for some users, read back through the SPI, so a test can prove that a rejected request
 * changed nothing: credential (with pending enrolment and last used step), unused recovery codes, app passwords, the
 * policy, and, apart, the backoff state of each scope (which a rejection is allowed to move: a failure is counted).
 */
public record StoreSnapshot(List<Object> state, Map<BackoffScope, List<BackoffState>> backoff) {

    public static StoreSnapshot of(TwoFactorStore store, String... userIds) {
        List<Object> state = new ArrayList<>();
        Map<BackoffScope, List<BackoffState>> backoff = new EnumMap<>(BackoffScope.class);
        for (BackoffScope scope : BackoffScope.values()) {
            backoff.put(scope, new ArrayList<>());
        }
        state.add(store.loadPolicy());
        for (String userId : userIds) {
            state.add(store.findCredential(userId));
            state.add(store.findUnused(userId));
            state.add(store.countUnused(userId));
            state.add(store.findAppPasswords(userId));
            for (BackoffScope scope : BackoffScope.values()) {
                backoff.get(scope).add(store.findBackoff(userId, scope));
            }
        }
        return new StoreSnapshot(List.copyOf(state), backoff);
    }
}
