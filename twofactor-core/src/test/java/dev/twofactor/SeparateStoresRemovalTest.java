package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With separate stores (one object per SPI interface, so no store offers the one-step removal), disable still
 * removes the credential, the recovery codes and every app password, and reports each app password as revoked.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class SeparateStoresRemovalTest {

    private final Fixture f = new Fixture();
    private final TwoFactorService separate = f.builder()
            .credentialStore(only(CredentialStore.class))
            .recoveryCodeStore(only(RecoveryCodeStore.class))
            .backoffStore(only(BackoffStore.class))
            .appPasswordStore(only(AppPasswordStore.class))
            .policyStore(only(PolicyStore.class))
            .build();

    @Test
    void disableWithSeparateStoresRemovesCredentialRecoveryCodesAndAppPasswordsAndReportsEachRevoked() {
        f.enable("alice");
        f.enable("bob");
        success(separate.createAppPassword("alice", "Mail", Set.of("mail:read")));
        success(separate.createAppPassword("alice", "Calendar", Set.of("calendar")));
        success(separate.createAppPassword("bob", "Mail", Set.of("mail:read")));
        f.events.clear();

        assertThat(separate.disable("alice", Fixture.password()).succeeded()).isTrue();

        assertThat(f.store.findCredential("alice")).isEmpty();
        assertThat(f.store.countUnused("alice")).isZero();
        assertThat(f.store.findAppPasswords("alice")).isEmpty();
        assertThat(f.events.types()).filteredOn(type -> type == TwoFactorEventType.APP_PASSWORD_REVOKED).hasSize(2);
        // Nobody else's factor is touched.
        assertThat(f.store.findCredential("bob")).isPresent();
        assertThat(f.store.countUnused("bob")).isEqualTo(8);
        assertThat(f.store.findAppPasswords("bob")).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private <T> T only(Class<T> type) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(f.store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
