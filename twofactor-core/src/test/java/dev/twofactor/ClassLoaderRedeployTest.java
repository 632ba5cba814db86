package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A web application redeployed in a container: its class loader must become collectable once the application is
 * gone, although twofactor ran on the container's pooled threads, which live on. Per-thread state that strongly
 * referenced a twofactor class from a thread's map would pin the loader (and every class of the application) for the
 * thread's lifetime.
 */
class ClassLoaderRedeployTest {

    @Test
    void classLoaderWhenApplicationIsDroppedThenCollectableAlthoughItsCodeRanOnALongLivedThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // The container's thread exists before the application is deployed, as in a real container.
            Thread worker = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

            WeakReference<ClassLoader> loader = deployUseAndUndeploy(pool);

            for (int i = 0; i < 100 && loader.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(worker.isAlive()).as("the pooled thread outlives the application").isTrue();
            assertThat(loader.get()).as("the application's class loader, after it was dropped").isNull();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs TOTP in a loader of its own on the pool's thread, then drops every reference to the loader. */
    private static WeakReference<ClassLoader> deployUseAndUndeploy(ExecutorService pool) throws Exception {
        IsolatedCore core = IsolatedCore.load();
        boolean open = Object.class.getModule().isOpen("sun.security.provider", core.loader().getUnnamedModule());
        String log = LogCapture.during(() -> {
            try {
                List<Boolean> midstates = pool.submit(() -> {
                    byte[] key = new byte[20];
                    for (String algorithm : List.of("SHA1", "SHA256", "SHA512")) {
                        for (long step = 0; step < 50; step++) {
                            assertThat(core.generate(algorithm, key, step)).hasSize(6);
                        }
                    }
                    return List.of(core.midstateHmac("SHA1"), core.midstateHmac("SHA256"));
                }).get(30, TimeUnit.SECONDS);
                // Core's tests open sun.security.provider: the midstate path, with its JDK digest objects and
                // method handles, is what ran, the part most likely to hold on to something.
                assertThat(midstates).containsOnly(open);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(log).doesNotContain("WARN", "ERROR");
        WeakReference<ClassLoader> loader = new WeakReference<>(core.loader());
        core.close();
        return loader;
    }
}
