package dev.twofactor.jdbc;

import static dev.twofactor.jdbc.ScenarioClock.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.BackoffPolicy;
import dev.twofactor.CodeAccepted;
import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.Outcome;
import dev.twofactor.Reason;
import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.ScenarioClock.Enabled;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC store under the real {@link TwoFactorService}: two service instances ("nodes"), each with its own
 * {@link JdbcTwoFactorStore} and its own connection pool on the same database, behave as one; the statements each
 * service operation costs; and a regeneration whose connection dies leaves the old codes working.
 *
 * <p>Both nodes read one hand-moved clock, as two servers read the same (synchronised) time.
 */
abstract class ServiceScenarios {

    private static final int THREADS_PER_NODE = 8;
    private static final KeyRing KEYS = KeyRing.builder().primaryKey("k1", key()).build();
    private static final BackoffPolicy LENIENT = BackoffPolicy.builder().toleratedFailures(10_000).lockAfter(20_000)
            .build();

    /**
     * @return the suite that owns the database
     */
    abstract JdbcIntegrationSuite suite();

    private final ScenarioClock time = new ScenarioClock();
    private final MutableClock clock = time.clock;
    private HikariDataSource secondPool;

    @BeforeEach
    void openSecondPool() {
        suite().emptyTables();
        time.reset();
        secondPool = suite().database().pool(suite().url(), "twofactor-" + suite().database().name() + "-b");
    }

    @AfterEach
    void closeSecondPool() {
        if (secondPool != null) {
            secondPool.close();
        }
    }

    private TwoFactorService node(DataSource dataSource, UnaryOperator<TwoFactorService.Builder> customise) {
        return customise.apply(TwoFactorService.builder()
                .issuer("ACME Corp")
                .store(suite().newStore(dataSource))
                .secretCipher(SecretCipher.aesGcm(KEYS))
                .clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .listener(TwoFactorListener.NONE)).build();
    }

    private TwoFactorService nodeA(UnaryOperator<TwoFactorService.Builder> customise) {
        return node(suite().pool(), customise);
    }

    private TwoFactorService nodeB(UnaryOperator<TwoFactorService.Builder> customise) {
        return node(secondPool, customise);
    }

    private Enabled enable(TwoFactorService enrolOn, TwoFactorService confirmOn, String userId) {
        return time.enable(enrolOn, confirmOn, userId);
    }

    private String code(TotpSecret secret) {
        return time.code(secret);
    }

    private String wrongCode(TotpSecret secret) {
        return time.wrongCode(secret);
    }

    /** Runs {@code call} on {@value #THREADS_PER_NODE} threads per node, all released together. */
    private static <T> List<T> onBothNodesAtOnce(TwoFactorService a, TwoFactorService b,
                                                 Function<TwoFactorService, T> call) throws Exception {
        int threads = 2 * THREADS_PER_NODE;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                TwoFactorService node = i % 2 == 0 ? a : b;
                futures.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return call.apply(node);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return key;
    }

    // ================================================================ two nodes

