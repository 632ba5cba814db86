package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-call keys of {@link Hotp#beginPerCall} and {@link Hotp#beginBase32}: the same MACs as a prepared
 * {@link Hotp.Key}, and nothing derived from the key left in the thread's scratch space once the call is closed,
 * also when the key is refused.
 */
class HotpPerCallTest {

    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void perCallKeysGiveTheMacsOfAPreparedKeyAndAreWipedOnClose(Hotp.Hash hash) throws Exception {
        byte[] key = new byte[301];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        for (int length : new int[] {16, 20, 64, 65, 128, 129, 300}) {
            int[] expected = new int[3];
            try (Hotp hotp = Hotp.begin(Hotp.Key.derive(hash, Arrays.copyOfRange(key, 1, 1 + length)))) {
                for (int s = 0; s < 3; s++) {
                    expected[s] = hotp.truncate(59_638_112L + s);
                }
            }
            try (Hotp hotp = Hotp.beginPerCall(hash, key, 1, length)) {
                assertThat(scratchIsClear(hash)).as("scratch in use holds the prepared key").isFalse();
                for (int s = 0; s < 3; s++) {
                    assertThat(hotp.truncate(59_638_112L + s)).as("%d-byte key", length).isEqualTo(expected[s]);
                }
                // The batch, every lane in use: each lane's state and outer block must be wiped on close too.
                hotp.truncate(59_638_112L, 59_638_113L, 59_638_114L, Hotp.LANES);
                for (int s = 0; s < 3; s++) {
                    assertThat(hotp.truncated(s)).as("%d-byte key, lane %d", length, s).isEqualTo(expected[s]);
                }
            }
            assertThat(scratchIsClear(hash)).as("after a %d-byte key", length).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void base32KeysAreDecodedIntoScratchSpaceAndWipedOnCloseAndOnRefusal(Hotp.Hash hash) throws Exception {
        int expected;
        try (Hotp hotp = Hotp.begin(Hotp.Key.derive(hash, KEY))) {
            expected = hotp.truncate(1L);
        }
        try (Hotp hotp = Hotp.beginBase32(hash, KEY_BASE32, HotpPerCallTest::atLeast128)) {
            // The decoded text is wiped as soon as the key is prepared, before any MAC.
            assertThat(rawScratch(hash)).containsOnly(0);
            assertThat(hotp.truncate(1L)).isEqualTo(expected);
        }
        assertThat(scratchIsClear(hash)).isTrue();

        // Valid Base32 of a key too short for the bounds: refused, and the decoded bytes wiped.
        assertThatThrownBy(() -> Hotp.beginBase32(hash, KEY_BASE32, bits -> {
            throw new IllegalArgumentException("too short: " + bits);
        }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
        assertThat(scratchIsClear(hash)).isTrue();
        // Invalid text: refused before anything is written.
        assertThatThrownBy(() -> Hotp.beginBase32(hash, KEY_BASE32 + "!", HotpPerCallTest::atLeast128))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(KEY_BASE32);
        assertThat(scratchIsClear(hash)).isTrue();
        // The thread's instance is free again after each refusal.
        try (Hotp hotp = Hotp.beginBase32(hash, KEY_BASE32, HotpPerCallTest::atLeast128)) {
            assertThat(hotp.truncate(1L)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Hotp.Hash.class)
    void perCallKeysAreNotReentrant(Hotp.Hash hash) {
        try (Hotp hotp = Hotp.beginPerCall(hash, KEY, 0, KEY.length)) {
            assertThat(hotp).isNotNull();
            assertThatThrownBy(() -> Hotp.beginPerCall(hash, KEY, 0, KEY.length))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Hotp.beginBase32(hash, KEY_BASE32, HotpPerCallTest::atLeast128))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> Hotp.beginPerCall(hash, KEY, 10, KEY.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void atLeast128(int bits) {
        if (bits < 128) {
            throw new IllegalArgumentException("too short: " + bits);
        }
    }

    // --------------------------------------------------------------------------------------- the thread's state

    private static Object threadInstance(Hotp.Hash hash) throws ReflectiveOperationException {
        Field perThread = Hotp.Hash.class.getDeclaredField("perThread");
        perThread.setAccessible(true);
        WeakReference<?> ref = (WeakReference<?>) ((ThreadLocal<?>) perThread.get(hash)).get();
        Object hotp = ref == null ? null : ref.get();
        assertThat(hotp).as("this thread's Hotp (held strongly by the test while it runs)").isNotNull();
        return hotp;
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    private static byte[] rawScratch(Hotp.Hash hash) throws ReflectiveOperationException {
        byte[] raw = (byte[]) field(threadInstance(hash), "rawScratch");
        return raw == null ? new byte[0] : raw;
    }

    /**
     * Whether the scratch key's pads and midstates, the Base32 scratch, the last MAC and (on the midstate path) the
     * compressor's state and the inner hash in the outer block are all zero.
     */
    private static boolean scratchIsClear(Hotp.Hash hash) throws ReflectiveOperationException {
        Object scratch = field(threadInstance(hash), "scratch");
        assertThat(scratch).as("the thread's scratch key").isNotNull();
        boolean clear = isZero((byte[]) field(scratch, "innerPad")) && isZero((byte[]) field(scratch, "outerPad"));
        for (String state : new String[] {"innerState", "outerState"}) {
            int[] words = (int[]) field(scratch, state);
            clear &= words == null || Arrays.stream(words).allMatch(w -> w == 0);
        }
        // The instance's own buffers: the last MAC over MessageDigest, the last truncated values, and on the midstate
        // path every lane's chaining state and the inner hash left in its outer block (its padding is not secret).
        Object hotp = threadInstance(hash);
        clear &= isZero((byte[]) field(hotp, "out"));
        clear &= Arrays.stream((int[]) field(hotp, "truncated")).allMatch(w -> w == 0);
        Object lanes = field(hotp, "lanes");
        if (lanes != null) {
            for (Object compression : (Object[]) field(lanes, "compressions")) {
                clear &= Arrays.stream((int[]) field(compression, "state")).allMatch(w -> w == 0);
            }
            for (byte[] outerBlock : (byte[][]) field(lanes, "outerBlocks")) {
                clear &= isZero(Arrays.copyOf(outerBlock, hash.length()));
            }
        }
        return clear && isZero(rawScratch(hash));
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
