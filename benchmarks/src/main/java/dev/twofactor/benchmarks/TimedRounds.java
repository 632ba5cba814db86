package dev.twofactor.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Two kinds of call timed in turn, in rounds of fixed length, in pairs: what targets 4 and 5 judge on
 * ({@link JdbcPairedRounds}, {@link ScalePairedRounds}), so that both kinds meet the same machine. Rounds come in
 * pairs, one of each, in the order first-second, second-first, first-second, ... (so that a load that rises or falls
 * through a pair favours neither); a pair's ratio is the first kind's round's calls per second over the second's.
 *
 * <p>A round: every caller thread prepares its calls ({@link Caller#prepare}), all start together, and each calls in
 * a closed loop (a call starts when its last one ended) until the round's time is up; the round's rate is its calls
 * over the time from the start to the end of its last call. Every call of a measured round is timed, for the
 * percentiles, which are taken over all the measured rounds of one kind.
 */
final class TimedRounds {

    /** One caller thread's calls of one kind. */
    interface Caller {
        /** Before a round, outside its time. */
        void prepare();

        void call() throws Exception;

        /** After a round: fails the run if a call gave the wrong answer. */
        void check();
    }

    /**
     * The measured pairs: each kind's rate per pair, and the ratios; with the JIT's CPU ticks before and after them
     * ({@link JitCpuProfiler#sample()}) and their wall time.
     */
    record Pairs(double[] firstRates, double[] secondRates, double[] ratios, long[] jitBefore, long[] jitAfter,
                 long wallMillis) {

        /** Puts the JIT's share over the measured pairs into a child JVM's figures. */
        void putShares(Properties figures) {
            JitCpuProfiler.putShares(figures, jitBefore, jitAfter, wallMillis);
        }
    }

    private final int threads;
    private final long roundNanos;
    private final List<IntFunction<Caller>> kinds;
    private final Caller[][] callers;
    private final Samples[][] samples;

    /**
     * @param threads     the caller threads of every round
     * @param roundMillis the length of a round
     * @param first       caller {@code thread}'s calls of the first kind, by thread
     * @param second      the same of the second kind
     */
    TimedRounds(int threads, long roundMillis, IntFunction<Caller> first, IntFunction<Caller> second) {
        this.threads = threads;
        this.roundNanos = roundMillis * 1_000_000L;
        this.kinds = List.of(first, second);
        this.callers = new Caller[2][threads];
        this.samples = new Samples[2][threads];
        for (int kind = 0; kind < 2; kind++) {
            for (int t = 0; t < threads; t++) {
                callers[kind][t] = kinds.get(kind).apply(t);
                samples[kind][t] = new Samples();
            }
        }
    }

    /** {@code warmUpRounds} unmeasured rounds, then {@code count} measured pairs, each printed as it ends. */
    Pairs run(int warmUpRounds, int count, String firstName, String secondName) throws InterruptedException {
        for (int r = 0; r < warmUpRounds; r++) {
            round(r % 2, false);
        }
        long[] jitBefore = JitCpuProfiler.sample();
        long start = System.nanoTime();
        double[] firstRates = new double[count];
        double[] secondRates = new double[count];
        double[] ratios = new double[count];
        for (int k = 0; k < count; k++) {
            boolean firstFirst = k % 2 == 0;
            double a = round(firstFirst ? 0 : 1, true);
            double b = round(firstFirst ? 1 : 0, true);
            firstRates[k] = firstFirst ? a : b;
            secondRates[k] = firstFirst ? b : a;
            ratios[k] = firstRates[k] / secondRates[k];
            System.out.printf(Locale.ROOT, "# pair %d: %s %,.0f/s, %s %,.0f/s, ratio %.3f%n", k + 1, firstName,
                    firstRates[k], secondName, secondRates[k], ratios[k]);
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000L;
        return new Pairs(firstRates, secondRates, ratios, jitBefore, JitCpuProfiler.sample(), wallMillis);
    }

    /**
     * One round of {@code kind} (0 the first, 1 the second) on every caller thread.
     *
     * @param measured whether to keep the calls' latencies
     * @return the round's calls per second
     */
    double round(int kind, boolean measured) throws InterruptedException {
        long[] startAndDeadline = new long[2];
        CyclicBarrier go = new CyclicBarrier(threads, () -> {
            startAndDeadline[0] = System.nanoTime();
            startAndDeadline[1] = startAndDeadline[0] + roundNanos;
        });
        long[] calls = new long[threads];
        long[] lastEnd = new long[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    Caller caller = callers[kind][thread];
                    caller.prepare();
                    Samples latencies = measured ? samples[kind][thread] : null;
                    go.await();
                    long deadline = startAndDeadline[1];
                    long end;
                    long n = 0;
                    do {
                        long begin = System.nanoTime();
                        caller.call();
                        end = System.nanoTime();
                        n++;
                        if (latencies != null) {
                            latencies.add(end - begin);
                        }
                    } while (end < deadline);
                    calls[thread] = n;
                    lastEnd[thread] = end;
                    caller.check();
                } catch (Throwable e) { // the barrier's own exceptions too: the round fails with the first cause
                    failure.compareAndSet(null, e);
                    go.reset();
                }
            }, "round-" + kind + "-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A round of kind " + kind + " failed", failure.get());
        }
        long total = 0;
        long end = 0;
        for (int t = 0; t < threads; t++) {
            total += calls[t];
            end = Math.max(end, lastEnd[t]);
        }
        return total * 1e9 / (end - startAndDeadline[0]);
    }

    /** Every latency of the measured rounds of {@code kind}, in nanoseconds, sorted. */
    long[] merged(int kind) {
        int size = 0;
        for (Samples thread : samples[kind]) {
            size += thread.size;
        }
        long[] all = new long[size];
        int at = 0;
        for (Samples thread : samples[kind]) {
            System.arraycopy(thread.values, 0, all, at, thread.size);
            at += thread.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** The value at quantile {@code q} of sorted values (nearest rank). */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** One thread's latencies of one kind, in nanoseconds. */
    private static final class Samples {
        long[] values = new long[1 << 16];
        int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }
    }
}
