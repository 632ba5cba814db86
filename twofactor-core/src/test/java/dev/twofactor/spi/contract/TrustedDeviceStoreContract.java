package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.FIREFOX;
import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static dev.twofactor.spi.contract.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.CodeAccepted;
import dev.twofactor.Enrolment;
import dev.twofactor.KeyRing;
import dev.twofactor.NewTrustedDevice;
import dev.twofactor.Outcome;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TrustedDevice;
import dev.twofactor.TrustedDevices;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorEventType;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TrustedDeviceStore}, on a store that is also the whole {@link TwoFactorStore} (as the in-memory and JDBC
 * stores are): the store duties (a device bound to its user, stored as given with only a hash, the second factor's
 * state read with it, revocation seen by every later read, removal with the second factor) and, through the service,
 * the promises they carry: only a hash stored, expiry, revocation on every listed event, no lock bypassed, a
 * revocation that wins over {@link #concurrency()} racing recognitions, and as many distinct devices as parallel
 * remembers. A store that does not implement {@link TrustedDeviceStore} skips these tests.
 */
public abstract class TrustedDeviceStoreContract {

    private static final Instant START = Instant.parse("2026-04-01T08:00:00Z");
    private static final String PASSWORD = "the right password";

    private final MutableClock clock = new MutableClock(START);
    private final Totp phone = Totp.defaults();
    private final ConcurrentLinkedQueue<TwoFactorEvent> events = new ConcurrentLinkedQueue<>();
    private TwoFactorStore store;
    private TrustedDeviceStore devices;
    private TwoFactorService service;
    private TwoFactorService otherNode;

    /**
     * @return a store with no data, implementing {@link TrustedDeviceStore} too; called before each test
     */
    protected abstract TwoFactorStore createStore();

    /**
     * @return how many threads the concurrency tests release together; 32 unless overridden
     */
    protected int concurrency() {
        return 32;
    }

    @BeforeEach
    void createServices() {
        store = createStore();
        Assumptions.assumeTrue(store instanceof TrustedDeviceStore, "the store keeps no trusted devices");
        devices = (TrustedDeviceStore) store;
        PasswordVerifier verifier = (userId, password) -> Arrays.equals(password, PASSWORD.toCharArray())
                ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH;
        TwoFactorService.Builder common = TwoFactorService.builder().issuer("Devices").store(store).clock(clock)
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                .hasher(SecretHasher.pbkdf2(1000)).passwordVerifier(verifier).disableAfterStepUp(true)
                .trustedDevices(true).listener(events::add);
        service = common.build();
        otherNode = common.build();
    }

    // ---------------------------------------------------------------- the store's own duties

    private static TrustedDeviceRecord record(String userId, Instant createdAt) {
        return new TrustedDeviceRecord(newId(), userId, "Firefox on Linux", "h" + newId().substring(0, 30),
                createdAt, null, createdAt.plus(Duration.ofDays(30)));
    }

    private void enableDirectly(String userId) {
        PendingEnrolment pending = pending("k1");
        store.savePending(userId, pending);
        assertThat(store.activatePending(userId, pending.id(), 42, T0)).isTrue();
    }

    @Test
    void findForCheckReturnsTheDeviceAsStoredWithTheSecondFactorsStateAndOnlyForItsUser() {
        String alice = newUserId();
        String bob = newUserId();
        enableDirectly(alice);
        BackoffState blocked = new BackoffState(4, T0.plusSeconds(30), false);
        assertThat(store.compareAndSet(alice, BackoffState.NONE, blocked)).isTrue();
        TrustedDeviceRecord device = record(alice, T0);
        devices.insertTrustedDevice(device);

        TrustedDeviceCheck check = devices.findTrustedDeviceForCheck(alice, device.id()).orElseThrow();

        assertThat(check.device()).isEqualTo(device);
        assertThat(check.secondFactorEnabled()).isTrue();
        assertThat(check.backoff()).isEqualTo(blocked);
        assertThat(devices.findTrustedDeviceForCheck(bob, device.id())).isEmpty();
        assertThat(devices.findTrustedDeviceForCheck(alice, newId())).isEmpty();
        assertThat(devices.findTrustedDeviceForCheck(alice, device.id().toUpperCase())).isEmpty();
        assertThat(devices.findTrustedDeviceForCheck(alice, "x".repeat(300))).isEmpty();
    }

    @Test
    void findForCheckOfAUserWithoutSecondFactorSaysNotEnabledAndNone() {
        String userId = newUserId();
        TrustedDeviceRecord device = record(userId, T0);
        devices.insertTrustedDevice(device);

        TrustedDeviceCheck check = devices.findTrustedDeviceForCheck(userId, device.id()).orElseThrow();

        assertThat(check.secondFactorEnabled()).isFalse();
        assertThat(check.backoff()).isEqualTo(BackoffState.NONE);
        store.savePending(userId, pending("k1"));
        assertThat(devices.findTrustedDeviceForCheck(userId, device.id()).orElseThrow().secondFactorEnabled())
                .as("a pending enrolment alone is not enabled").isFalse();
    }

    @Test
    void devicesAreListedOldestFirstExpiredIncludedAndADuplicateIdChangesNothing() {
        String userId = newUserId();
        TrustedDeviceRecord later = record(userId, T0.plusSeconds(60));
        TrustedDeviceRecord earlier = record(userId, T0);
        devices.insertTrustedDevice(later);
        devices.insertTrustedDevice(earlier);

        assertThatThrownBy(() -> devices.insertTrustedDevice(new TrustedDeviceRecord(earlier.id(), userId, "Other",
                "other-hash", T0, null, T0.plusSeconds(1)))).isInstanceOf(StorageException.class);

        assertThat(devices.findTrustedDevices(userId)).containsExactly(earlier, later);
        assertThat(devices.findTrustedDevices(newUserId())).isEmpty();
    }

    @Test
    void recordUseUpdatesOnlyAnExistingDeviceOfThatUser() {
        String userId = newUserId();
        TrustedDeviceRecord device = record(userId, T0);
        devices.insertTrustedDevice(device);

        assertThat(devices.recordTrustedDeviceUse(newUserId(), device.id(), T0.plusSeconds(5))).isFalse();
        assertThat(devices.recordTrustedDeviceUse(userId, device.id(), T0.plusSeconds(9))).isTrue();

        assertThat(devices.findTrustedDevices(userId).get(0).lastUsedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(devices.deleteTrustedDevice(userId, device.id())).isTrue();
        assertThat(devices.recordTrustedDeviceUse(userId, device.id(), T0.plusSeconds(10))).isFalse();
        assertThat(devices.findTrustedDevices(userId)).isEmpty();
    }

    @Test
    void deleteOneAndAllTouchOnlyThatUsersDevices() {
        String alice = newUserId();
        String bob = newUserId();
        TrustedDeviceRecord first = record(alice, T0);
        TrustedDeviceRecord second = record(alice, T0.plusSeconds(1));
        TrustedDeviceRecord bobs = record(bob, T0);
        devices.insertTrustedDevice(first);
        devices.insertTrustedDevice(second);
        devices.insertTrustedDevice(bobs);

        assertThat(devices.deleteTrustedDevice(bob, first.id())).isFalse();
        assertThat(devices.deleteTrustedDevice(alice, first.id())).isTrue();
        assertThat(devices.deleteTrustedDevice(alice, first.id())).isFalse();
        assertThat(devices.findTrustedDeviceForCheck(alice, first.id())).isEmpty();
        assertThat(devices.deleteAllTrustedDevices(alice)).isEqualTo(1);
        assertThat(devices.deleteAllTrustedDevices(alice)).isZero();

        assertThat(devices.findTrustedDevices(alice)).isEmpty();
        assertThat(devices.findTrustedDevices(bob)).containsExactly(bobs);
    }

    @Test
    void removeSecondFactorRemovesTheUsersDevicesInTheSameStep() {
        String alice = newUserId();
        String bob = newUserId();
        enableDirectly(alice);
        devices.insertTrustedDevice(record(alice, T0));
        TrustedDeviceRecord bobs = record(bob, T0);
        devices.insertTrustedDevice(bobs);

        assertThat(store.removeSecondFactor(alice)).isTrue();

        assertThat(devices.findTrustedDevices(alice)).isEmpty();
        assertThat(devices.findTrustedDevices(bob)).containsExactly(bobs);
    }

    // ---------------------------------------------------------------- through the service

    private TotpSecret enable(String userId) {
        return Fixtures.enableThroughService(service, clock, userId);
    }

    private NewTrustedDevice remember(String userId, TotpSecret secret) {
        return Fixtures.rememberThroughService(service, clock, userId, secret);
    }

    private boolean recognised(TwoFactorService node, String userId, NewTrustedDevice device) {
        return node.trustedDevices().recognise(userId, device.token()).isPresent();
    }

    @Test
    void theStoreHoldsOnlyTheSha256OfTheTokensSecretAndTheTokenWorksOnlyForItsUserOnEveryNode() throws Exception {
        String alice = newUserId();
        String bob = newUserId();
        NewTrustedDevice device = remember(alice, enable(alice));
        enable(bob);

        TrustedDeviceRecord stored = devices.findTrustedDevices(alice).get(0);
        String secret = device.token().substring(device.token().indexOf('.') + 1);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Base64.getUrlDecoder().decode(secret));
        assertThat(stored.tokenHash()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        assertThat(stored.toString() + stored.name() + stored.id()).doesNotContain(secret);
        assertThat(recognised(service, alice, device)).isTrue();
        assertThat(recognised(otherNode, alice, device)).isTrue();
        assertThat(recognised(service, bob, device)).isFalse();
        assertThat(service.trustedDevices().recognise(alice, device.token().substring(0, 37) + "A".repeat(43)))
                .isEmpty();
        assertThat(store.findBackoff(alice)).isEqualTo(BackoffState.NONE);
        assertThat(store.findBackoff(bob)).isEqualTo(BackoffState.NONE);
    }

    @Test
    void anExpiredDeviceIsRefusedOnEveryNodeAndNotListed() {
        String userId = newUserId();
        NewTrustedDevice device = remember(userId, enable(userId));
        clock.set(device.device().expiresAt().minusMillis(1));
        assertThat(recognised(otherNode, userId, device)).isTrue();

        clock.set(device.device().expiresAt());

        assertThat(recognised(service, userId, device)).isFalse();
        assertThat(recognised(otherNode, userId, device)).isFalse();
        assertThat(service.trustedDevices().list(userId)).isEmpty();
    }

    @Test
    void aDeviceNeverBypassesABackoffALockOrADisabledSecondFactor() {
        String userId = newUserId();
        NewTrustedDevice device = remember(userId, enable(userId));
        BackoffState blocked = new BackoffState(4, clock.instant().plusSeconds(30), false);
        assertThat(store.compareAndSet(userId, BackoffState.NONE, blocked)).isTrue();
        assertThat(recognised(service, userId, device)).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(recognised(service, userId, device)).isTrue();

        BackoffState locked = new BackoffState(10, clock.instant(), true);
        assertThat(store.compareAndSet(userId, blocked, locked)).isTrue();
        assertThat(recognised(service, userId, device)).isFalse();
        assertThat(recognised(otherNode, userId, device)).isFalse();

        store.resetBackoff(userId, dev.twofactor.spi.BackoffScope.SECOND_FACTOR);
        assertThat(recognised(service, userId, device)).isTrue();
        store.deleteCredential(userId); // the device row stays; the join sees no second factor
        assertThat(recognised(service, userId, device)).isFalse();
    }

    /** One revocation cause of the service, applied to a user with two devices. */
    private void assertEveryDeviceRevokedBy(String cause, RevocationCause action) {
        String userId = newUserId();
        TotpSecret secret = enable(userId);
        NewTrustedDevice first = remember(userId, secret);
        NewTrustedDevice second = remember(userId, secret);
        String bystander = newUserId();
        NewTrustedDevice kept = remember(bystander, enable(bystander));
        events.clear();

        action.apply(userId, secret);

        assertThat(recognised(service, userId, first)).as(cause).isFalse();
        assertThat(recognised(otherNode, userId, second)).as(cause).isFalse();
        assertThat(devices.findTrustedDevices(userId)).as(cause).isEmpty();
        assertThat(recognised(service, bystander, kept)).as(cause).isTrue();
        assertThat(events.stream().filter(e -> e.type() == TwoFactorEventType.TRUSTED_DEVICE_REVOKED)
                .map(e -> e.details().get("deviceId") + "/" + e.details().get("cause")).collect(Collectors.toSet()))
                .as(cause).containsExactlyInAnyOrder(first.device().id() + "/" + cause,
                        second.device().id() + "/" + cause);
    }

    /** An action that revokes all of a user's devices. */
    private interface RevocationCause {
        void apply(String userId, TotpSecret secret);
    }

    @Test
    void disablingWithThePasswordRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("DISABLED",
                (userId, secret) -> assertThat(service.disable(userId, PASSWORD.toCharArray()).succeeded()).isTrue());
    }

    @Test
    void disablingAfterAStepUpRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("DISABLED", (userId, secret) -> {
            Outcome<Instant> stepUp = service.stepUpWithPassword(userId, PASSWORD.toCharArray());
            Instant at = ((Outcome.Success<Instant>) stepUp).value();
            assertThat(service.disableAfterStepUp(userId, at).succeeded()).isTrue();
        });
    }

    @Test
    void confirmingANewAuthenticatorAppRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("AUTHENTICATOR_CHANGED", (userId, secret) -> {
            Enrolment change = ((Outcome.Success<Enrolment>) service.changeAuthenticator(userId, "me")).value();
            assertThat(devices.findTrustedDevices(userId)).as("starting the change revokes nothing").hasSize(2);
            assertThat(service.confirmEnrolment(userId, phone.generateAt(change.secret(), clock.instant()))
                    .succeeded()).isTrue();
        });
    }

    @Test
    void regeneratingRecoveryCodesRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("RECOVERY_CODES_REGENERATED",
                (userId, secret) -> assertThat(service.regenerateRecoveryCodes(userId).succeeded()).isTrue());
    }

    @Test
    void anAdminUnenrolRevokesEveryDevice() {
        String admin = newUserId();
        TotpSecret adminSecret = enable(admin);
        assertEveryDeviceRevokedBy("ADMIN_UNENROL", (userId, secret) -> assertThat(service.adminUnenrol(admin,
                phone.generateAt(adminSecret, clock.instant()), userId).succeeded()).isTrue());
    }

    @Test
    void aPasswordChangeRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("PASSWORD_CHANGED",
                (userId, secret) -> assertThat(otherNode.trustedDevices().passwordChanged(userId)).isEqualTo(2));
    }

    @Test
    void revokeAllByTheUserRevokesEveryDevice() {
        assertEveryDeviceRevokedBy("ALL_BY_USER",
                (userId, secret) -> assertThat(service.trustedDevices().revokeAll(userId)).isEqualTo(2));
    }

    @Test
    void revokingOneDeviceOnOneNodeRefusesItAtOnceOnTheOther() {
        String userId = newUserId();
        TotpSecret secret = enable(userId);
        NewTrustedDevice first = remember(userId, secret);
        NewTrustedDevice second = remember(userId, secret);
        assertThat(recognised(otherNode, userId, first)).isTrue();

        assertThat(service.trustedDevices().revoke(userId, first.device().id()).succeeded()).isTrue();

        assertThat(recognised(otherNode, userId, first)).isFalse();
        assertThat(recognised(otherNode, userId, second)).isTrue();
        assertThat(otherNode.trustedDevices().list(userId)).extracting(TrustedDevice::id)
                .containsExactly(second.device().id());
    }

    @Test
    void noRecognitionStartedAfterRevokeAllReturnedSucceeds() {
        String userId = newUserId();
        NewTrustedDevice device = remember(userId, enable(userId));
        int recognisers = concurrency();
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean revoked = new AtomicBoolean();
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        ConcurrentLinkedQueue<Long> lateSuccesses = new ConcurrentLinkedQueue<>();

        Race.run(recognisers + 1, index -> {
            if (index == recognisers) {
                // Revoke once the recognisers are under way (every one has been recognised at least once).
                while (before.get() < recognisers) {
                    Thread.onSpinWait();
                }
                service.trustedDevices().revokeAll(userId);
                revokedAt.set(System.nanoTime());
                revoked.set(true);
                return null;
            }
            boolean counted = false;
            int roundsAfter = 0;
            while (roundsAfter < 3) {
                boolean afterRevocation = revoked.get();
                long started = System.nanoTime();
                boolean ok = recognised(index % 2 == 0 ? service : otherNode, userId, device);
                if (ok && started > revokedAt.get()) {
                    lateSuccesses.add(started);
                }
                if (!counted) {
                    counted = true;
                    before.incrementAndGet();
                }
                if (afterRevocation) {
                    roundsAfter++;
                    after.incrementAndGet();
                }
            }
            return null;
        });

        assertThat(lateSuccesses).as("recognitions that started after revokeAll returned and succeeded").isEmpty();
        assertThat(after.get()).isGreaterThanOrEqualTo(3 * recognisers);
        assertThat(devices.findTrustedDevices(userId)).isEmpty();
    }

    @Test
    void parallelRemembersAllStoreDistinctDevicesWithDistinctTokens() {
        String userId = newUserId();
        TotpSecret secret = enable(userId);
        Outcome<CodeAccepted> passed = service.verifyCode(userId, phone.generateAt(secret, clock.instant()));
        assertThat(passed.succeeded()).isTrue();
        int parties = concurrency();

        List<NewTrustedDevice> created = Race.run(parties, index -> ((Outcome.Success<NewTrustedDevice>)
                (index % 2 == 0 ? service : otherNode).trustedDevices().remember(userId, passed, FIREFOX)).value());

        Set<String> ids = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (NewTrustedDevice device : created) {
            ids.add(device.device().id());
            tokens.add(device.token());
            assertThat(device.token()).hasSize(TrustedDevices.TOKEN_LENGTH);
        }
        assertThat(ids).hasSize(parties);
        assertThat(tokens).hasSize(parties);
        assertThat(devices.findTrustedDevices(userId)).extracting(TrustedDeviceRecord::id)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(devices.findTrustedDevices(userId)).extracting(TrustedDeviceRecord::tokenHash)
                .doesNotHaveDuplicates();
        for (NewTrustedDevice device : created) {
            assertThat(recognised(service, userId, device)).isTrue();
        }
    }
}
