package dev.twofactor.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * The floor under targets 2 and 3: one SHA-1 block compression by the JDK, the unit of work of every HMAC-SHA1.
 * {@link #implCompress} calls the JDK's own compression ({@code sun.security.provider.SHA.implCompress}, which the
 * JIT replaces with the CPU's SHA instructions where it has them), as twofactor's engine does with
 * {@code --add-opens java.base/sun.security.provider}; {@link #messageDigest} feeds one 64-byte block to a
 * {@code MessageDigest} (one compression through the public API, as without the flag). A constant-time check of a
 * window of one step either side from raw key bytes needs at least 8 compressions (2 for the key's midstates, 2 per
 * step), so 8 times {@link #implCompress} is the least any such check can cost ({@link PerCallTargets} prints it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Sha1CompressionBenchmark {

    /** {@code implCompress(byte[], int)} of the JDK's SHA-1, typed {@code (Object, byte[], int) void}. */
    private static final MethodHandle COMPRESS = compress();

    private final byte[] block = new byte[64];
    private Object sha;
    private MessageDigest digest;

    @Setup
    public void setUp() throws Throwable {
        if (COMPRESS == null) {
            throw new IllegalStateException("This fork lacks --add-opens " + BenchmarkMain.OPENS
                    + ": the JDK's SHA-1 compression cannot be reached");
        }
        new SplittableRandom(64).nextBytes(block);
        sha = Class.forName("sun.security.provider.SHA").getDeclaredConstructor().newInstance();
        digest = MessageDigest.getInstance("SHA-1");
        // Both must be the SUN provider's SHA-1, the class whose compression the engine calls.
        if (!digest.getProvider().getName().equals("SUN")) {
            throw new IllegalStateException("SHA-1 comes from " + digest.getProvider().getName() + ", not SUN");
        }
    }

    @Benchmark
    public Object implCompress() throws Throwable {
        COMPRESS.invokeExact(sha, block, 0);
        return sha;
    }

    @Benchmark
    public MessageDigest messageDigest() {
        // A whole block into an empty buffer: compressed at once, nothing copied, never padded nor finished.
        digest.update(block, 0, 64);
        return digest;
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
