package dev.twofactor.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * The JIT's share of a fork's CPU time during each measurement iteration, for the "both warm" rule of
 * {@link FairRatios}: the CPU time of the JIT compiler threads and of the whole fork, read from Linux's
 * {@code /proc/self/task/*&#47;stat} and {@code /proc/self/stat} before and after the iteration, and the wall time
 * between the two readings.
 *
 * <p>JMH's own compiler profiler reports HotSpot's total compilation time, which is the wall time of each
 * compilation, added when the compilation ends. On a machine with fewer cores than runnable threads (8 benchmark
 * threads on 2 cores, or any benchmark on a loaded machine) a compiler thread waits for a core most of that time, so a
 * compilation's wall time is many times its work, and a compilation started in the warm-up is counted whole in the
 * measurement iteration in which it ends; the C1 and C2 threads' times add up, so the share can exceed 100 %. CPU
 * time counts only the work the compilers did while the iteration ran, against the work the fork did: a fork whose
 * compilers used little of its CPU is running its compiled code. Elsewhere than on Linux nothing is reported, and
 * {@link FairRatios} falls back to JMH's figure.
 */
public final class JitCpuProfiler implements InternalProfiler {

    /** CPU milliseconds of the JIT compiler threads during a measurement iteration. */
    static final String COMPILER = "jit.cpu.compiler";

    /** CPU milliseconds of the whole fork during a measurement iteration. */
    static final String PROCESS = "jit.cpu.process";

    /** Wall-clock milliseconds of a measurement iteration, from before it to after it. */
    static final String WALL = "jit.cpu.wall";

    private static final Path TASKS = Path.of("/proc/self/task");

    private Map<String, Long> compilerAtStart;
    private long processAtStart;
    private long wallAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the JIT compiler threads against the fork's, per measurement iteration";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        compilerAtStart = compilerTicks();
        processAtStart = compilerAtStart == null ? -1 : ticks(Path.of("/proc/self/stat"));
        wallAtStart = System.nanoTime();
    }

    @Override
    @SuppressWarnings("rawtypes")   // InternalProfiler's signature names the raw Result
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long wall = System.nanoTime() - wallAtStart;
        Map<String, Long> compilerNow = compilerTicks();
        long processNow = ticks(Path.of("/proc/self/stat"));
        if (iterationParams.getType() != IterationType.MEASUREMENT || compilerAtStart == null || compilerNow == null
                || processAtStart < 0 || processNow < 0) {
            return List.of();
        }
        long compiler = 0;
        for (Map.Entry<String, Long> thread : compilerNow.entrySet()) {
            // A compiler thread started during the iteration counts from zero.
            compiler += thread.getValue() - compilerAtStart.getOrDefault(thread.getKey(), 0L);
        }
        double millisPerTick = 1000.0 / TICKS_PER_SECOND;
        return List.of(
                new ScalarResult(COMPILER, compiler * millisPerTick, "ms", AggregationPolicy.SUM),
                new ScalarResult(PROCESS, (processNow - processAtStart) * millisPerTick, "ms", AggregationPolicy.SUM),
                new ScalarResult(WALL, wall / 1e6, "ms", AggregationPolicy.SUM));
    }

    /**
     * The compiler threads' and the fork's CPU ticks now, or {@code null} without {@code /proc}; for
     * {@link QuietWarmUp}, which watches them between two samples.
     */
    static long[] sample() {
        Map<String, Long> compiler = compilerTicks();
        long process = ticks(Path.of("/proc/self/stat"));
        if (compiler == null || process < 0) {
            return null;
        }
        long sum = 0;
        for (long ticks : compiler.values()) {
            sum += ticks;
        }
        return new long[] {sum, process};
    }

    /**
     * Puts the JIT's share between two {@link #sample()}s into a child JVM's figures ({@link ChildJvm}):
     * {@code jit.cpu.share}, the compiler threads' CPU time over the process's, and {@code jit.wall.share}, over the
     * wall time; both 0 when {@code /proc} gave nothing or no CPU time passed.
     */
    static void putShares(Properties figures, long[] before, long[] after, long wallMillis) {
        boolean known = before != null && after != null && after[1] > before[1];
        figures.setProperty("jit.cpu.share", Double.toString(known
                ? (double) (after[0] - before[0]) / (after[1] - before[1]) : 0));
        figures.setProperty("jit.wall.share", Double.toString(known
                ? (after[0] - before[0]) * (1000.0 / TICKS_PER_SECOND) / Math.max(1, wallMillis) : 0));
    }

    /** Linux's clock ticks per second for {@code /proc} CPU times (USER_HZ, 100 on every common platform). */
    private static final int TICKS_PER_SECOND = 100;

    /** @return CPU ticks of each JIT compiler thread by thread id, or {@code null} without {@code /proc} */
    private static Map<String, Long> compilerTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread0", ...; Linux keeps 15 characters.
                if (name.contains("CompilerThre")) {
                    ticks.put(task.getFileName().toString(), cpuTicks(stat));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    private static long ticks(Path stat) {
        try {
            return cpuTicks(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime: fields 14 and 15 of a {@code stat} line, counted after the command name's parenthesis. */
    private static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
