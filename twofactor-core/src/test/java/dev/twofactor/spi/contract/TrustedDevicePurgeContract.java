package dev.twofactor.spi.contract;

import static dev.twofactor.spi.contract.Fixtures.T0;
import static dev.twofactor.spi.contract.Fixtures.newId;
import static dev.twofactor.spi.contract.Fixtures.newUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.KeyRing;
import dev.twofactor.NewTrustedDevice;
import dev.twofactor.SecretCipher;
import dev.twofactor.SecretHasher;
import dev.twofactor.TotpSecret;
import dev.twofactor.TrustedDevice;
import dev.twofactor.TwoFactorEvent;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TrustedDeviceStore#deleteExpiredTrustedDevices}, the purge of expired devices, on a store that is also the
 * whole {@link TwoFactorStore}: it removes exactly the devices whose expiry is at or before the instant (a device
 * expiring at that very millisecond included), of every user, at most the limit per call, and answers how many; the
 * other devices stay as they were and are still recognised, through the service's {@code purgeExpired()} too. A store
 * that keeps no trusted devices, or keeps the method's default (no purge), skips these tests.
 */
public abstract class TrustedDevicePurgeContract {

    private static final Instant START = Instant.parse("2026-04-01T08:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final ConcurrentLinkedQueue<TwoFactorEvent> events = new ConcurrentLinkedQueue<>();
    private TrustedDeviceStore devices;
    private TwoFactorService service;

    /**
     * @return a store with no data, implementing {@link TrustedDeviceStore} too; called before each test
     */
    protected abstract TwoFactorStore createStore();

    @BeforeEach
    void createService() {
        TwoFactorStore store = createStore();
        Assumptions.assumeTrue(store instanceof TrustedDeviceStore, "the store keeps no trusted devices");
        devices = (TrustedDeviceStore) store;
        try {
            devices.deleteExpiredTrustedDevices(Instant.EPOCH, 1);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the store does not purge expired trusted devices (the SPI's default)");
        }
        service = TwoFactorService.builder().issuer("Purge").store(store).clock(clock)
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
                .hasher(SecretHasher.pbkdf2(1000)).trustedDevices(true).listener(events::add).build();
    }

    private static TrustedDeviceRecord expiringAt(String userId, Instant expiresAt) {
        return new TrustedDeviceRecord(newId(), userId, "Firefox on Linux", "h" + newId().substring(0, 30),
                expiresAt.minus(Duration.ofDays(30)), null, expiresAt);
    }

    private List<TrustedDeviceRecord> all(String... userIds) {
        List<TrustedDeviceRecord> all = new ArrayList<>();
        for (String userId : userIds) {
            all.addAll(devices.findTrustedDevices(userId));
        }
        return all;
    }

    @Test
    void purgeRemovesExactlyTheDevicesExpiredAtOrBeforeTheInstantOfEveryUserAndCountsThem() {
        String alice = newUserId();
        String bob = newUserId();
        TrustedDeviceRecord longExpired = expiringAt(alice, T0.minus(Duration.ofDays(3)));
        TrustedDeviceRecord expiringNow = expiringAt(alice, T0);
        TrustedDeviceRecord oneMilliLater = expiringAt(alice, T0.plusMillis(1));
        TrustedDeviceRecord bobsExpired = expiringAt(bob, T0.minusMillis(1));
        TrustedDeviceRecord bobsCurrent = expiringAt(bob, T0.plus(Duration.ofDays(20)));
        for (TrustedDeviceRecord device : List.of(longExpired, expiringNow, oneMilliLater, bobsExpired, bobsCurrent)) {
            devices.insertTrustedDevice(device);
        }
        assertThat(devices.recordTrustedDeviceUse(bob, bobsCurrent.id(), T0.minusSeconds(5))).isTrue();

        assertThat(devices.deleteExpiredTrustedDevices(T0, 100)).isEqualTo(3);

        assertThat(devices.findTrustedDevices(alice)).containsExactly(oneMilliLater);
        assertThat(devices.findTrustedDevices(bob)).containsExactly(bobsCurrent.withLastUsedAt(T0.minusSeconds(5)));
        assertThat(devices.findTrustedDeviceForCheck(alice, expiringNow.id())).isEmpty();
        assertThat(devices.findTrustedDeviceForCheck(bob, bobsExpired.id())).isEmpty();
        assertThat(devices.deleteExpiredTrustedDevices(T0, 100)).as("nothing left to purge").isZero();
        assertThat(devices.deleteExpiredTrustedDevices(T0.plusMillis(1), 100)).isEqualTo(1);
        assertThat(all(alice, bob)).containsExactly(bobsCurrent.withLastUsedAt(T0.minusSeconds(5)));
    }

    @Test
    void purgeRemovesAtMostTheLimitPerCallAndTheRestOnTheNextCalls() {
        List<String> users = List.of(newUserId(), newUserId(), newUserId());
        List<TrustedDeviceRecord> current = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            devices.insertTrustedDevice(expiringAt(users.get(i % 3), T0.minusSeconds(i)));
        }
        for (String userId : users) {
            TrustedDeviceRecord kept = expiringAt(userId, T0.plusSeconds(60));
            devices.insertTrustedDevice(kept);
            current.add(kept);
        }
        String[] userIds = users.toArray(String[]::new);

        assertThat(devices.deleteExpiredTrustedDevices(T0, 2)).isEqualTo(2);
        assertThat(all(userIds)).hasSize(6).containsAll(current);
        assertThat(devices.deleteExpiredTrustedDevices(T0, 2)).isEqualTo(2);
        assertThat(devices.deleteExpiredTrustedDevices(T0, 2)).isEqualTo(1);
        assertThat(devices.deleteExpiredTrustedDevices(T0, 2)).isZero();

        assertThat(all(userIds)).containsExactlyInAnyOrderElementsOf(current);
    }

    @Test
    void aLimitBelowOneIsRefusedAndRemovesNothing() {
        String userId = newUserId();
        TrustedDeviceRecord expired = expiringAt(userId, T0);
        devices.insertTrustedDevice(expired);

        assertThatThrownBy(() -> devices.deleteExpiredTrustedDevices(T0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> devices.deleteExpiredTrustedDevices(T0, -1))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(devices.findTrustedDevices(userId)).containsExactly(expired);
    }

    // ---------------------------------------------------------------- through the service

    private TotpSecret enable(String userId) {
        return Fixtures.enableThroughService(service, clock, userId);
    }

    private NewTrustedDevice remember(String userId, TotpSecret secret) {
        return Fixtures.rememberThroughService(service, clock, userId, secret);
    }

    @Test
    void purgeExpiredUsesTheServiceClockAndTheDevicesStillCurrentAreRecognisedAfterIt() {
        String alice = newUserId();
        String bob = newUserId();
        TotpSecret secret = enable(alice);
        NewTrustedDevice old = remember(alice, secret);
        clock.advance(Duration.ofDays(10));
        NewTrustedDevice recent = remember(alice, secret);
        NewTrustedDevice bobs = remember(bob, enable(bob));
        clock.set(old.device().expiresAt().minusMillis(1));
        assertThat(service.trustedDevices().purgeExpired()).as("a millisecond before the expiry").isZero();
        assertThat(devices.findTrustedDevices(alice)).hasSize(2);
        events.clear();

        clock.set(old.device().expiresAt());

        assertThat(service.trustedDevices().purgeExpired()).isEqualTo(1);
        assertThat(devices.findTrustedDevices(alice)).extracting(TrustedDeviceRecord::id)
                .containsExactly(recent.device().id());
        assertThat(service.trustedDevices().recognise(alice, recent.token())).isPresent();
        assertThat(service.trustedDevices().recognise(bob, bobs.token())).isPresent();
        assertThat(service.trustedDevices().recognise(alice, old.token())).isEmpty();
        assertThat(service.trustedDevices().list(alice)).extracting(TrustedDevice::id)
                .containsExactly(recent.device().id());
        assertThat(events).as("a purge revokes nothing: no event").extracting(TwoFactorEvent::type)
                .doesNotContain(dev.twofactor.TwoFactorEventType.TRUSTED_DEVICE_REVOKED);
        assertThat(service.trustedDevices().purgeExpired()).isZero();
    }
}
