package dev.twofactor.internal.web;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service on the in-memory store whose store calls are counted, so a test sees whether {@link RequirementFacts}
 * asked {@link TwoFactorService#requirementFor} (each answer costs at least one store call) or served its facts.
 */
final class CountedService {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final TwoFactorService service;
    private final AtomicInteger storeCalls = new AtomicInteger();

    CountedService() {
        InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
        TwoFactorStore counted = (TwoFactorStore) Proxy.newProxyInstance(TwoFactorStore.class.getClassLoader(),
                new Class<?>[] {TwoFactorStore.class, TrustedDeviceStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "CountedStore";
                        };
                    }
                    storeCalls.incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        this.service = TwoFactorService.builder()
                .issuer("Core Web Test")
                .store(counted)
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", key).build()))
                .clock(clock)
                .build();
    }

    /** The policy demands enrolment of everyone, with a grace period from {@link #START} (none if zero). */
    CountedService everyoneMustEnrol(Duration gracePeriod) {
        service.setPolicy("root", EnforcementLevel.EVERYONE, gracePeriod);
        return this;
    }

    /**
     * @return whether the service was asked since the last call (and starts counting again)
     */
    boolean asked() {
        return storeCalls.getAndSet(0) > 0;
    }
}
