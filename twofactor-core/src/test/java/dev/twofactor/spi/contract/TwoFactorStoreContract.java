package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.TwoFactorStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The whole store contract for a {@link TwoFactorStore}: the five interface contracts, each as a nested class,
 * {@link TwoFactorStore#findCredentialWithBackoff}, {@link TwoFactorStore#runCheck} and
 * {@link TwoFactorStore#removeSecondFactor}, and
 * {@link TrustedDeviceStoreContract} and {@link TrustedDevicePurgeContract} when the store implements
 * {@link dev.twofactor.spi.TrustedDeviceStore} too. An implementer writes one thin subclass:
 *
 * <pre>{@code
 * class MyTwoFactorStoreContractTest extends TwoFactorStoreContract {
 *     @Override
 *     protected TwoFactorStore createStore() {
 *         return new MyTwoFactorStore(...);   // empty: delete leftover data here
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #createStore()} is called before every test and must return a store without data (a fresh in-memory
 * store, or a database store whose tables were just emptied). The concurrency tests release {@link #concurrency()}
 * threads (64) at once; a store over a connection pool serves them as fast as the pool allows. The kit has no
 * sleeps and no timing assertions.
 */
public abstract class TwoFactorStoreContract {

    private TwoFactorStore store;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract TwoFactorStore createStore();

    /**
     * @return how many threads the concurrency tests release together; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    /**
     * @return the store of the current test (each nested contract creates one before each of its tests)
     */
    protected TwoFactorStore store() {
        return store;
    }

    private TwoFactorStore newStoreUnderTest() {
        store = createStore();
        return store;
    }

    /** {@link CredentialStoreContract} on this store. */
    @Nested
    class Credentials extends CredentialStoreContract {
        @Override
        protected CredentialStore createCredentialStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link RecoveryCodeStoreContract} on this store. */
    @Nested
    class RecoveryCodes extends RecoveryCodeStoreContract {
        @Override
        protected RecoveryCodeStore createRecoveryCodeStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link BackoffStoreContract} on this store. */
    @Nested
    class Backoff extends BackoffStoreContract {
        @Override
        protected BackoffStore createBackoffStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link AppPasswordStoreContract} on this store. */
    @Nested
    class AppPasswords extends AppPasswordStoreContract {
        @Override
        protected AppPasswordStore createAppPasswordStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link PolicyStoreContract} on this store. */
    @Nested
    class Policy extends PolicyStoreContract {
        @Override
        protected PolicyStore createPolicyStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link GatedAcceptContract}: the accepting methods under the gate, one call at a time. */
    @Nested
    class GatedAccepts extends GatedAcceptContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }
    }

    /** {@link SecondFactorRemovalContract}: {@link TwoFactorStore#removeSecondFactor}, all or nothing. */
    @Nested
    class SecondFactorRemoval extends SecondFactorRemovalContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link TrustedDeviceStoreContract}, when this store also keeps trusted devices (otherwise skipped). */
    @Nested
    class TrustedDevices extends TrustedDeviceStoreContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return Math.min(32, TwoFactorStoreContract.this.concurrency());
        }
    }

    /** {@link TrustedDevicePurgeContract}, when this store keeps and purges trusted devices (otherwise skipped). */
    @Nested
    class TrustedDevicePurge extends TrustedDevicePurgeContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }
    }

    /** {@link BackoffGateContract}: SPEC §7's gate through the service, on this store. */
    @Nested
    class Gate extends BackoffGateContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link RunCheckContract}: {@link TwoFactorStore#runCheck}, the scope of one check, on this store. */
    @Nested
    class RunCheck extends RunCheckContract {
        @Override
        protected TwoFactorStore createStore() {
            return newStoreUnderTest();
        }

        @Override
        protected int concurrency() {
            return TwoFactorStoreContract.this.concurrency();
        }
    }

    /** {@link TwoFactorStore#findCredentialWithBackoff}: the sign-in read agrees with the two separate reads. */
    @Nested
    class CredentialWithBackoffRead {

        private TwoFactorStore store;

        @BeforeEach
        void createStoreUnderTest() {
            store = newStoreUnderTest();
        }

        private Credential enable(String userId) {
            PendingEnrolment pending = pending("k1");
            store.savePending(userId, pending);
            store.activatePending(userId, pending.id(), 42, T0);
            return store.findCredential(userId).orElseThrow();
        }

        @Test
        void findCredentialWithBackoffWhenUserUnknownThenNoCredentialAndNone() {
            CredentialWithBackoff found = store.findCredentialWithBackoff(newUserId());

            assertThat(found.findCredential()).isEmpty();
            assertThat(found.credential()).isNull();
            assertThat(found.backoff()).isEqualTo(BackoffState.NONE);
        }

        @Test
        void findCredentialWithBackoffWhenBothExistThenBoth() {
            String userId = newUserId();
            Credential credential = enable(userId);
            BackoffState backoff = new BackoffState(3, T0.plusSeconds(4), false);
            store.compareAndSet(userId, BackoffState.NONE, backoff);

            CredentialWithBackoff found = store.findCredentialWithBackoff(userId);

            assertThat(found).isEqualTo(new CredentialWithBackoff(credential, backoff));
            assertThat(found.credential().secret().sealed()).containsExactly(credential.secret().sealed());
        }

        @Test
        void findCredentialWithBackoffWhenOnlyCredentialThenBackoffNone() {
            String userId = newUserId();
            Credential credential = enable(userId);

            assertThat(store.findCredentialWithBackoff(userId))
                    .isEqualTo(new CredentialWithBackoff(credential, BackoffState.NONE));
        }

        @Test
        void findCredentialWithBackoffWhenOnlyBackoffThenBackoffWithoutCredential() {
            String userId = newUserId();
            BackoffState locked = new BackoffState(100, T0, true);
            store.compareAndSet(userId, BackoffState.NONE, locked);

            assertThat(store.findCredentialWithBackoff(userId)).isEqualTo(new CredentialWithBackoff(null, locked));
        }

        @Test
        void findCredentialWithBackoffWhenEnabledWithPendingChangeThenBothSecrets() {
            String userId = newUserId();
            enable(userId);
            PendingEnrolment change = pending("k2");
            store.savePending(userId, change);
            store.markPendingConfirmed(userId, change.id(), 43);
            BackoffState backoff = new BackoffState(1, T0, false);
            store.compareAndSet(userId, BackoffState.NONE, backoff);

            CredentialWithBackoff found = store.findCredentialWithBackoff(userId);

            assertThat(found).isEqualTo(new CredentialWithBackoff(store.findCredential(userId).orElseThrow(),
                    store.findBackoff(userId)));
            assertThat(found.credential().pending().confirmedStep()).isEqualTo(43);
            assertThat(found.credential().lastUsedStep()).isEqualTo(42);
        }

        @Test
        void findCredentialWithBackoffKeepsUsersApart() {
            String alice = newUserId();
            String bob = newUserId();
            Credential aliceCredential = enable(alice);
            store.compareAndSet(bob, BackoffState.NONE, new BackoffState(9, T0, false));

            assertThat(store.findCredentialWithBackoff(alice))
                    .isEqualTo(new CredentialWithBackoff(aliceCredential, BackoffState.NONE));
            assertThat(store.findCredentialWithBackoff(bob).credential()).isNull();
        }
    }
}
