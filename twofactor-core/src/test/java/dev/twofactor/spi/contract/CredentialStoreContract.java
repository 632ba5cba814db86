package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static dev.twofactor.spi.contract.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link CredentialStore}: every method, and the replay compare-and-set and the activation under
 * concurrency (the replay and race tests in {@link CredentialReplayContract}, the key-rotation ones in
 * {@link CredentialKeyRotationContract}, both run as nested tests of this one, on its store). Subclass it and
 * return a new, empty store from {@link #createCredentialStore()}; or subclass
 * {@link TwoFactorStoreContract}, which runs this and the other contracts for a whole
 * {@link dev.twofactor.spi.TwoFactorStore}.
 */
public abstract class CredentialStoreContract {

    private CredentialStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract CredentialStore createCredentialStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createCredentialStore();
    }

    /**
     * @return the store under test in the current test
     */
    protected CredentialStore credentialStore() {
        return store;
    }

    /** Makes {@code userId} enabled with a fresh secret and {@code step} as the last used step. */
    private EncryptedSecret enable(String userId, long step) {
        return enable(userId, step, "k1");
    }

    /** Makes {@code userId} enabled with a fresh secret sealed by {@code keyId}. */
    private EncryptedSecret enable(String userId, long step, String keyId) {
        return Fixtures.enable(store, userId, step, keyId);
    }

    /** {@link CredentialReplayContract} on the store of each test. */
    @Nested
    class Replay extends CredentialReplayContract {
        @Override
        protected CredentialStore createCredentialStore() {
            return credentialStore();
        }

        @Override
        protected int concurrency() {
            return CredentialStoreContract.this.concurrency();
        }
    }

    /** {@link CredentialKeyRotationContract} on the store of each test. */
    @Nested
    class KeyRotation extends CredentialKeyRotationContract {
        @Override
        protected CredentialStore createCredentialStore() {
            return credentialStore();
        }
    }

    // ------------------------------------------------------------------ reading

    @Test
    void findKeyIdsThenEveryDistinctKeyOfActiveAndPendingSecretsIncludingExpiredOnes() {
        String tag = Fixtures.newId().substring(0, 8);
        String active = "active-" + tag;
        String pendingOnly = "pending-" + tag;
        String expired = "expired-" + tag;
        String gone = "gone-" + tag;
        enable(Fixtures.newUserId(), 1, active);
        enable(Fixtures.newUserId(), 1, active);
        String enabledWithChange = Fixtures.newUserId();
        enable(enabledWithChange, 1, active);
        store.savePending(enabledWithChange, pending(pendingOnly));
        store.savePending(Fixtures.newUserId(), new PendingEnrolment(Fixtures.newId(), Fixtures.secret(expired),
                T0.minusSeconds(3600), T0.minusSeconds(1), PendingEnrolment.UNCONFIRMED));
        String removed = Fixtures.newUserId();
        enable(removed, 1, gone);
        store.deleteCredential(removed);

        Set<String> keyIds = store.findKeyIds();

        assertThat(keyIds).contains(active, pendingOnly, expired).doesNotContain(gone);
        assertThat(keyIds.stream().filter(id -> id.endsWith(tag))).hasSize(3);
    }

    @Test
    void findCredentialWhenUserUnknownThenEmpty() {
        assertThat(store.findCredential(newUserId())).isEmpty();
    }

    @Test
    void savePendingWhenNoRecordThenPendingFoundAndNotEnabled() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");

        store.savePending(userId, pending);

        Credential credential = store.findCredential(userId).orElseThrow();
        assertThat(credential.userId()).isEqualTo(userId);
        assertThat(credential.enabled()).isFalse();
        assertThat(credential.secret()).isNull();
        assertThat(credential.enabledAt()).isNull();
        assertThat(credential.lastUsedStep()).isEqualTo(Credential.NO_STEP);
        assertThat(credential.pending()).isEqualTo(pending);
        assertThat(credential.pending().confirmed()).isFalse();
    }

    @Test
    void savePendingWhenPendingExistsThenReplacesIt() {
        String userId = newUserId();
        store.savePending(userId, pending("k1"));
        PendingEnrolment second = pending("k2");

        store.savePending(userId, second);

        assertThat(store.findCredential(userId).orElseThrow().pending()).isEqualTo(second);
    }

    @Test
    void savePendingWhenEnabledThenActiveSecretKept() {
        String userId = newUserId();
        EncryptedSecret active = enable(userId, 1000);
        PendingEnrolment change = pending("k2");

        store.savePending(userId, change);

        Credential credential = store.findCredential(userId).orElseThrow();
        assertThat(credential.secret()).isEqualTo(active);
        assertThat(credential.lastUsedStep()).isEqualTo(1000);
        assertThat(credential.enabledAt()).isEqualTo(T0);
        assertThat(credential.pending()).isEqualTo(change);
    }

    // ------------------------------------------------------------------ activation

    @Test
    void activatePendingWhenIdMatchesThenSecretActiveStepRecordedAndPendingRemoved() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);
        Instant enabledAt = T0.plusMillis(1);

        assertThat(store.activatePending(userId, pending.id(), 58_000_000L, enabledAt)).isTrue();

        assertThat(store.findCredential(userId))
                .contains(new Credential(userId, pending.secret(), 58_000_000L, enabledAt, null));
    }

    @Test
    void activatePendingWhenIdDoesNotMatchThenFalseAndNothingChanges() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);

        assertThat(store.activatePending(userId, newId(), 7, T0)).isFalse();

        assertThat(store.findCredential(userId))
                .contains(new Credential(userId, null, Credential.NO_STEP, null, pending));
    }

    @Test
    void activatePendingWhenNoPendingThenFalse() {
        String enabled = newUserId();
        EncryptedSecret active = enable(enabled, 5);

        assertThat(store.activatePending(newUserId(), newId(), 7, T0)).isFalse();
        assertThat(store.activatePending(enabled, newId(), 7, T0)).isFalse();

        assertThat(store.findCredential(enabled)).contains(new Credential(enabled, active, 5, T0, null));
    }

    @Test
    void activatePendingWhenCalledTwiceThenSecondCallFalse() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);
        assertThat(store.activatePending(userId, pending.id(), 10, T0)).isTrue();

        assertThat(store.activatePending(userId, pending.id(), 20, T0.plusSeconds(1))).isFalse();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, pending.secret(), 10, T0, null));
    }

    @Test
    void activatePendingWhenChangingAuthenticatorThenNewSecretReplacesOldAndStepIsTheConfirmingOne() {
        String userId = newUserId();
        enable(userId, 900);
        PendingEnrolment change = pending("k2");
        store.savePending(userId, change);
        Instant later = T0.plus(Duration.ofDays(3));

        assertThat(store.activatePending(userId, change.id(), 1200, later)).isTrue();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, change.secret(), 1200, later, null));
    }

    @Test
    void activatePendingWhenPendingWasConfirmedThenActivates() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);
        assertThat(store.markPendingConfirmed(userId, pending.id(), 33)).isTrue();

        assertThat(store.activatePending(userId, pending.id(), 33, T0)).isTrue();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, pending.secret(), 33, T0, null));
    }

    // ------------------------------------------------------------------ pending: delete and confirm

    @Test
    void deletePendingWhenIdMatchesThenRemovedAndActiveSecretKept() {
        String userId = newUserId();
        EncryptedSecret active = enable(userId, 40);
        PendingEnrolment change = pending("k2");
        store.savePending(userId, change);

        assertThat(store.deletePending(userId, change.id())).isTrue();

        assertThat(store.findCredential(userId)).contains(new Credential(userId, active, 40, T0, null));
    }

    @Test
    void deletePendingWhenOnlyPendingThenUserHasNoCredential() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);

        assertThat(store.deletePending(userId, pending.id())).isTrue();

        assertThat(store.findCredential(userId)).isEmpty();
        assertThat(store.deleteCredential(userId)).isFalse();
    }

    @Test
    void deletePendingWhenIdDoesNotMatchThenFalseAndPendingKept() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);

        assertThat(store.deletePending(userId, newId())).isFalse();
        assertThat(store.deletePending(newUserId(), pending.id())).isFalse();

        assertThat(store.findCredential(userId).orElseThrow().pending()).isEqualTo(pending);
    }

    @Test
    void markPendingConfirmedWhenCurrentPendingThenRecordsStepOnlyOnce() {
        String userId = newUserId();
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);

        assertThat(store.markPendingConfirmed(userId, pending.id(), 77)).isTrue();
        assertThat(store.markPendingConfirmed(userId, pending.id(), 78)).isFalse();

        PendingEnrolment stored = store.findCredential(userId).orElseThrow().pending();
        assertThat(stored.confirmed()).isTrue();
        assertThat(stored.confirmedStep()).isEqualTo(77);
        assertThat(stored.id()).isEqualTo(pending.id());
        assertThat(stored.secret()).isEqualTo(pending.secret());
    }

    @Test
    void markPendingConfirmedWhenNotTheCurrentPendingThenFalse() {
        String userId = newUserId();
        PendingEnrolment first = pending("k1");
        store.savePending(userId, first);
        PendingEnrolment second = pending("k1");
        store.savePending(userId, second);

        assertThat(store.markPendingConfirmed(userId, first.id(), 5)).isFalse();
        assertThat(store.markPendingConfirmed(newUserId(), second.id(), 5)).isFalse();

        assertThat(store.findCredential(userId).orElseThrow().pending()).isEqualTo(second);
    }

    @Test
    void markPendingConfirmedWhenNoPendingThenFalse() {
        String userId = newUserId();
        enable(userId, 3);

        assertThat(store.markPendingConfirmed(userId, newId(), 5)).isFalse();
        assertThat(store.markPendingConfirmed(newUserId(), newId(), 5)).isFalse();
    }

    @Test
    void savePendingAfterConfirmedPendingThenNewPendingIsUnconfirmed() {
        String userId = newUserId();
        PendingEnrolment first = pending("k1");
        store.savePending(userId, first);
        store.markPendingConfirmed(userId, first.id(), 5);
        PendingEnrolment second = pending("k1");

        store.savePending(userId, second);

        assertThat(store.findCredential(userId).orElseThrow().pending()).isEqualTo(second);
        assertThat(store.findCredential(userId).orElseThrow().pending().confirmed()).isFalse();
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteCredentialWhenEnabledWithPendingThenTrueAndEverythingGone() {
        String userId = newUserId();
        enable(userId, 10);
        store.savePending(userId, pending("k2"));

        assertThat(store.deleteCredential(userId)).isTrue();

        assertThat(store.findCredential(userId)).isEmpty();
        assertThat(store.advanceLastUsedStep(userId, 11)).isFalse();
        assertThat(store.deleteCredential(userId)).isFalse();
    }

    @Test
    void deleteCredentialWhenOnlyPendingThenTrue() {
        String userId = newUserId();
        store.savePending(userId, pending("k1"));

        assertThat(store.deleteCredential(userId)).isTrue();
        assertThat(store.findCredential(userId)).isEmpty();
    }

    @Test
    void deleteCredentialWhenUnknownUserThenFalse() {
        assertThat(store.deleteCredential(newUserId())).isFalse();
    }

    @Test
    void enableAgainAfterDeleteThenStartsFresh() {
        String userId = newUserId();
        enable(userId, 10_000);
        store.deleteCredential(userId);

        EncryptedSecret again = enable(userId, 20);

        assertThat(store.findCredential(userId)).contains(new Credential(userId, again, 20, T0, null));
        assertThat(store.advanceLastUsedStep(userId, 21)).isTrue();
    }

    // ------------------------------------------------------------------ round trips and isolation

    @Test
    void encryptedSecretBytesRoundTripExactly() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        List<EncryptedSecret> secrets = List.of(
                new EncryptedSecret("k1", everyByte),
                new EncryptedSecret("k1", new byte[] {0}),
                new EncryptedSecret("k1", new byte[] {0, 0, 0, 0}),
                new EncryptedSecret("k1", new byte[] {(byte) 0xFF, 0x00, (byte) 0x80, 0x7F, '\'', '\\', ';'}),
                new EncryptedSecret("K".repeat(64), new byte[] {1}),
                new EncryptedSecret("k", new byte[] {' ', ' '}));
        for (EncryptedSecret sealed : secrets) {
            String userId = newUserId();
            PendingEnrolment pending = new PendingEnrolment(newId(), sealed, T0, T0.plusSeconds(1),
                    PendingEnrolment.UNCONFIRMED);
            store.savePending(userId, pending);
            assertThat(store.findCredential(userId).orElseThrow().pending().secret()).isEqualTo(sealed);
            store.activatePending(userId, pending.id(), 1, T0);

            EncryptedSecret found = store.findCredential(userId).orElseThrow().secret();

            assertThat(found.keyId()).isEqualTo(sealed.keyId());
            assertThat(found.sealed()).containsExactly(sealed.sealed());
        }
    }

    @Test
    void keyIdsAreCaseSensitive() {
        String userId = newUserId();
        enable(userId, 1, "Key-A");

        assertThat(store.findUsersWithSecretNotSealedBy("key-a", 10)).containsExactly(userId);
        assertThat(store.findUsersWithSecretNotSealedBy("Key-A", 10)).isEmpty();
        assertThat(store.findCredential(userId).orElseThrow().secret().keyId()).isEqualTo("Key-A");
    }

    @Test
    void instantsRoundTripAtMillisecondPrecision() {
        List<Instant> instants = List.of(T0, Instant.EPOCH, Instant.ofEpochMilli(1),
                Instant.parse("1969-07-20T20:17:40.001Z"), Instant.parse("2999-12-31T23:59:59.999Z"));
        for (Instant instant : instants) {
            String userId = newUserId();
            PendingEnrolment pending = new PendingEnrolment(newId(), secret("k1"), instant, instant.plusMillis(1),
                    PendingEnrolment.UNCONFIRMED);
            store.savePending(userId, pending);
            assertThat(store.findCredential(userId).orElseThrow().pending()).isEqualTo(pending);

            store.activatePending(userId, pending.id(), 1, instant);

            assertThat(store.findCredential(userId).orElseThrow().enabledAt()).isEqualTo(instant);
        }
    }

    @Test
    void usersAreIsolatedIncludingIdsThatDifferOnlyInCaseOrTrailingSpace() {
        List<String> userIds = List.of("alice", "Alice", "alice ", "ALICE", "al\u00efce",
                "\u30e6\u30fc\u30b6\u30fc-\uD83D\uDE42");
        List<EncryptedSecret> secrets = new ArrayList<>();
        for (int i = 0; i < userIds.size(); i++) {
            secrets.add(enable(userIds.get(i), 10 * i)); // fixed ids are safe: the store starts empty
        }

        assertThat(store.advanceLastUsedStep("alice", 1000)).isTrue();
        assertThat(store.deleteCredential("Alice")).isTrue();

        assertThat(store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(1000);
        assertThat(store.findCredential("Alice")).isEmpty();
        for (int i = 2; i < userIds.size(); i++) {
            String userId = userIds.get(i);
            assertThat(store.findCredential(userId))
                    .as(userId)
                    .contains(new Credential(userId, secrets.get(i), 10L * i, T0, null));
        }
        assertThat(store.findCredential("alice  ")).isEmpty();
        assertThat(store.findCredential("ALICE").orElseThrow().userId()).isEqualTo("ALICE");
    }
}
