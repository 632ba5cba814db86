package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static dev.twofactor.spi.contract.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key rotation on {@link CredentialStore}: a secret is replaced only while it is still the expected one, and the
 * users whose secret another key sealed are found page by page.
 * Run by {@link CredentialStoreContract} (and so by {@link TwoFactorStoreContract}) as nested tests on the
 * store of each test: the enclosing contract creates it, so this one asks for it in its own {@code @BeforeEach}.
 */
abstract class CredentialKeyRotationContract {

    private CredentialStore store;

    /**
     * @return the store under test, with no data; called before each test
     */
    protected abstract CredentialStore createCredentialStore();

    @BeforeEach
    void createStoreUnderTest() {
        store = createCredentialStore();
    }

    /** Makes {@code userId} enabled with a fresh secret and {@code step} as the last used step. */
    private EncryptedSecret enable(String userId, long step) {
        return Fixtures.enable(store, userId, step, "k1");
    }

    /** Makes {@code userId} enabled with a fresh secret sealed by {@code keyId}. */
    private EncryptedSecret enable(String userId, long step, String keyId) {
        return Fixtures.enable(store, userId, step, keyId);
    }

    // ------------------------------------------------------------------ key rotation

    @Test
    void replaceSecretWhenExpectedMatchesThenReplacedAndRestKept() {
        String userId = newUserId();
        EncryptedSecret old = enable(userId, 70);
        PendingEnrolment change = pending("old");
        store.savePending(userId, change);
        EncryptedSecret resealed = secret("new");

        assertThat(store.replaceSecret(userId, old, resealed)).isTrue();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, resealed, 70, T0, change));
    }

    @Test
    void replaceSecretWhenExpectedDiffersThenFalseAndUnchanged() {
        String userId = newUserId();
        EncryptedSecret current = enable(userId, 70);
        byte[] otherBytes = current.sealed();
        otherBytes[otherBytes.length - 1] ^= 1;

        assertThat(store.replaceSecret(userId, new EncryptedSecret(current.keyId(), otherBytes), secret("new")))
                .as("same key id, other bytes").isFalse();
        assertThat(store.replaceSecret(userId, new EncryptedSecret("k9", current.sealed()), secret("new")))
                .as("same bytes, other key id").isFalse();
        assertThat(store.replaceSecret(newUserId(), current, secret("new"))).as("other user").isFalse();

        assertThat(store.findCredential(userId).orElseThrow().secret()).isEqualTo(current);
    }

    @Test
    void replaceSecretWhenNotEnabledThenFalse() {
        String userId = newUserId();
        PendingEnrolment pending = pending("old");
        store.savePending(userId, pending);

        assertThat(store.replaceSecret(userId, pending.secret(), secret("new"))).isFalse();

        assertThat(store.findCredential(userId).orElseThrow())
                .isEqualTo(new Credential(userId, null, Credential.NO_STEP, null, pending));
    }

    @Test
    void findUsersWithSecretNotSealedByReturnsOnlyActiveSecretsOfOtherKeys() {
        Set<String> stale = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String userId = newUserId();
            enable(userId, i);
            stale.add(userId);
        }
        for (int i = 0; i < 2; i++) {
            String userId = newUserId();
            enable(userId, 1, EncryptedSecret.PLAINTEXT_KEY_ID);
            stale.add(userId);
        }
        for (int i = 0; i < 3; i++) {
            enable(newUserId(), 1, "current");
        }
        store.savePending(newUserId(), pending("k1")); // pending only: not an active secret

        assertThat(store.findUsersWithSecretNotSealedBy("current", 100)).containsExactlyInAnyOrderElementsOf(stale);
        assertThat(store.findUsersWithSecretNotSealedBy("k1", 100)).hasSize(5); // 2 plain + 3 current
    }

    @Test
    void findUsersWithSecretNotSealedByPagesUntilEveryRecordIsResealed() {
        Set<String> stale = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String userId = newUserId();
            enable(userId, i);
            stale.add(userId);
        }

        Set<String> resealed = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<String> page = store.findUsersWithSecretNotSealedBy("current", 3);
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            for (String userId : page) {
                EncryptedSecret old = store.findCredential(userId).orElseThrow().secret();
                assertThat(store.replaceSecret(userId, old, secret("current"))).isTrue();
                resealed.add(userId);
            }
        }

        assertThat(pageSizes).containsExactly(3, 3, 1, 0);
        assertThat(resealed).isEqualTo(stale);
    }

}
