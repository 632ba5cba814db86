package dev.twofactor.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.Codes;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §7's gate, a duty of the whole store (its backoff compare-and-set together with every accepting statement),
 * checked through the service for every kind of check: in a burst of {@link #concurrency()} concurrent wrong guesses
 * for one user at most {@code toleratedFailures + 1} are checked and answered as wrong, the rest are rate-limited;
 * at 99 failures a burst adds exactly one, so the stored count never passes the lock limit; and a right code whose
 * gate closed while it was being checked gets the answer a wrong one gets.
 *
 * <p>"Checked and answered as wrong" is counted by the {@link TwoFactorEventType#VERIFICATION_FAILED} events the
 * service emits for the user, which is also what its answer says for every check but app passwords (whose closed gate
 * answers exactly as a wrong password, so as not to tell which accounts have app passwords).
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
public abstract class BackoffGateContract {

    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final String PASSWORD = "the right password";
    private static final BackoffPolicy POLICY = BackoffPolicy.DEFAULT;

    /** Each kind of check the gate covers. */
    enum Kind {
        SIGN_IN_CODE, RECOVERY_CODE, CONFIRMATION, STEP_UP_CODE, STEP_UP_PASSWORD, STEP_UP_RECOVERY_CODE,
        DISABLE_PASSWORD, ADMIN_CODE, APP_PASSWORD
    }

    private final MutableClock clock = new MutableClock(START);
    private final Totp phone = Totp.defaults();
    private final ConcurrentLinkedQueue<TwoFactorEvent> events = new ConcurrentLinkedQueue<>();
    /** Runs once inside the next check of the hooked service (while the input is being checked), then clears. */
    private final AtomicReference<Runnable> duringCheck = new AtomicReference<>();
    /**
     * During a burst: each racing thread, on its first check, waits here until every thread of the burst is checking
     * (or a second has passed, for threads refused before they check), so that all guesses are in flight together.
     */
    private volatile CountDownLatch inFlight;
    private final Set<Thread> arrived = ConcurrentHashMap.newKeySet();
    private TwoFactorStore store;
    /** The service under test; its cipher, hasher and password verifier run {@link #duringCheck}. */
    private TwoFactorService service;
    /** A second node on the same store, without the hook. */
    private TwoFactorService otherNode;

    /**
     * @return a store with no data; called before each test
     */
    protected abstract TwoFactorStore createStore();

    /**
     * @return how many concurrent guesses make a burst; 64 unless overridden
     */
    protected int concurrency() {
        return 64;
    }

    @BeforeEach
    void createServices() {
        store = createStore();
        KeyRing ring = KeyRing.builder().primaryKey("k1", new byte[32]).build();
        SecretCipher cipher = SecretCipher.aesGcm(ring);
        SecretHasher hasher = SecretHasher.pbkdf2(1000);
        PasswordVerifier verifier = (userId, password) -> Arrays.equals(password, PASSWORD.toCharArray())
                ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH;
        TwoFactorService.Builder common = TwoFactorService.builder().issuer("Gate").store(store).clock(clock)
                .backoffPolicy(POLICY).listener(events::add);
        otherNode = common.secretCipher(cipher).hasher(hasher).passwordVerifier(verifier).build();
        service = common.secretCipher(hooked(cipher)).hasher(hooked(hasher)).passwordVerifier((userId, password) -> {
            runHook();
            return verifier.verify(userId, password);
        }).build();
        events.clear();
    }

    // ---------------------------------------------------------------- the duties

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void burstOfWrongGuessesThenAtMostToleratedPlusOneCheckedAndTheRestRateLimited(Kind kind) {
        Target target = prepare(kind);

        List<Outcome<?>> answers = burst(target);

        int allowed = POLICY.toleratedFailures() + 1;
        assertThat(failuresCounted(target.userId())).as("guesses checked and counted").isEqualTo(allowed);
        assertThat(answers).noneMatch(Outcome::succeeded);
        if (kind != Kind.APP_PASSWORD) {
            assertThat(answers.stream().filter(answer -> answer instanceof Outcome.Rejected<?>))
                    .as("answered as wrong").hasSize(allowed);
            assertThat(answers.stream().filter(answer -> answer instanceof Outcome.RateLimited<?>))
                    .as("rate-limited").hasSize(concurrency() - allowed);
            assertThat(store.findBackoff(target.userId()).failures()).as("stored failures").isEqualTo(allowed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = {"SIGN_IN_CODE", "RECOVERY_CODE", "STEP_UP_PASSWORD",
        "STEP_UP_RECOVERY_CODE", "ADMIN_CODE"})
    void burstAtOneFailureBeforeTheLockThenExactlyOneCountedAndTheRestLocked(Kind kind) {
        Target target = prepare(kind);
        int lockAfter = POLICY.lockAfter();
        assertThat(store.compareAndSet(target.userId(), BackoffState.NONE,
                new BackoffState(lockAfter - 1, START.minusSeconds(1), false))).isTrue();

        List<Outcome<?>> answers = burst(target);

        BackoffState stored = store.findBackoff(target.userId());
        assertThat(stored.failures()).as("stored failures").isEqualTo(lockAfter);
        assertThat(stored.locked()).isTrue();
        assertThat(failuresCounted(target.userId())).isEqualTo(1);
        assertThat(answers.stream().filter(answer -> answer instanceof Outcome.Locked<?>))
                .as("locked").hasSize(concurrency() - 1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void rightInputWhoseGateClosedDuringItsCheckThenAnsweredAsAWrongOne(Kind kind) {
        Target target = prepare(kind);
        duringCheck.set(() -> {
            // Another node counts enough wrong guesses to close the gate while this check runs.
            for (int i = 0; i <= POLICY.toleratedFailures(); i++) {
                assertThat(target.wrong().apply(otherNode).succeeded()).isFalse();
            }
        });

        Outcome<?> right = target.right().apply(service);

        assertThat(duringCheck.get()).as("the hook ran").isNull();
        Outcome<?> wrongNow = target.wrong().apply(otherNode);
        assertThat(right).as("a right input inside a closed gate").isEqualTo(wrongNow);
        assertThat(right.succeeded()).isFalse();
    }

    private List<Outcome<?>> burst(Target target) {
        inFlight = new CountDownLatch(concurrency());
        try {
            return Race.run(concurrency(), i -> target.wrong().apply(service));
        } finally {
            inFlight = null;
        }
    }

    // ---------------------------------------------------------------- set-up per kind

    /** A user ready for one kind of check, with a wrong and a right attempt. */
    private record Target(String userId, Function<TwoFactorService, Outcome<?>> wrong,
                          Function<TwoFactorService, Outcome<?>> right) {
    }

    private Target prepare(Kind kind) {
        String user = "gate-" + kind.name().toLowerCase() + "-" + Fixtures.newId();
        if (kind == Kind.CONFIRMATION) {
            Enrolment enrolment = success(otherNode.startEnrolment(user, "someone"));
            return new Target(user, s -> s.confirmEnrolment(user, wrongCode(enrolment.secret())),
                    s -> s.confirmEnrolment(user, code(enrolment.secret())));
        }
        Enabled enabled = enable(user);
        Target target = switch (kind) {
            case SIGN_IN_CODE -> new Target(user, s -> s.verifyCode(user, wrongCode(enabled.secret())),
                    s -> s.verifyCode(user, code(enabled.secret())));
            case RECOVERY_CODE -> new Target(user, s -> s.redeemRecoveryCode(user, "AAAA-AAAA"),
                    s -> s.redeemRecoveryCode(user, enabled.recoveryCode()));
            case STEP_UP_CODE -> new Target(user, s -> s.stepUpWithCode(user, wrongCode(enabled.secret())),
                    s -> s.stepUpWithCode(user, code(enabled.secret())));
            case STEP_UP_RECOVERY_CODE -> new Target(user, s -> s.stepUpWithRecoveryCode(user, "AAAA-AAAA"),
                    s -> s.stepUpWithRecoveryCode(user, enabled.recoveryCode()));
            case STEP_UP_PASSWORD -> new Target(user, s -> s.stepUpWithPassword(user, "wrong".toCharArray()),
                    s -> s.stepUpWithPassword(user, PASSWORD.toCharArray()));
            case DISABLE_PASSWORD -> new Target(user, s -> s.disable(user, "wrong".toCharArray()),
                    s -> s.disable(user, PASSWORD.toCharArray()));
            case ADMIN_CODE -> {
                String other = user + "-target";
                enable(other);
                yield new Target(user, s -> s.adminUnenrol(user, wrongCode(enabled.secret()), other),
                        s -> s.adminUnenrol(user, code(enabled.secret()), other));
            }
            case APP_PASSWORD -> {
                NewAppPassword created = success(otherNode.createAppPassword(user, "mail", Set.of()));
                String wrong = "1234 5678 9012 3456 7890".equals(created.code())
                        ? "0987 6543 2109 8765 4321" : "1234 5678 9012 3456 7890";
                yield new Target(user, s -> s.verifyAppPassword(user, wrong),
                        s -> s.verifyAppPassword(user, created.code()));
            }
            default -> throw new IllegalArgumentException(kind.name());
        };
        events.clear();
        return target;
    }

    private record Enabled(TotpSecret secret, String recoveryCode) {
    }

    private Enabled enable(String user) {
        Enrolment enrolment = success(otherNode.startEnrolment(user, "someone"));
        Confirmation confirmation = success(otherNode.confirmEnrolment(user, code(enrolment.secret())));
        clock.advance(Duration.ofSeconds(30)); // the confirming step is used up; the next one is fresh
        return new Enabled(enrolment.secret(), confirmation.recoveryCodes().codes().get(0));
    }

    private String code(TotpSecret secret) {
        return phone.generate(secret, phone.timeStep(clock.instant()));
    }

    private String wrongCode(TotpSecret secret) {
        return Codes.wrong(phone, secret, clock.instant());
    }

    private long failuresCounted(String userId) {
        Map<TwoFactorEventType, Long> byType = events.stream().filter(event -> event.userId().equals(userId))
                .collect(Collectors.groupingBy(TwoFactorEvent::type, Collectors.counting()));
        return byType.getOrDefault(TwoFactorEventType.VERIFICATION_FAILED, 0L);
    }

    private static <T> T success(Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Success.class);
        return ((Outcome.Success<T>) outcome).value();
    }

    private void runHook() {
        CountDownLatch latch = inFlight;
        if (latch != null && arrived.add(Thread.currentThread())) {
            latch.countDown();
            try {
                latch.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runnable hook = duringCheck.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    private SecretCipher hooked(SecretCipher cipher) {
        return new SecretCipher() {
            @Override
            public EncryptedSecret seal(String userId, byte[] secret) {
                return cipher.seal(userId, secret);
            }

            @Override
            public byte[] open(String userId, EncryptedSecret sealed) {
                runHook();
                return cipher.open(userId, sealed);
            }

            @Override
            public boolean isCurrent(EncryptedSecret sealed) {
                return cipher.isCurrent(sealed);
            }

            @Override
            public String currentKeyId() {
                return cipher.currentKeyId();
            }
        };
    }

    private SecretHasher hooked(SecretHasher hasher) {
        return new SecretHasher() {
            @Override
            public String hash(CharSequence secret) {
                return hasher.hash(secret);
            }

            @Override
            public boolean matches(CharSequence secret, String encodedHash) {
                runHook();
                return hasher.matches(secret, encodedHash);
            }

            @Override
            public boolean needsRehash(String encodedHash) {
                return hasher.needsRehash(encodedHash);
            }
        };
    }
}
