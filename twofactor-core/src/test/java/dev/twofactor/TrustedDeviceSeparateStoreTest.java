package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Trusted devices in a store of their own ({@code Builder.trustedDeviceStore}), apart from credentials and backoffs:
 * the service re-reads the second factor's state itself, removes the devices with the second factor, and removes a
 * device again whose insert raced a removal of the second factor.
 */
class TrustedDeviceSeparateStoreTest {

    /** A device store that claims every second factor is enabled and open, and can run a hook inside an insert. */
    static final class SeparateStore implements TrustedDeviceStore {
        final InMemoryTwoFactorStore delegate = new InMemoryTwoFactorStore();
        final AtomicReference<Runnable> duringInsert = new AtomicReference<>();
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public void insertTrustedDevice(TrustedDeviceRecord record) {
            Runnable hook = duringInsert.getAndSet(null);
            if (hook != null) {
                hook.run();
            }
            delegate.insertTrustedDevice(record);
        }

        @Override
        public Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId) {
            checks.incrementAndGet();
            return delegate.findTrustedDeviceForCheck(userId, deviceId)
                    .map(check -> new TrustedDeviceCheck(check.device(), true, BackoffState.NONE));
        }

        @Override
        public List<TrustedDeviceRecord> findTrustedDevices(String userId) {
            return delegate.findTrustedDevices(userId);
        }

        @Override
        public boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt) {
            return delegate.recordTrustedDeviceUse(userId, deviceId, usedAt);
        }

        @Override
        public boolean deleteTrustedDevice(String userId, String deviceId) {
            return delegate.deleteTrustedDevice(userId, deviceId);
        }

        @Override
        public int deleteAllTrustedDevices(String userId) {
            return delegate.deleteAllTrustedDevices(userId);
        }
    }

    private final SeparateStore devices = new SeparateStore();
    private final Fixture f = new Fixture(b -> b.trustedDevices(true).trustedDeviceStore(devices));

    private Outcome<CodeAccepted> passed(Fixture.Enabled enabled) {
        return f.service.verifyCode("alice", f.code(enabled.secret()));
    }

    @Test
    void aDeviceStoreThatHoldsNoCredentialsStillRecognisesWhatTheServicesStoreHasEnabled() {
        // An InMemoryTwoFactorStore used only for devices: its own check reports every second factor as not enabled.
        Fixture only = new Fixture(b -> b.trustedDevices(true).trustedDeviceStore(new InMemoryTwoFactorStore()));
        Fixture.Enabled alice = only.enable("alice");
        NewTrustedDevice device = success(only.service.trustedDevices().remember("alice",
                only.service.verifyCode("alice", only.code(alice.secret())), null));

        assertThat(only.service.trustedDevices().recognise("alice", device.token())).isPresent();
        assertThat(only.service.disable("alice", Fixture.password()).succeeded()).isTrue();
        assertThat(only.service.trustedDevices().recognise("alice", device.token())).isEmpty();
    }

    @Test
    void aLockIsSeenEvenWhenTheDeviceStoreDoesNotKnowIt() {
        Fixture.Enabled alice = f.enable("alice");
        NewTrustedDevice device = success(f.service.trustedDevices().remember("alice", passed(alice), null));
        assertThat(f.service.trustedDevices().recognise("alice", device.token())).isPresent();

        assertThat(f.store.compareAndSet("alice", BackoffScope.SECOND_FACTOR, BackoffState.NONE,
                new BackoffState(100, f.clock.instant(), true))).isTrue();

        assertThat(f.service.trustedDevices().recognise("alice", device.token())).isEmpty();
    }

    @Test
    void disablingRemovesTheDevicesFromTheSeparateStoreToo() {
        Fixture.Enabled alice = f.enable("alice");
        NewTrustedDevice device = success(f.service.trustedDevices().remember("alice", passed(alice), null));

        success(f.service.disable("alice", Fixture.password()));

        assertThat(devices.findTrustedDevices("alice")).isEmpty();
        f.enable("alice");
        assertThat(f.service.trustedDevices().recognise("alice", device.token())).isEmpty();
    }

    @Test
    void aDeviceWhoseInsertRacedTheRemovalOfTheSecondFactorIsRemovedAgain() {
        Fixture.Enabled alice = f.enable("alice");
        Outcome<CodeAccepted> passed = passed(alice);
        devices.duringInsert.set(() -> success(f.service.disable("alice", Fixture.password())));

        Outcome<NewTrustedDevice> remembered = f.service.trustedDevices().remember("alice", passed, null);

        assertThat(reason(remembered)).isEqualTo(Reason.NOT_ENABLED);
        assertThat(devices.findTrustedDevices("alice")).isEmpty();
        assertThat(f.events.count(TwoFactorEventType.DEVICE_TRUSTED)).isZero();
    }

    @Test
    void aTokenOfTheRightShapeButAnIdOutsideLowerCaseHexIsRefusedWithoutReadingTheStore() {
        Fixture.Enabled alice = f.enable("alice");
        String token = success(f.service.trustedDevices().remember("alice", passed(alice), null)).token();
        assertThat(f.service.trustedDevices().recognise("alice", token)).isPresent();
        int checks = devices.checks.get();

        for (char wrong : new char[] {'g', 'A', 'F', '/', ':', '`', '.'}) {
            String odd = wrong + token.substring(1);
            assertThat(f.service.trustedDevices().recognise("alice", odd)).as("id starting with %s", wrong).isEmpty();
        }

        assertThat(devices.checks.get()).as("store reads for malformed ids").isEqualTo(checks);
        assertThat(f.backoff("alice")).isEqualTo(BackoffState.NONE);
    }
}
