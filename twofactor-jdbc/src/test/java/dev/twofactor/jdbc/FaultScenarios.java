package dev.twofactor.jdbc;

import static dev.twofactor.jdbc.ScenarioClock.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.testing.StoreSnapshot;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every multi-step operation of the service on this database with a fault injected at each of its steps in turn
 * (statement 1, 2, ..., n and the commits): the connection lost (SQLState 08006, the link aborted so the database
 * rolls back) or one statement failing with SQLState {@value #FAILING_STATE} while the connection stays usable. After
 * each fault: a {@link StorageException} that keeps the SQLState, everything the store holds for the users involved
 * read back unchanged, and the same operation then succeeding on a healthy connection.
 */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
abstract class FaultScenarios {

    static final String FAILING_STATE = "HY000";
    private static final Instant START = ScenarioClock.START;
    private static final String PASSWORD = "correct horse";
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    abstract JdbcIntegrationSuite suite();

    private final ScenarioClock time = new ScenarioClock();
    private final MutableClock clock = time.clock;

    enum Fault { CONNECTION_LOST, STATEMENT_FAILS }

    /** One operation: its set-up on a healthy service, and the call under test with what it must return. */
    interface Operation {
        /** Sets up the users and returns the call to make; {@code service} is the one to make it on. */
        Function<TwoFactorService, Outcome<?>> prepare(TwoFactorService healthy);
    }

    /** What a fault may leave behind: by default nothing (the store read back equals the snapshot before). */
    interface AfterFault {
        AfterFault NOTHING = (where, before, after) -> assertThat(after).as(where + ": the store as it was")
                .isEqualTo(before);

        void check(String where, StoreSnapshot before, StoreSnapshot after);
    }

    /** Per user, the snapshot holds policy, then credential, unused codes, their count and app passwords. */
    private static Object part(StoreSnapshot snapshot, int user, int field) {
        return snapshot.state().get(1 + 4 * user + field);
    }

    @BeforeEach
    void reset() {
        clock.set(START);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void confirmEnrolmentWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("confirm", fault, healthy -> {
            Enrolment enrolment = success(healthy.startEnrolment("alice", "alice@example.com"));
            String code = code(enrolment.secret());
            return service -> service.confirmEnrolment("alice", code);
        }, "alice");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void regenerateRecoveryCodesWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("regenerate", fault, healthy -> {
            enable(healthy, "alice");
            return service -> service.regenerateRecoveryCodes("alice");
        }, "alice");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void disableWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("disable", fault, healthy -> {
            enable(healthy, "alice");
            success(healthy.createAppPassword("alice", "Mail", Set.of("mail")));
            return service -> service.disable("alice", PASSWORD.toCharArray());
        }, "alice"); // credential, codes and app passwords go in one transaction: all or nothing
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void adminUnenrolWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("admin unenrol", fault, healthy -> {
            TotpSecret admin = enable(healthy, "root");
            enable(healthy, "alice");
            success(healthy.createAppPassword("alice", "Mail", Set.of()));
            return service -> {
                clock.advance(Duration.ofSeconds(30)); // each attempt a fresh code of the administrator's
                return service.adminUnenrol("root", code(admin), "alice");
            };
        }, "alice"); // the administrator's code counts as used even when the unenrol then fails (not in the snapshot)
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void createAppPasswordWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("app-password create", fault, healthy -> {
            enable(healthy, "alice");
            return service -> service.createAppPassword("alice", "Mail", Set.of("mail:read", "mail:send"));
        }, ring(), (where, before, after) -> {
            // The record is inserted, then the credential and the cap are read again; a fault at that read leaves
            // the record, whose code was never shown to anyone (listed, revocable, counted toward the cap).
            assertThat(part(after, 0, 0)).as(where).isEqualTo(part(before, 0, 0));
            assertThat(part(after, 0, 1)).as(where).isEqualTo(part(before, 0, 1));
            assertThat((List<?>) part(after, 0, 3)).as(where).hasSizeBetween(((List<?>) part(before, 0, 3)).size(),
                    ((List<?>) part(before, 0, 3)).size() + 1);
        }, "alice");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void revokeAppPasswordWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("app-password revoke", fault, healthy -> {
            enable(healthy, "alice");
            NewAppPassword created = success(healthy.createAppPassword("alice", "Mail", Set.of()));
            return service -> service.revokeAppPassword("alice", created.appPassword().id());
        }, "alice");
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void reencryptSecretsWhenAnyStepFailsThenNothingChangedAndTheRetryWorks(Fault fault) {
        everyStep("key re-encryption", fault, healthy -> {
            enable(healthy, "alice");
            enable(healthy, "bob");
            return service -> Outcome.success(service.reencryptSecrets(10));
        }, KeyRing.builder().primaryKey("k2", KEY_2).decryptionKey("k1", KEY_1).build(), (where, before, after) -> {
            // Each record is re-sealed on its own: one done before the fault stays done (and opens with the ring).
            for (int user = 0; user < 2; user++) {
                Credential was = ((Optional<Credential>) part(before, user, 0)).orElseThrow();
                Credential now = ((Optional<Credential>) part(after, user, 0)).orElseThrow();
                assertThat(now.secret().keyId()).as(where).isIn("k1", "k2");
                assertThat(List.of(now.userId(), now.lastUsedStep(), now.enabledAt()))
                        .isEqualTo(List.of(was.userId(), was.lastUsedStep(), was.enabledAt()));
                for (int field = 1; field < 4; field++) {
                    assertThat(part(after, user, field)).as(where).isEqualTo(part(before, user, field));
                }
            }
        }, "alice", "bob");
    }

    private void everyStep(String name, Fault fault, Operation operation, String... users) {
        everyStep(name, fault, operation, ring(), AfterFault.NOTHING, users);
    }

    /**
     * Runs the operation once without a fault to count its steps (statements and commits), then once per step with
     * the fault at that step, each time on freshly set-up tables.
     */
    private void everyStep(String name, Fault fault, Operation operation, KeyRing callRing, AfterFault afterFault,
                           String... users) {
        int steps = countSteps(operation, callRing);
        assertThat(steps).as("steps of %s", name).isGreaterThan(0);
        for (int step = 1; step <= steps; step++) {
            suite().emptyTables();
            clock.set(START);
            TwoFactorService healthy = service(suite().pool(), ring());
            Function<TwoFactorService, Outcome<?>> call = operation.prepare(healthy);
            TwoFactorStore reader = suite().newStore(suite().pool());
            StoreSnapshot before = StoreSnapshot.of(reader, users);
            InstrumentedDataSource faulty = faultAt(fault, step);

            Throwable thrown = catchThrowable(() -> call.apply(service(faulty, callRing)));

            String where = name + ", " + fault + " at step " + step + " of " + steps;
            assertThat(thrown).as(where).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.sqlState()).as(where).isEqualTo(fault == Fault.CONNECTION_LOST
                        ? InstrumentedDataSource.CONNECTION_FAILURE : FAILING_STATE);
                assertThat(e.getMessage()).as(where).startsWith("Could not");
            });
            assertThat(faulty.openConnections()).as(where + ": connections left open").isZero();
            StoreSnapshot after = StoreSnapshot.of(reader, users);
            afterFault.check(where, before, after);
            Outcome<?> retried = call.apply(service(suite().pool(), callRing));
            assertThat(retried.succeeded()).as(where + ": the next call, " + retried).isTrue();
        }
        record(suite().database() + " " + name + " " + fault + ": " + steps + " faults (one per step)");
    }

    /** Appends to target/fault-injection.txt what was injected, so a run can report the faults per database. */
    private static void record(String line) {
        try {
            Files.writeString(Path.of("target", "fault-injection.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int countSteps(Operation operation, KeyRing callRing) {
        suite().emptyTables();
        clock.set(START);
        Function<TwoFactorService, Outcome<?>> call = operation.prepare(service(suite().pool(), ring()));
        AtomicInteger steps = new AtomicInteger();
        InstrumentedDataSource counting = new InstrumentedDataSource(suite().pool())
                .failAt(c -> isStep(c) && steps.incrementAndGet() < 0, FAILING_STATE);
        assertThat(call.apply(service(counting, callRing)).succeeded()).as("the operation without a fault").isTrue();
        return steps.get();
    }

    private InstrumentedDataSource faultAt(Fault fault, int step) {
        AtomicInteger seen = new AtomicInteger();
        java.util.function.Predicate<InstrumentedDataSource.Call> at = c -> isStep(c) && seen.incrementAndGet() == step;
        InstrumentedDataSource source = new InstrumentedDataSource(suite().database().unpooled(suite().url()));
        return fault == Fault.CONNECTION_LOST ? source.dieAt(at) : source.failAt(at, FAILING_STATE);
    }

    private static boolean isStep(InstrumentedDataSource.Call call) {
        return call.method().startsWith("execute") || call.method().equals("commit");
    }

    private TwoFactorService service(DataSource dataSource, KeyRing ring) {
        return TwoFactorService.builder()
                .issuer("ACME Corp")
                .store(suite().newStore(dataSource))
                .secretCipher(SecretCipher.aesGcm(ring))
                .clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .listener(TwoFactorListener.NONE)
                .appPasswordPermissions(Set.of("mail", "mail:read", "mail:send"))
                .passwordVerifier((user, password) -> Arrays.equals(password, PASSWORD.toCharArray())
                        ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH)
                .build();
    }

    private TotpSecret enable(TwoFactorService service, String userId) {
        return time.enable(service, userId).secret();
    }

    private String code(TotpSecret secret) {
        return time.code(secret);
    }

    private static KeyRing ring() {
        return KeyRing.builder().primaryKey("k1", KEY_1).build();
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) (seed * 17));
        return key;
    }
}
