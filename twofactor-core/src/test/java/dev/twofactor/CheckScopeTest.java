package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.TwoFactorStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the service runs inside {@link TwoFactorStore#runCheck}, on a store that records it: a code check's read and
 * its accepting step (and the reset of earlier failures), and nothing else. A wrong or replayed code's failure count
 * and every event come after the check returns, so a listener or a failure count never waits for a resource the check
 * holds (a pool's last connection). Sign-in, step-up and an administrator's own code all check this way.
 */
class CheckScopeTest {

    /** Store calls made inside a check, and events, in order; each event says whether a check was running. */
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> inCheck = ThreadLocal.withInitial(() -> false);
    private final Fixture fixture = new Fixture();
    private TwoFactorService service;
    private TotpSecret secret;

    @BeforeEach
    void setUp() {
        TwoFactorStore recorded = (TwoFactorStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TwoFactorStore.class}, (proxy, method, args) -> {
                    boolean check = method.getName().equals("runCheck");
                    if (inCheck.get() && !check) {
                        trace.add(method.getName());
                    }
                    boolean outer = check && !inCheck.get();
                    if (outer) {
                        inCheck.set(true);
                        trace.add("[");
                    }
                    try {
                        return method.invoke(fixture.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (outer) {
                            inCheck.set(false);
                            trace.add("]");
                        }
                    }
                });
        service = fixture.builder().store(recorded)
                .listener(event -> trace.add((inCheck.get() ? "inside check: " : "") + event.type()))
                .build();
        fixture.service = service;
        secret = fixture.enable("alice").secret();
        trace.clear();
    }

    private String code() {
        return fixture.code(secret);
    }

    private String wrongCode() {
        return fixture.wrongCode(secret);
    }

    @Test
    void acceptedCodeThenItsReadAndReplayUpdateInsideTheCheckAndTheEventAfterIt() {
        assertThat(service.verifyCode("alice", code()).succeeded()).isTrue();

        assertThat(trace).containsExactly("[", "findCredentialWithBackoff", "advanceLastUsedStep", "]",
                "VERIFIED");
    }

    @Test
    void wrongCodeThenOnlyTheReadInsideTheCheckAndTheFailureCountAndItsEventsAfterIt() {
        service.verifyCode("alice", wrongCode());
        trace.clear();

        assertThat(service.verifyCode("alice", wrongCode())).isEqualTo(Outcome.rejected(Reason.WRONG_CODE));

        assertThat(trace).containsExactly("[", "findCredentialWithBackoff", "]", "VERIFICATION_FAILED",
                "BACKOFF_STARTED");
    }

    @Test
    void replayedCodeThenOnlyTheReadInsideTheCheckAndTheFailureEventAfterIt() {
        String code = code();
        assertThat(service.verifyCode("alice", code).succeeded()).isTrue();
        trace.clear();

        assertThat(service.verifyCode("alice", code)).isEqualTo(Outcome.rejected(Reason.CODE_ALREADY_USED));

        assertThat(trace).containsExactly("[", "findCredentialWithBackoff", "]", "VERIFICATION_FAILED");
    }

    @Test
    void acceptedCodeAfterAFailureThenTheResetInsideTheCheckToo() {
        service.verifyCode("alice", wrongCode());
        trace.clear();

        assertThat(service.verifyCode("alice", code()).succeeded()).isTrue();

        assertThat(trace).containsExactly("[", "findCredentialWithBackoff", "advanceLastUsedStep", "compareAndSet",
                "]", "VERIFIED");
    }

    @Test
    void stepUpAndAdministratorCodesAreCheckedTheSameWay() {
        assertThat(service.stepUpWithCode("alice", code()).succeeded()).isTrue();
        fixture.clock.advance(Duration.ofSeconds(30));
        assertThat(service.adminResetBackoff("alice", code(), "bob")).isNotInstanceOf(Outcome.Locked.class);

        assertThat(trace).filteredOn(entry -> entry.startsWith("inside check")).isEmpty();
        assertThat(trace.subList(0, 4)).as("the step-up").containsExactly("[", "findCredentialWithBackoff",
                "advanceLastUsedStep", "]");
        int second = trace.subList(1, trace.size()).indexOf("[") + 1;
        assertThat(trace.subList(second, second + 4)).as("the administrator's code").containsExactly("[",
                "findCredentialWithBackoff", "advanceLastUsedStep", "]");
    }
}