    @Test
    void oneValidCodeSubmittedToBothNodesAtOnceThenExactlyOneSuccessEveryRound() throws Exception {
        TwoFactorService a = nodeA(builder -> builder.backoffPolicy(LENIENT));
        TwoFactorService b = nodeB(builder -> builder.backoffPolicy(LENIENT));
        Enabled alice = enable(a, b, "alice");

        for (int round = 0; round < 10; round++) {
            clock.advance(Duration.ofSeconds(30));
            String code = code(alice.secret());

            List<Outcome<CodeAccepted>> outcomes = onBothNodesAtOnce(a, b, node -> node.verifyCode("alice", code));

            assertThat(outcomes.stream().filter(Outcome::succeeded)).as("round %d", round).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.succeeded()))
                    .allMatch(o -> o instanceof Outcome.Rejected<CodeAccepted> r
                            && r.reason() == Reason.CODE_ALREADY_USED);
        }
    }

    @Test
    void failuresOnNodeAStartTheBackoffOnNodeBAndLockItThere() {
        UnaryOperator<TwoFactorService.Builder> policy = builder -> builder.backoffPolicy(
                BackoffPolicy.builder().toleratedFailures(1).lockAfter(4).build());
        TwoFactorService a = nodeA(policy);
        TwoFactorService b = nodeB(policy);
        Enabled alice = enable(a, a, "alice");

        assertThat(a.verifyCode("alice", wrongCode(alice.secret())).succeeded()).isFalse();
        assertThat(a.verifyCode("alice", wrongCode(alice.secret())).succeeded()).isFalse();

        Outcome<CodeAccepted> onB = b.verifyCode("alice", code(alice.secret()));
        assertThat(onB).isInstanceOfSatisfying(Outcome.RateLimited.class,
                limited -> assertThat(limited.retryAfterSeconds()).isEqualTo(1));

        clock.advance(Duration.ofSeconds(1));
        assertThat(b.verifyCode("alice", wrongCode(alice.secret())).succeeded()).isFalse(); // third failure
        clock.advance(Duration.ofSeconds(2));
        assertThat(a.verifyCode("alice", wrongCode(alice.secret())).succeeded()).isFalse(); // fourth: locked

        assertThat(b.verifyCode("alice", code(alice.secret()))).isInstanceOf(Outcome.Locked.class);
        assertThat(a.status("alice").locked()).isTrue();
    }

    @Test
    void aSuccessOnNodeBResetsTheBackoffNodeAStarted() {
        TwoFactorService a = nodeA(UnaryOperator.identity());
        TwoFactorService b = nodeB(UnaryOperator.identity());
        Enabled alice = enable(a, a, "alice");
        a.verifyCode("alice", wrongCode(alice.secret()));
        a.verifyCode("alice", wrongCode(alice.secret()));
        clock.advance(Duration.ofSeconds(1));

        assertThat(b.verifyCode("alice", code(alice.secret())).succeeded()).isTrue();

        assertThat(suite().newStore(suite().pool()).findBackoff("alice").failures()).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(a.verifyCode("alice", wrongCode(alice.secret())).succeeded()).isFalse(); // tolerated again
        assertThat(a.verifyCode("alice", code(alice.secret())).succeeded()).isTrue();
    }

    @Test
    void parallelWrongGuessesOnBothNodesAreAllCounted() throws Exception {
        TwoFactorService a = nodeA(builder -> builder.backoffPolicy(LENIENT));
        TwoFactorService b = nodeB(builder -> builder.backoffPolicy(LENIENT));
        Enabled alice = enable(a, b, "alice");
        String wrong = wrongCode(alice.secret());

        for (int round = 1; round <= 3; round++) {
            List<Outcome<CodeAccepted>> outcomes = onBothNodesAtOnce(a, b, node -> node.verifyCode("alice", wrong));

            assertThat(outcomes).noneMatch(Outcome::succeeded);
            assertThat(suite().newStore(secondPool).findBackoff("alice").failures())
                    .isEqualTo(round * 2 * THREADS_PER_NODE);
        }
    }

    @Test
    void oneRecoveryCodeRedeemedOnBothNodesAtOnceThenExactlyOneSuccess() throws Exception {
        TwoFactorService a = nodeA(builder -> builder.backoffPolicy(LENIENT));
        TwoFactorService b = nodeB(builder -> builder.backoffPolicy(LENIENT));
        Enabled alice = enable(a, b, "alice");

        for (int round = 0; round < 4; round++) {
            String code = alice.recoveryCodes().codes().get(round);

            List<Outcome<RecoveryCodeAccepted>> outcomes =
                    onBothNodesAtOnce(a, b, node -> node.redeemRecoveryCode("alice", code));

            List<RecoveryCodeAccepted> wins = outcomes.stream().filter(Outcome::succeeded)
                    .map(o -> ((Outcome.Success<RecoveryCodeAccepted>) o).value()).toList();
            assertThat(wins).as("round %d", round).hasSize(1);
            assertThat(wins.get(0).remaining()).isEqualTo(7 - round);
        }
        assertThat(b.status("alice").remainingRecoveryCodes()).isEqualTo(4);
    }

    @Test
    void regenerateOnNodeAStopsTheOldCodesOnNodeBAtOnce() {
        TwoFactorService a = nodeA(UnaryOperator.identity());
        TwoFactorService b = nodeB(UnaryOperator.identity());
        Enabled alice = enable(a, b, "alice");

        RecoveryCodes fresh = success(a.regenerateRecoveryCodes("alice"));

        assertThat(b.redeemRecoveryCode("alice", alice.recoveryCodes().codes().get(0)).succeeded()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.redeemRecoveryCode("alice", fresh.codes().get(0)).succeeded()).isTrue();
    }

    // ================================================================ statements per service operation

    /**
     * How many statements each service operation sends, counted under the real service (a fixed property, not a
     * timing). A successful sign-in costs 2.
     */
    @Nested
    class RoundTrips {

        private InstrumentedDataSource counting;
        private TwoFactorService service;

        @BeforeEach
        void setUp() {
            counting = new InstrumentedDataSource(suite().pool());
            service = node(counting, UnaryOperator.identity());
        }

        private int statements(Runnable operation) {
            counting.reset();
            operation.run();
            assertThat(counting.openConnections()).isZero();
            return counting.executions();
        }

        @Test
        void successfulSignInIsTwoStatements() {
            Enabled alice = enable(service, service, "alice");
            String code = code(alice.secret());

            assertThat(statements(() -> assertThat(service.verifyCode("alice", code).succeeded()).isTrue()))
                    .isEqualTo(2);
        }

        @Test
        void failedSignInIsTwoStatementsAndTheSuccessAfterItThree() {
            Enabled alice = enable(service, service, "alice");
            String wrong = wrongCode(alice.secret());

            assertThat(statements(() -> assertThat(service.verifyCode("alice", wrong).succeeded()).isFalse()))
                    .as("first failure ever: read + update (no row) + insert").isEqualTo(3);
            String code = code(alice.secret());
            assertThat(statements(() -> assertThat(service.verifyCode("alice", code).succeeded()).isTrue()))
                    .as("read + replay update + reset").isEqualTo(3);
            clock.advance(Duration.ofSeconds(30));
            assertThat(statements(() -> assertThat(service.verifyCode("alice", wrong).succeeded()).isFalse()))
                    .as("later failure: read + count the failure").isEqualTo(2);
        }

        @Test
        void recoveryCodeRedemptionIsFourStatements() {
            Enabled alice = enable(service, service, "alice");
            String code = alice.recoveryCodes().codes().get(0);

            assertThat(statements(() -> assertThat(service.redeemRecoveryCode("alice", code).succeeded()).isTrue()))
                    .as("read + unused codes + consume + count").isEqualTo(4);
        }

        @Test
        void regenerateIsSixStatementsWithTheTrustedDeviceRevocationAndFourWithout() {
            enable(service, service, "alice");

            assertThat(statements(() -> assertThat(service.regenerateRecoveryCodes("alice").succeeded()).isTrue()))
                    .as("read + trusted devices: list, delete + lock, delete, insert batch").isEqualTo(6);
            TwoFactorService keeping = node(counting, b -> b.regeneratingRecoveryCodesRevokesTrustedDevices(false));
            assertThat(statements(() -> assertThat(keeping.regenerateRecoveryCodes("alice").succeeded()).isTrue()))
                    .as("read + lock, delete, insert batch").isEqualTo(4);
        }

        @Test
        void recognisingATrustedDeviceIsOneStatementAndTwoWhenItsHourlyLastUseIsRecorded() {
            TwoFactorService devices = node(counting, b -> b.trustedDevices(true));
            Enabled alice = enable(devices, devices, "alice");
            Outcome<CodeAccepted> passed = devices.verifyCode("alice", code(alice.secret()));
            dev.twofactor.NewTrustedDevice device = success(devices.trustedDevices().remember("alice", passed,
                    "Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0"));
            String token = device.token();

            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("alice", token)).isPresent()))
                    .as("first use: the joined read + record the last use").isEqualTo(2);
            assertThat(counting.executed().get(0)).startsWith("SELECT d.name").contains("LEFT JOIN "
                    + suite().prefix() + "credential c").contains("LEFT JOIN " + suite().prefix() + "backoff b");
            clock.advance(Duration.ofMinutes(59));
            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("alice", token)).isPresent()))
                    .as("within the hour: the one joined read").isEqualTo(1);
            String forged = token.substring(0, 37) + "A".repeat(43);
            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("alice", forged)).isEmpty()))
                    .as("a wrong secret: the one read, nothing counted").isEqualTo(1);
            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("bob", token)).isEmpty()))
                    .as("another user's token: the one read").isEqualTo(1);
            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("alice", "x".repeat(1 << 20)))
                    .isEmpty())).as("a malformed token: no statement").isZero();
            clock.advance(Duration.ofMinutes(1));
            assertThat(statements(() -> assertThat(devices.trustedDevices().recognise("alice", token)).isPresent()))
                    .as("an hour on: the read + record the last use").isEqualTo(2);
        }

        @Test
        void enrolmentIsTwoStatementsToStartAndFiveToConfirm() {
            AtomicReference<Enrolment> enrolment = new AtomicReference<>();

            assertThat(statements(() -> enrolment.set(success(service.startEnrolment("alice", "alice@example.com")))))
                    .as("read + save pending").isEqualTo(2);
            String code = code(enrolment.get().secret());
            assertThat(statements(() -> assertThat(service.confirmEnrolment("alice", code).succeeded()).isTrue()))
                    .as("read + activate + lock, delete, insert batch").isEqualTo(5);
        }
    }

    // ================================================================ the connection dies during regenerate

    @ParameterizedTest(name = "dies at {0}")
    @ValueSource(strings = {"delete", "fifth insert", "commit"})
    void regenerateWhenTheConnectionDiesThenStorageExceptionAndTheOldCodesStillWork(String point) {
        TwoFactorService healthy = nodeA(UnaryOperator.identity());
        Enabled alice = enable(healthy, healthy, "alice");
        List<String> oldIds = suite().newStore(suite().pool()).findUnused("alice").stream()
                .map(StoredRecoveryCode::id).toList();
        InstrumentedDataSource dying = new InstrumentedDataSource(suite().database().unpooled(suite().url()))
                .dieAt(switch (point) {
                    case "delete" -> call -> call.method().startsWith("execute")
                            && call.sql().startsWith("DELETE FROM " + suite().prefix() + "recovery_code");
                    case "fifth insert" -> call -> call.method().equals("addBatch") && call.addBatchCount() == 5;
                    default -> call -> call.method().equals("commit");
                });
        TwoFactorService failing = node(dying, UnaryOperator.identity());

        assertThatThrownBy(() -> failing.regenerateRecoveryCodes("alice"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(InstrumentedDataSource.CONNECTION_FAILURE));

        assertThat(dying.openConnections()).isZero();
        assertThat(suite().newStore(suite().pool()).findUnused("alice")).extracting(StoredRecoveryCode::id)
                .as("no code of the failed set exists").containsExactlyElementsOf(oldIds);
        Outcome<RecoveryCodeAccepted> redeemed = healthy.redeemRecoveryCode("alice",
                alice.recoveryCodes().codes().get(0));
        assertThat(success(redeemed).remaining()).isEqualTo(7);
    }
}
