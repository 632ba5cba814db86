package dev.twofactor.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the SHA-1 block benchmarks share: the JDK's SHA-1 compression reached with {@code --add-opens
 * java.base/sun.security.provider}, SHA-1's initial chaining value, and the blocks of an HMAC-SHA1 over one padded key
 * block. {@link Sha1CompressionBenchmark} and {@link Sha1ParallelismBenchmark} drive it in their own shapes.
 */
final class Sha1Blocks {

    /**
     * The JDK's SHA-1 {@code implCompress(byte[], int)}, typed {@code (Object, byte[], int) void}; null without the
     * flag.
     */
    static final MethodHandle COMPRESS = compress();

    /** Big-endian ints in a byte array, as SHA-1 reads and writes its words. */
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** SHA-1's initial chaining value (FIPS 180-4 section 5.3.1). */
    static final int[] INITIAL = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

    private static final String SHA = "sun.security.provider.SHA";

    private Sha1Blocks() {
    }

    /** Fails the fork's set-up with the reason when it lacks the flag the compression needs. */
    static void requireCompress() {
        if (COMPRESS == null) {
            throw new IllegalStateException("This fork lacks --add-opens " + BenchmarkMain.OPENS
                    + ": the JDK's SHA-1 compression cannot be reached");
        }
    }

    /** A new digest of the SUN provider's SHA-1 class, the object {@link #COMPRESS} works on. */
    static Object newDigest() throws ReflectiveOperationException {
        return Class.forName(SHA).getDeclaredConstructor().newInstance();
    }

    /** The chaining state {@code digest} compresses into (its own array, not a copy). */
    static int[] stateOf(Object digest) throws Throwable {
        Class<?> type = Class.forName(SHA);
        return (int[]) MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                .findGetter(type, "state", int[].class).invoke(digest);
    }

    /** SHA-1 padding for a message of one pad block and {@code length} more bytes, message bytes left 0. */
    static void finalBlock(byte[] into, int length) {
        into[length] = (byte) 0x80;
        long bits = (64L + length) * 8;
        for (int i = 0; i < 8; i++) {
            into[63 - i] = (byte) (bits >>> (8 * i));
        }
    }

    /** HMAC's inner and outer pad blocks of {@code key} (at most 64 bytes) into the two 64-byte arrays. */
    static void pads(byte[] key, byte[] innerPad, byte[] outerPad) {
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** Writes the 64-bit counter {@code c} big-endian into the first 8 bytes of {@code block}. */
    static void counter(byte[] block, long c) {
        INT_BE.set(block, 0, (int) (c >>> 32));
        INT_BE.set(block, 4, (int) c);
    }

    /** Writes the 5 words of chaining state {@code s} big-endian into the first 20 bytes of {@code block}. */
    static void digestInto(int[] s, byte[] block) {
        for (int i = 0; i < 5; i++) {
            INT_BE.set(block, i * 4, s[i]);
        }
    }

    private static MethodHandle compress() {
        try {
            Class<?> type = Class.forName(SHA);
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findVirtual(type, "implCompress", MethodType.methodType(void.class, byte[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
