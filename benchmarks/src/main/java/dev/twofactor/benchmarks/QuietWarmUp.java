package dev.twofactor.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A warm-up that lasts until the JIT is quiet, run by a JDBC benchmark's set-up before JMH's own warm-up iterations:
 * the benchmark's operation, from as many threads as the benchmark has, until the JIT compiler threads used at most
 * {@value #QUIET_PERCENT} % of the fork's CPU time over the last {@value #WINDOW_MILLIS} ms ({@link JitCpuProfiler}),
 * or until the most time the runner allows (the system property {@value #MAX_SECONDS}; unset or 0: none, as in the
 * short mode).
 *
 * <p>A warm-up of fixed length does not fit these benchmarks: a sign-in over PostgreSQL is a few hundred
 * microseconds of waiting, so a few seconds are a few thousand calls, fewer than HotSpot's C2 compiles after; and
 * with 8 threads on 2 cores the compiler threads get a small part of a core, so the C2 queue of H2's many methods
 * drains slowly, and the service's extra code (and the type profiles it shares with H2, deoptimised and recompiled
 * several times) takes longer than the floor's. Whether the measurement was warm is still judged on the
 * measurement iterations themselves ({@link FairRatios}); this only makes it likely.
 */
final class QuietWarmUp {

    /** The most seconds the quiet warm-up may take, a system property the runner sets for the full mode's forks. */
    static final String MAX_SECONDS = "twofactor.bench.quiet.max";

    /** The JIT's share of the fork's CPU time, in percent, at or below which the JIT counts as quiet. */
    static final int QUIET_PERCENT = 5;

    /** The window over which the share is taken. */
    static final long WINDOW_MILLIS = 1000;

    /** One thread's share of the benchmark's work: {@code calls} operations by the benchmark thread {@code thread}. */
    interface Work {
        void run(int thread, int calls) throws Exception;
    }

    private QuietWarmUp() {
    }

    /**
     * Runs {@code work} on {@code threads} threads until the JIT is quiet or the most time allowed has passed.
     *
     * @param label what is warmed up, for the line printed at the end
     */
    static void run(String label, int threads, Work work) {
        double maxSeconds = Double.parseDouble(System.getProperty(MAX_SECONDS, "0"));
        long[] last = JitCpuProfiler.sample();
        if (maxSeconds <= 0 || last == null) {
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        work.run(thread, 1024);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }, "quiet-warm-up-" + i);
            worker.start();
            workers.add(worker);
        }
        long start = System.nanoTime();
        double share = 1;
        try {
            while (!stop.get() && System.nanoTime() - start < maxSeconds * 1e9) {
                Thread.sleep(WINDOW_MILLIS);
                long[] now = JitCpuProfiler.sample();
                share = now[1] == last[1] ? 0 : (double) (now[0] - last[0]) / (now[1] - last[1]);
                last = now;
                if (share * 100 <= QUIET_PERCENT) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("The warm-up of " + label + " failed", failure.get());
        }
        System.out.printf(Locale.ROOT, "(quiet warm-up of %s: %.1f s, the JIT's share of the CPU in its last second "
                + "%.0f %%)%n", label, (System.nanoTime() - start) / 1e9, share * 100);
    }
}
