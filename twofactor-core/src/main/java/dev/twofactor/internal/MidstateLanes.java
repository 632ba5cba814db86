package dev.twofactor.internal;

/**
 * The midstate path's HMACs computed side by side: {@value #LANES} compressors of the JDK's, each with its own
 * chaining state and its own blocks, so that compressions that do not depend on each other do not wait for each other
 * either. A window check's HMACs are independent of each other, and so are a key's inner and outer pad blocks; with
 * one compressor, every compression reused the state array and the blocks the previous one had just written, and the
 * CPU, which forwards none of those narrow stores to the compression's 16-byte loads, ran them one after another.
 * Issued back to back on separate states (every inner hash of the batch, then every outer hash), the CPU overlaps
 * them: 8 SHA-1 compressions of a check from raw key bytes took about 11 % less time, the 6 of a held key about 14 %
 * less ({@code Sha1ParallelismBenchmark}). The work is the same, compression for compression; only the order and
 * the buffers differ, and the results are those of one HMAC after another.
 *
 * <p>Belongs to one {@link Hotp} instance, so to one thread, like the compressor it starts from; it holds key-derived
 * state (the chaining states, the inner hashes left in the outer blocks) only until {@link #wipe()}.
 */
final class MidstateLanes {

    /** How many HMACs {@link #truncate(int[], int[], long, long, long, int, int[])} computes at once, at most. */
    static final int LANES = 3;

    /** The block size of SHA-1 and SHA-256, the hashes with this path. */
    private static final int BLOCK = 64;

    private final JdkCompression[] compressions;
    // Each compressor's own chaining state (JdkCompression.compress returns it), cached for the batch's loops.
    private final int[][] states;
    // Per lane, the final (padded) blocks of the inner hash of an 8-byte counter and of the outer hash of an inner
    // hash; only their first bytes change between MACs.
    private final byte[][] innerBlocks;
    private final byte[][] outerBlocks;
    private final int words;

    private MidstateLanes(Hotp.Hash hash, JdkCompression[] compressions) {
        this.compressions = compressions;
        this.words = hash.length() / Integer.BYTES;
        this.states = new int[LANES][];
        this.innerBlocks = new byte[LANES][];
        this.outerBlocks = new byte[LANES][];
        for (int lane = 0; lane < LANES; lane++) {
            states[lane] = compressions[lane].state();
            innerBlocks[lane] = finalBlock(8);
            outerBlocks[lane] = finalBlock(hash.length());
        }
    }

    /**
     * Returns the last block of a hash over one pad block and {@code messageLength} more bytes, SHA padding in place
     * and the message bytes still 0.
     *
     * @param messageLength the message's length after the pad block, at most 55 bytes
     * @return a new 64-byte block
     */
    static byte[] finalBlock(int messageLength) {
        byte[] block = new byte[BLOCK];
        block[messageLength] = (byte) 0x80;
        long bits = (BLOCK + messageLength) * 8L;
        for (int i = 0; i < 8; i++) {
            block[BLOCK - 1 - i] = (byte) (bits >>> (8 * i));
        }
        return block;
    }

    /**
     * Creates the lanes of one thread's HMAC state, the first on the compressor that passed the hash's known-answer
     * check and the others on new compressors of the same JDK class.
     *
     * @param hash  the hash function
     * @param first the thread's compressor, chosen by {@link JdkCompression#choose}; {@code null} if there is none
     * @return the lanes, or {@code null} if {@code first} is or the JDK refuses to make another compressor
     */
    static MidstateLanes create(Hotp.Hash hash, JdkCompression first) {
        if (first == null) {
            return null;
        }
        JdkCompression[] compressions = new JdkCompression[LANES];
        compressions[0] = first;
        for (int lane = 1; lane < LANES; lane++) {
            compressions[lane] = JdkCompression.create(hash);
            if (compressions[lane] == null) {
                return null;
            }
        }
        return new MidstateLanes(hash, compressions);
    }

