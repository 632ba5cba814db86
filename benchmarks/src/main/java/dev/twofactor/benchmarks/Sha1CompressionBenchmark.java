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

import java.security.DigestException;
import java.security.MessageDigest;
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
 * The floor under targets 2 and 3: SHA-1 block compressions by the JDK, the unit of work of every HMAC-SHA1, alone
 * and in the shape a constant-time check of a window of one step either side needs them.
 *
 * <p>One compression, three ways, through the call twofactor's engine makes with
 * {@code --add-opens java.base/sun.security.provider} ({@code sun.security.provider.SHA.implCompress}, which the JIT
 * replaces with the CPU's SHA instructions where it has them):
 * <ul>
 *   <li>{@link #implCompress}: the same block again and again into the digest's own state, each compression starting
 *       from the state the previous one left (the chain runs through the state; the message schedule of the next
 *       block, being the same block, can be computed ahead);
 *   <li>{@link #independent}: each compression from the same fixed state, so that none waits for another and the
 *       CPU overlaps consecutive ones: throughput, the most optimistic figure;
 *   <li>{@link #chained}: each compression from a fixed state over a block that starts with the previous
 *       compression's result, as HMAC's outer hash hashes the inner one: latency, where nothing can be computed
 *       ahead.
 * </ul>
 * and {@link #messageDigest}, one 64-byte block fed to a {@code MessageDigest} (one compression through the public
 * API, as without the flag).
 *
 * <p>The floor itself is measured whole rather than multiplied: {@link #window} is the 8 compressions a check of
 * steps -1, 0, +1 from raw key bytes needs (2 for the key's inner and outer midstates, then per step the inner hash
 * of the counter and the outer hash of that inner hash) with their real dependencies and nothing around them but the
 * state copies and the one write of each inner hash into its outer block that chaining them takes, in the order the
 * engine issues them: the independent ones side by side on digests of their own (both pad blocks, then the three
 * inner hashes, then the three outer ones), which the CPU overlaps ({@link Sha1ParallelismBenchmark} compares that
 * with one digest for all 8);
 * {@link #windowMessageDigest} is the 12 compressions the same check needs over {@code MessageDigest}, which cannot
 * resume from a midstate (both pad blocks are hashed again for every step, as the JDK's own {@code HmacCore} does).
 * {@link PerCallTargets} prints them as the floors of targets 2 and 3.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Sha1CompressionBenchmark {

    private final byte[] block = new byte[64];
    private Object sha;
    private int[] state;
    private MessageDigest digest;

    // The window: the key's padded blocks, the midstates after them, the last blocks of the inner hash of an 8-byte
    // counter and of the outer hash of a 20-byte inner hash (SHA-1 padding in place), and the counters' step.
    private final byte[] innerPad = new byte[64];
    private final byte[] outerPad = new byte[64];
    private final int[] innerState = new int[5];
    private final int[] outerState = new int[5];
    // Per digest of the window (the three steps side by side): its own state and blocks.
    private final Object[] lanes = new Object[3];
    private final int[][] laneStates = new int[3][];
    private final byte[][] innerBlocks = new byte[3][64];
    private final byte[][] outerBlocks = new byte[3][64];
    private final byte[] counterBlock = new byte[8];
    private final byte[] out = new byte[20];
    private long step = 56_666_666L;

    @Setup
    public void setUp() throws Throwable {
        requireCompress();
        SplittableRandom random = new SplittableRandom(64);
        random.nextBytes(block);
        sha = newDigest();
        state = stateOf(sha);
        for (int d = 0; d < lanes.length; d++) {
            lanes[d] = newDigest();
            laneStates[d] = stateOf(lanes[d]);
            finalBlock(innerBlocks[d], 8);
            finalBlock(outerBlocks[d], 20);
        }
        digest = MessageDigest.getInstance("SHA-1");
        // Both must be the SUN provider's SHA-1, the class whose compression the engine calls.
        if (!digest.getProvider().getName().equals("SUN")) {
            throw new IllegalStateException("SHA-1 comes from " + digest.getProvider().getName() + ", not SUN");
        }
        byte[] key = new byte[20];
        random.nextBytes(key);
        pads(key, innerPad, outerPad);
    }

    @Benchmark
    public Object implCompress() throws Throwable {
        COMPRESS.invokeExact(sha, block, 0);
        return sha;
    }

    @Benchmark
    public Object independent() throws Throwable {
        System.arraycopy(INITIAL, 0, state, 0, 5);
        COMPRESS.invokeExact(sha, block, 0);
        return sha;
    }

    @Benchmark
    public Object chained() throws Throwable {
        digestInto(state, block);
        System.arraycopy(INITIAL, 0, state, 0, 5);
        COMPRESS.invokeExact(sha, block, 0);
        return sha;
    }

    /** The 8 compressions of a constant-time +-1 check from raw key bytes, with their dependencies. */
    @Benchmark
    public int window() throws Throwable {
        compressFrom(0, INITIAL, innerPad);
        compressFrom(1, INITIAL, outerPad);
        System.arraycopy(laneStates[0], 0, innerState, 0, 5);
        System.arraycopy(laneStates[1], 0, outerState, 0, 5);
        long t = step++;
        for (int d = 0; d < 3; d++) {
            counter(innerBlocks[d], t - 1 + d);
        }
        for (int d = 0; d < 3; d++) {
            compressFrom(d, innerState, innerBlocks[d]);
        }
        for (int d = 0; d < 3; d++) {
            digestInto(laneStates[d], outerBlocks[d]);
        }
        int sum = 0;
        for (int d = 0; d < 3; d++) {
            compressFrom(d, outerState, outerBlocks[d]);
        }
        for (int d = 0; d < 3; d++) {
            sum += laneStates[d][4];
        }
        return sum;
    }

    private void compressFrom(int lane, int[] from, byte[] b) throws Throwable {
        System.arraycopy(from, 0, laneStates[lane], 0, 5);
        COMPRESS.invokeExact(lanes[lane], b, 0);
    }

    @Benchmark
    public MessageDigest messageDigest() {
        // A whole block into an empty buffer: compressed at once, nothing copied, never padded nor finished.
        digest.update(block, 0, 64);
        return digest;
    }

    /** The 12 compressions of the same check over {@code MessageDigest}: four per HMAC, as {@code HmacCore}. */
    @Benchmark
    public int windowMessageDigest() throws DigestException {
        MessageDigest md = digest;
        long t = step++;
        int sum = 0;
        for (long c = t - 1; c <= t + 1; c++) {
            counter(counterBlock, c);
            md.update(innerPad, 0, 64);
            md.update(counterBlock, 0, 8);
            md.digest(out, 0, 20);
            md.update(outerPad, 0, 64);
            md.update(out, 0, 20);
            md.digest(out, 0, 20);
            sum += out[19];
        }
        return sum;
    }
}
