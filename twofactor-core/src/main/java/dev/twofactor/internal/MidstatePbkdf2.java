package dev.twofactor.internal;

import java.util.Arrays;

/**
 * PBKDF2-HMAC-SHA256 from the password's HMAC midstates, the body of {@link Hotp#pbkdf2Sha256} (which documents it):
 * a capability of its own beside TOTP's HMAC, on the same per-thread compressor and prepared keys.
 */
final class MidstatePbkdf2 {

    private MidstatePbkdf2() {
    }

    static byte[] sha256(byte[] password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        Hotp.Hash hash = Hotp.Hash.SHA256;
        MidstateLanes lanes = hash.thisThread().lanes;
        JdkCompression compression = lanes == null ? null : lanes.first();
        if (compression == null || salt.length > Hotp.PBKDF2_MAX_SALT || !JdkCompression.jdkPbkdf2IsFirst()) {
            return null;
        }
        Hotp.Key key = Hotp.Key.derive(hash, password);
        int words = hash.length() / Integer.BYTES;
        // U1 = HMAC(P, S || INT(1)): the message fits the block after the inner pad.
        byte[] first = MidstateLanes.finalBlock(salt.length + 4);
        System.arraycopy(salt, 0, first, 0, salt.length);
        JdkCompression.INT_BE.set(first, salt.length, 1);
        // Every later U_j = HMAC(P, U_j-1), and every outer hash, is a 32-byte message: the same padded block.
        byte[] inner = MidstateLanes.finalBlock(hash.length());
        byte[] outer = MidstateLanes.finalBlock(hash.length());
        int[] sum = new int[words];
        try {
            int[] state = compression.compress(key.innerState, first);
            for (int j = 1; ; j++) {
                JdkCompression.putBigEndian(state, outer);
                state = compression.compress(key.outerState, outer);
                for (int i = 0; i < words; i++) {
                    sum[i] ^= state[i];
                }
                if (j == iterations) {
                    break;
                }
                JdkCompression.putBigEndian(state, inner);
                state = compression.compress(key.innerState, inner);
            }
            byte[] derived = new byte[hash.length()];
            JdkCompression.putBigEndian(sum, derived);
            return derived;
        } finally {
            // The key, its pads and midstates are password-equivalent and this call's alone: wipe them all.
            Arrays.fill(key.innerPad, (byte) 0);
            Arrays.fill(key.outerPad, (byte) 0);
            Arrays.fill(key.innerState, 0);
            Arrays.fill(key.outerState, 0);
            compression.wipe();
            Arrays.fill(first, (byte) 0);
            Arrays.fill(inner, (byte) 0);
            Arrays.fill(outer, (byte) 0);
            Arrays.fill(sum, 0);
        }
    }
}