    /**
     * Returns the first lane's compressor, the one that passed the hash's known-answer check, for a computation of
     * its own (PBKDF2) on this thread.
     *
     * @return the compressor
     */
    JdkCompression first() {
        return compressions[0];
    }

    /**
     * Derives a key's midstates: the inner and outer pad blocks compressed from the hash's initial state, side by
     * side.
     *
     * @param innerPad   the key XOR ipad block
     * @param outerPad   the key XOR opad block
     * @param innerState receives the chaining state after the inner pad block
     * @param outerState receives the chaining state after the outer pad block
     */
    void derive(byte[] innerPad, byte[] outerPad, int[] innerState, int[] outerState) {
        JdkCompression inner = compressions[0];
        JdkCompression outer = compressions[1];
        inner.compress(inner.initialState(), innerPad);
        outer.compress(outer.initialState(), outerPad);
        inner.copyState(innerState);
        outer.copyState(outerState);
    }

    /**
     * One HMAC of an 8-byte counter from a key's midstates, truncated (RFC 4226 section 5.3), on the first lane.
     *
     * @param innerState the key's inner midstate
     * @param outerState the key's outer midstate
     * @param counter    the counter
     * @return the 31-bit truncated value
     */
    int truncate(int[] innerState, int[] outerState, long counter) {
        JdkCompression compression = compressions[0];
        byte[] inner = innerBlocks[0];
        byte[] outer = outerBlocks[0];
        JdkCompression.INT_BE.set(inner, 0, (int) (counter >>> 32));
        JdkCompression.INT_BE.set(inner, 4, (int) counter);
        int[] state = compression.compress(innerState, inner);
        JdkCompression.putBigEndian(state, outer);
        return truncation(compression.compress(outerState, outer));
    }

    /**
     * {@link #truncate(int[], int[], long)} of up to {@value #LANES} counters at once: every inner hash, then every
     * outer hash, each on its own lane.
     *
     * @param innerState the key's inner midstate
     * @param outerState the key's outer midstate
     * @param c0         the first counter
     * @param c1         the second counter, ignored if {@code count < 2}
     * @param c2         the third counter, ignored if {@code count < 3}
     * @param count      how many counters, 1 to {@value #LANES}
     * @param into       receives the truncated values, the first {@code count} entries written
     */
    void truncate(int[] innerState, int[] outerState, long c0, long c1, long c2, int count, int[] into) {
        JdkCompression[] lanes = compressions;
        byte[][] inner = innerBlocks;
        byte[][] outer = outerBlocks;
        int[][] state = states;
        for (int lane = 0; lane < count; lane++) {
            long counter = lane == 0 ? c0 : lane == 1 ? c1 : c2;
            JdkCompression.INT_BE.set(inner[lane], 0, (int) (counter >>> 32));
            JdkCompression.INT_BE.set(inner[lane], 4, (int) counter);
        }
        for (int lane = 0; lane < count; lane++) {
            lanes[lane].compress(innerState, inner[lane]);
        }
        for (int lane = 0; lane < count; lane++) {
            JdkCompression.putBigEndian(state[lane], outer[lane]);
        }
        for (int lane = 0; lane < count; lane++) {
            lanes[lane].compress(outerState, outer[lane]);
        }
        for (int lane = 0; lane < count; lane++) {
            into[lane] = truncation(state[lane]);
        }
    }

    /** RFC 4226 dynamic truncation on the big-endian words: the 4 bytes at the offset span words w and w + 1. */
    private int truncation(int[] state) {
        int offset = state[words - 1] & 0x0f;
        int w = offset >>> 2;
        long pair = (long) state[w] << 32 | (state[w + 1] & 0xffffffffL);
        return (int) (pair >>> (32 - ((offset & 3) << 3))) & 0x7fffffff;
    }

    /** Overwrites every lane's chaining state and the inner hash left in its outer block. */
    void wipe() {
        for (int lane = 0; lane < LANES; lane++) {
            compressions[lane].wipe();
            HmacPads.zero(outerBlocks[lane], words * Integer.BYTES);
        }
    }
}
