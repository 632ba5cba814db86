package dev.twofactor.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A warm-up that lasts until the JIT is quiet, run by a JDBC benchmark's set-up before JMH's own warm-up iterations
 * (or by {@link JdbcPairedRounds} before its rounds): the benchmark's operation, from as many threads as the
 * benchmark has, until it has run at least {@value #MIN_CALLS} times in all and the JIT compiler threads used at most
 * {@value #QUIET_PERCENT} % of the fork's CPU time over the last {@value #WINDOW_MILLIS} ms ({@link JitCpuProfiler}),
 * or until the most time the runner allows
 * (the system property {@value #MAX_SECONDS}; unset or 0: none, as in the short mode).
 *
 * <p>A quiet second alone is not enough: HotSpot compiles a method at C1 first and at C2 only after some thousands of
 * calls with C1's profile (more while the compile queue is long), and the JIT is idle while those calls accumulate.
 * A sign-in over PostgreSQL runs a few thousand times a second, so the JIT can be quiet for a second with the
 * sign-in's own methods (the service's check, the store's statements) still at C1; with
 * {@code -XX:+PrintCompilation} they were seen compiled at C2 only in the measurement iterations after a quiet
 * warm-up of 11.5 s had stopped on such a lull. {@value #MIN_CALLS} calls are well beyond the C2 thresholds of a
 * method without loops ({@code Tier4InvocationThreshold} 5,000, {@code Tier4CompileThreshold} 15,000): with 20,000
 * and at most 15 s, a full run (2026-12-02 17:07 UTC) still withheld the 1,000,000-user fork (its compiler threads
 * used 5.5 % of the measured wall time after a warm-up that stopped at 21,504 calls) and H2 with 8 threads (the
 * warm-up ran out its 15 s with the JIT at 11 %).
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

    /** How often the share is sampled per window. */
    private static final int SAMPLES_PER_WINDOW = 10;

    /** Operations per worker between two looks at whether to stop (codes are prepared for each batch). */
    private static final int BATCH = 1024;

    /** The fewest operations, by all threads together, before the warm-up may end. */
    static final long MIN_CALLS = 40_000;

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
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        work.run(thread, BATCH);
                        done.add(BATCH);
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
        // Sampled every tenth of the window, so that the profiler's own reading of /proc is compiled here and not
        // in the measurement iterations; the share is taken over the last whole window.
        long[][] window = new long[SAMPLES_PER_WINDOW + 1][];
        window[0] = last;
        try {
            for (int sample = 1; !stop.get() && System.nanoTime() - start < maxSeconds * 1e9; sample++) {
                Thread.sleep(WINDOW_MILLIS / SAMPLES_PER_WINDOW);
                long[] now = JitCpuProfiler.sample();
                window[sample % window.length] = now;
                if (sample < SAMPLES_PER_WINDOW) {
                    continue;
                }
                long[] then = window[(sample + 1) % window.length];
                share = now[1] == then[1] ? 0 : (double) (now[0] - then[0]) / (now[1] - then[1]);
                if (share * 100 <= QUIET_PERCENT && done.sum() >= MIN_CALLS) {
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
        System.out.printf(Locale.ROOT, "(quiet warm-up of %s: %.1f s, %,d calls, the JIT's share of the CPU in its "
                + "last second %.0f %%)%n", label, (System.nanoTime() - start) / 1e9, done.sum(), share * 100);
    }
}
