package dev.twofactor.benchmarks;

import static dev.twofactor.benchmarks.Sha1Blocks.COMPRESS;
import static dev.twofactor.benchmarks.Sha1Blocks.INITIAL;
import static dev.twofactor.benchmarks.Sha1Blocks.counter;
import static dev.twofactor.benchmarks.Sha1Blocks.digestInto;
import static dev.twofactor.benchmarks.Sha1Blocks.finalBlock;
import static dev.twofactor.benchmarks.Sha1Blocks.newDigest;
import static dev.twofactor.benchmarks.Sha1Blocks.pads;
import static dev.twofactor.benchmarks.Sha1Blocks.requireCompress;
import static dev.twofactor.benchmarks.Sha1Blocks.stateOf;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Diagnostic, not part of the report: whether the CPU overlaps the independent SHA-1 block compressions of one
 * constant-time window check when they run on separate JDK digest objects (separate chaining states and blocks)
 * and are issued back to back, rather than one after another through one digest's state.
 *
 * <p>A check of steps -1, 0, +1 from raw key bytes is 8 compressions of dependency depth 3: the inner and outer pad
 * blocks (independent of each other), then the 3 inner hashes of the counters (independent of each other), then the
 * 3 outer hashes. {@link #windowSerial} runs them as the engine did before its lanes, through one digest, each
 * step's inner then outer; {@link #windowTwo} and {@link #windowThree} issue each independent group back to back on 2
 * or 3 digests (the engine now does as {@link #windowThree}). The {@code held*} rows are the 6 compressions of a check
 * with the midstates already derived.
 *
 * <pre>
 * java -cp benchmarks.jar org.openjdk.jmh.Main Sha1ParallelismBenchmark \
 *     -jvmArgsAppend --add-opens=java.base/sun.security.provider=ALL-UNNAMED
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Sha1ParallelismBenchmark {

    /** Three digests, each with its own state, inner block and outer block. */
    private final Object[] sha = new Object[3];
    private final int[][] state = new int[3][];
    private final byte[][] innerBlock = new byte[3][64];
    private final byte[][] outerBlock = new byte[3][64];

    private final byte[] innerPad = new byte[64];
    private final byte[] outerPad = new byte[64];
    private final int[] innerState = new int[5];
    private final int[] outerState = new int[5];
    private long step = 56_666_666L;

    @Setup
    public void setUp() throws Throwable {
        requireCompress();
        SplittableRandom random = new SplittableRandom(64);
        for (int d = 0; d < 3; d++) {
            sha[d] = newDigest();
            state[d] = stateOf(sha[d]);
            finalBlock(innerBlock[d], 8);
            finalBlock(outerBlock[d], 20);
        }
        byte[] key = new byte[20];
        random.nextBytes(key);
        pads(key, innerPad, outerPad);
        derive();
        // All variants compute the same window.
        long before = step;
        int serial = windowSerial();
        step = before;
        if (windowTwo() != serial || windowThreeAgain(before) != serial) {
            throw new IllegalStateException("The variants disagree");
        }
    }

    private int windowThreeAgain(long at) throws Throwable {
        step = at;
        return windowThree();
    }

    private void compress(int d, int[] from, byte[] block) throws Throwable {
        System.arraycopy(from, 0, state[d], 0, 5);
        COMPRESS.invokeExact(sha[d], block, 0);
    }

    private void derive() throws Throwable {
        compress(0, INITIAL, innerPad);
        System.arraycopy(state[0], 0, innerState, 0, 5);
        compress(0, INITIAL, outerPad);
        System.arraycopy(state[0], 0, outerState, 0, 5);
    }

    private void deriveParallel() throws Throwable {
        compress(0, INITIAL, innerPad);
        compress(1, INITIAL, outerPad);
        System.arraycopy(state[0], 0, innerState, 0, 5);
        System.arraycopy(state[1], 0, outerState, 0, 5);
    }

    /** Today: one digest, step after step, inner then outer. */
    private int stepsSerial() throws Throwable {
        long t = step++;
        int sum = 0;
        int[] s = state[0];
        for (long c = t - 1; c <= t + 1; c++) {
            counter(innerBlock[0], c);
            compress(0, innerState, innerBlock[0]);
            digestInto(s, outerBlock[0]);
            compress(0, outerState, outerBlock[0]);
            sum += s[4];
        }
        return sum;
    }

    /** Two digests: steps -1 and 0 side by side, then step +1 alone. */
    private int stepsTwo() throws Throwable {
        long t = step++;
        return stepsSideBySide(t - 1, 2) + stepsSideBySide(t + 1, 1);
    }

    /** Steps {@code from} to {@code from + lanes - 1} on digests 0 to {@code lanes - 1}: inner hashes, then outer. */
    private int stepsSideBySide(long from, int lanes) throws Throwable {
        for (int d = 0; d < lanes; d++) {
            counter(innerBlock[d], from + d);
        }
        for (int d = 0; d < lanes; d++) {
            compress(d, innerState, innerBlock[d]);
        }
        for (int d = 0; d < lanes; d++) {
            digestInto(state[d], outerBlock[d]);
        }
        for (int d = 0; d < lanes; d++) {
            compress(d, outerState, outerBlock[d]);
        }
        int sum = 0;
        for (int d = 0; d < lanes; d++) {
            sum += state[d][4];
        }
        return sum;
    }

    /** Three digests: all inner compressions back to back, then all outer ones. */
    private int stepsThree() throws Throwable {
        return stepsSideBySide(step++ - 1, 3);
    }

    @Benchmark
    public int windowSerial() throws Throwable {
        derive();
        return stepsSerial();
    }

    @Benchmark
    public int windowTwo() throws Throwable {
        deriveParallel();
        return stepsTwo();
    }

    @Benchmark
    public int windowThree() throws Throwable {
        deriveParallel();
        return stepsThree();
    }

    @Benchmark
    public int heldSerial() throws Throwable {
        return stepsSerial();
    }

    @Benchmark
    public int heldTwo() throws Throwable {
        return stepsTwo();
    }

    @Benchmark
    public int heldThree() throws Throwable {
        return stepsThree();
    }
}
