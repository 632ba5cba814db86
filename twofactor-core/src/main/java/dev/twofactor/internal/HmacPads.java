package dev.twofactor.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The HMAC pad blocks (RFC 2104) built, and key-derived buffers wiped, eight bytes per store: byte-wise XORs into
 * filled pads took a store per byte, which showed in a check that prepares its key on every call.
 */
final class HmacPads {

    /** Eight bytes of a {@code byte[]} at once. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long INNER_PAD = 0x3636363636363636L;
    private static final long OUTER_PAD = 0x5c5c5c5c5c5c5c5cL;

    private HmacPads() {
    }

    /**
     * Writes both pads in one pass: the key's {@code size} bytes from {@code start} (zeros past its end) XORed with
     * 0x36 into {@code inner} and with 0x5c into {@code outer}, whose length (a multiple of eight, at least
     * {@code size}) is the block size.
     */
    static void fill(byte[] material, int start, int size, byte[] inner, byte[] outer) {
        for (int j = 0; j < inner.length; j += Long.BYTES) {
            long word;
            if (j + Long.BYTES <= size) {
                word = (long) LONG_LE.get(material, start + j);
            } else {
                word = 0;
                for (int i = j; i < size; i++) {
                    word |= (material[start + i] & 0xffL) << ((i - j) << 3);
                }
            }
            LONG_LE.set(inner, j, word ^ INNER_PAD);
            LONG_LE.set(outer, j, word ^ OUTER_PAD);
        }
    }

    /** Overwrites the first {@code length} bytes with zeros, eight at a time. */
    static void zero(byte[] bytes, int length) {
        int j = 0;
        for (; j + Long.BYTES <= length; j += Long.BYTES) {
            LONG_LE.set(bytes, j, 0L);
        }
        for (; j < length; j++) {
            bytes[j] = 0;
        }
    }
}
