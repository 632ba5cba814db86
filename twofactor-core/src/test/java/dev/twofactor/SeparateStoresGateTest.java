package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With separate stores (one object per SPI interface, so no store carries the gate in its accepting statement), the
 * service reads the backoff state again right before each accept: a backoff that another node starts between the
 * read and the accept refuses the accept (rate-limited, or for an app password answered as wrong), and nothing is
 * consumed. Once the backoff is reset the same calls succeed, once.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class SeparateStoresGateTest {

    private final Fixture f = new Fixture();
    /** When 2, the second backoff read of the next operation is preceded by a backoff started "on another node". */
    private final AtomicInteger interfereAtRead = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger interfered = new AtomicInteger();
    private TwoFactorService separate;

    @BeforeEach
    void build() {
        separate = f.builder()
                .credentialStore(only(CredentialStore.class))
                .recoveryCodeStore(only(RecoveryCodeStore.class))
                .backoffStore(backoffsThatAnotherNodeWritesTo())
                .appPasswordStore(only(AppPasswordStore.class))
                .policyStore(only(PolicyStore.class))
                .build();
    }

    @Test
    void recoveryCodeWhenAnotherNodeCountsAFailureBeforeTheConsumeThenRefusedAndNotConsumed() {
        Fixture.Enabled alice = f.enable("alice");
        String code = alice.recoveryCodes().codes().get(0);
        interfere();

        Outcome<RecoveryCodeAccepted> outcome = separate.redeemRecoveryCode("alice", code);

        assertThat(outcome).isInstanceOf(Outcome.RateLimited.class);
        assertThat(f.store.countUnused("alice")).isEqualTo(8);
        f.store.resetBackoff("alice");
        assertThat(success(separate.redeemRecoveryCode("alice", code)).remaining()).isEqualTo(7);
        assertThat(separate.redeemRecoveryCode("alice", code).succeeded()).as("used once").isFalse();
    }

    @Test
    void signInCodeWhenAnotherNodeCountsAFailureBeforeTheAcceptThenRefusedAndTheStepNotUsed() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());
        long lastStep = f.store.findCredential("alice").orElseThrow().lastUsedStep();
        interfere();

        assertThat(separate.verifyCode("alice", code)).isInstanceOf(Outcome.RateLimited.class);

        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(lastStep);
        f.store.resetBackoff("alice");
        assertThat(separate.verifyCode("alice", code).succeeded()).isTrue();
        assertThat(separate.verifyCode("alice", code)).isEqualTo(Outcome.rejected(Reason.CODE_ALREADY_USED));
    }

    @Test
    void confirmationWhenAnotherNodeCountsAFailureBeforeTheActivationThenStillPending() {
        Enrolment enrolment = success(separate.startEnrolment("alice", "alice@example.com"));
        String code = f.code(enrolment.secret());
        interfere();

        assertThat(separate.confirmEnrolment("alice", code)).isInstanceOf(Outcome.RateLimited.class);

        assertThat(separate.status("alice").state()).isEqualTo(TwoFactorState.PENDING_CONFIRMATION);
        f.store.resetBackoff("alice");
        assertThat(separate.confirmEnrolment("alice", code).succeeded()).isTrue();
    }

    @Test
    void appPasswordWhenAnotherNodeCountsAFailureBeforeTheRecordedUseThenRefused() {
        f.enable("alice");
        NewAppPassword app = success(separate.createAppPassword("alice", "Mail", Set.of()));
        f.clock.advance(Duration.ofMinutes(1));
        interfereIn(BackoffScope.APP_PASSWORD);

        assertThat(separate.verifyAppPassword("alice", app.code()))
                .isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));

        assertThat(f.store.findAppPasswords("alice").get(0).lastUsedAt()).isNull();
        f.store.resetBackoff("alice", BackoffScope.APP_PASSWORD);
        assertThat(separate.verifyAppPassword("alice", app.code()).succeeded()).isTrue();
    }

    private BackoffScope interferenceScope = BackoffScope.SECOND_FACTOR;

    private void interfere() {
        interfereIn(BackoffScope.SECOND_FACTOR);
    }

    @org.junit.jupiter.api.AfterEach
    void interferedOnce() {
        assertThat(interfered).as("the other node wrote between the read and the accept").hasValue(1);
    }

    private void interfereIn(BackoffScope scope) {
        interferenceScope = scope;
        reads.set(0);
        interfereAtRead.set(2);
    }

    private BackoffStore backoffsThatAnotherNodeWritesTo() {
        return (BackoffStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BackoffStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findBackoff") && reads.incrementAndGet() == interfereAtRead.get()) {
                        BackoffState now = f.store.findBackoff("alice", interferenceScope);
                        interfered.incrementAndGet();
                        f.store.compareAndSet("alice", interferenceScope, now, new BackoffState(now.failures() + 2,
                                f.clock.instant().plus(Duration.ofMinutes(5)), false)); // its backoff started
                    }
                    return call(method, args);
                });
    }

    @SuppressWarnings("unchecked")
    private <T> T only(Class<T> type) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> call(method, args));
    }

    private Object call(java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(f.store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
