package dev.twofactor.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    private static final MethodHandle COMPRESS = compress();

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final int[] INITIAL = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

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
        if (COMPRESS == null) {
            throw new IllegalStateException("This fork lacks --add-opens " + BenchmarkMain.OPENS);
        }
        SplittableRandom random = new SplittableRandom(64);
        Class<?> type = Class.forName("sun.security.provider.SHA");
        MethodHandle getter = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                .findGetter(type, "state", int[].class);
        for (int d = 0; d < 3; d++) {
            sha[d] = type.getDeclaredConstructor().newInstance();
            state[d] = (int[]) getter.invoke(sha[d]);
            finalBlock(innerBlock[d], 8);
            finalBlock(outerBlock[d], 20);
        }
        byte[] key = new byte[20];
        random.nextBytes(key);
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
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

    private static void finalBlock(byte[] into, int length) {
        into[length] = (byte) 0x80;
        long bits = (64L + length) * 8;
        for (int i = 0; i < 8; i++) {
            into[63 - i] = (byte) (bits >>> (8 * i));
        }
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

    private static void counter(byte[] block, long c) {
        INT_BE.set(block, 0, (int) (c >>> 32));
        INT_BE.set(block, 4, (int) c);
    }

    private static void digestInto(int[] s, byte[] block) {
        for (int i = 0; i < 5; i++) {
            INT_BE.set(block, i * 4, s[i]);
        }
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
        counter(innerBlock[0], t - 1);
        counter(innerBlock[1], t);
        compress(0, innerState, innerBlock[0]);
        compress(1, innerState, innerBlock[1]);
        digestInto(state[0], outerBlock[0]);
        digestInto(state[1], outerBlock[1]);
        compress(0, outerState, outerBlock[0]);
        compress(1, outerState, outerBlock[1]);
        int sum = state[0][4] + state[1][4];
        counter(innerBlock[0], t + 1);
        compress(0, innerState, innerBlock[0]);
        digestInto(state[0], outerBlock[0]);
        compress(0, outerState, outerBlock[0]);
        return sum + state[0][4];
    }

    /** Three digests: all inner compressions back to back, then all outer ones. */
    private int stepsThree() throws Throwable {
        long t = step++;
        for (int d = 0; d < 3; d++) {
            counter(innerBlock[d], t - 1 + d);
        }
        for (int d = 0; d < 3; d++) {
            compress(d, innerState, innerBlock[d]);
        }
        for (int d = 0; d < 3; d++) {
            digestInto(state[d], outerBlock[d]);
        }
        for (int d = 0; d < 3; d++) {
            compress(d, outerState, outerBlock[d]);
        }
        return state[0][4] + state[1][4] + state[2][4];
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

    private static MethodHandle compress() {
        try {
            Class<?> type = Class.forName("sun.security.provider.SHA");
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findVirtual(type, "implCompress", MethodType.methodType(void.class, byte[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
