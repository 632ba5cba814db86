package dev.twofactor.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's own SHA-1 and SHA-256 block compression, started from a chaining state of the caller's choice: what HMAC
 * needs to hash the key's padded blocks once per key (the inner and outer "midstates", RFC 2104 section 4) instead of
 * on every MAC. Verifying a TOTP code with a window of one step either side then takes 6 block compressions instead
 * of 12. {@link MessageDigest} has no way to resume from a saved state without cloning a digest per MAC, which
 * allocates about a kilobyte per verification, so this reaches the compression inside {@code sun.security.provider}
 * directly. That is the very routine every {@code MessageDigest} and {@code Mac} for these hashes ends in, replaced by
 * the JVM with the CPU's SHA instructions where it has them.
 *
 * <p><b>Only when the JVM allows it.</b> Java's strong encapsulation keeps {@code sun.security.provider} closed; it is
 * used only when the application opens it to twofactor, with
 * {@code --add-opens java.base/sun.security.provider=dev.twofactor} on the module path,
 * {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} on the class path, or
 * {@code Add-Opens: java.base/sun.security.provider} in an executable jar's manifest. Otherwise, or if the JDK's
 * internals are not shaped as expected, or if a known-answer check against {@link MessageDigest} fails, it is not
 * used at all and HMAC runs over the public {@code MessageDigest} API ({@link Hotp}); results are the same either
 * way, only the speed differs.
 *
 * <p>An instance holds one digest object of the JDK's and is confined to one thread, like {@link Hotp}.
 */
final class JdkCompression {

    private static final Logger LOG = LoggerFactory.getLogger(Hotp.class);

    private static final String PROVIDER_PACKAGE = "sun.security.provider";

    /** Reads and writes big-endian {@code int}s in a {@code byte[]}, the byte order of SHA-1 and SHA-256. */
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * {@code implCompress(byte[] block, int offset)} of the JDK's SHA-1 and SHA-256 classes, each typed
     * {@code (Object, byte[], int) void}; {@code null} unless the package is open to twofactor. One handle per concrete
     * class, both in constants, so that the JIT inlines the call down to the JDK's intrinsic.
     */
    private static final MethodHandle SHA1_COMPRESS = findCompress(Hotp.Hash.SHA1);
    private static final MethodHandle SHA256_COMPRESS = findCompress(Hotp.Hash.SHA256);

    private final Object digest;
    private final boolean sha1;
    private final int[] state;
    private final int[] initialState;

    private JdkCompression(Object digest, boolean sha1, int[] state) {
        this.digest = digest;
        this.sha1 = sha1;
        this.state = state;
        this.initialState = state.clone();
    }

    /**
     * Creates a compressor for a hash. {@link Hotp} checks the first one of each hash with
     * {@link #agreesWithMessageDigest} before relying on any.
     *
     * @param hash the hash function
     * @return a new compressor, or {@code null} if the hash has none here or the JDK does not permit it
     */
    static JdkCompression create(Hotp.Hash hash) {
        MethodHandle compress = hash == Hotp.Hash.SHA1 ? SHA1_COMPRESS
                : hash == Hotp.Hash.SHA256 ? SHA256_COMPRESS : null;
        if (compress == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(hash.jdkDigestClass());
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            Object digest = lookup.findConstructor(type, MethodType.methodType(void.class)).invoke();
            int[] state = (int[]) stateGetter(type).invoke(digest);
            if (state.length * Integer.BYTES != hash.length()) {
                return null;
            }
            return new JdkCompression(digest, hash == Hotp.Hash.SHA1, state);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("The JDK's {} compression cannot be used ({}); HMAC runs over MessageDigest", hash,
                    e.toString());
            return null;
        }
    }

    private static MethodHandle stateGetter(Class<?> type) throws ReflectiveOperationException {
        // The chaining state is a field of SHA (SHA-1) or of SHA2, the superclass of SHA2.SHA256.
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findGetter(c, "state", int[].class);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + ".state");
    }

    private static MethodHandle findCompress(Hotp.Hash hash) {
        if (!Object.class.getModule().isOpen(PROVIDER_PACKAGE, JdkCompression.class.getModule())) {
            return null;
        }
        try {
            Class<?> type = Class.forName(hash.jdkDigestClass());
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findVirtual(type, "implCompress", MethodType.methodType(void.class, byte[].class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{} is open to twofactor, but its {} block compression cannot be reached ({}); HMAC-{} runs "
                    + "over MessageDigest", PROVIDER_PACKAGE, hash, e.toString(), hash);
            return null;
        }
    }

    /**
     * Compresses one block starting from a given chaining state.
     *
     * @param from  the chaining state to start from (not changed)
     * @param block a 64-byte block
     * @return the resulting chaining state: this instance's own array, valid until the next call
     */
    int[] compress(int[] from, byte[] block) {
        int[] s = state;
        System.arraycopy(from, 0, s, 0, s.length);
        try {
            if (sha1) {
                SHA1_COMPRESS.invokeExact(digest, block, 0);
            } else {
                SHA256_COMPRESS.invokeExact(digest, block, 0);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    /**
     * Returns the chaining state after compressing one block from the hash's initial value: for HMAC, the midstate of
     * a padded key block.
     *
     * @param block a 64-byte block
     * @return a new array
     */
    int[] midstate(byte[] block) {
        return compress(initialState, block).clone();
    }

    /**
     * Writes words big-endian at the start of a byte array: a chaining state as the bytes of its digest, or as the
     * message of the next block.
     *
     * @param words the words, all of them written
     * @param into  at least {@code 4 * words.length} bytes
     */
    static void putBigEndian(int[] words, byte[] into) {
        for (int i = 0; i < words.length; i++) {
            INT_BE.set(into, i * Integer.BYTES, words[i]);
        }
    }

    /** Overwrites the chaining state left by the last compression. */
    void wipe() {
        Arrays.fill(state, 0);
    }

    /**
     * Checks this compressor against the JDK's {@link MessageDigest} on a two-block message, so that any difference
     * in how the JDK's internals behave turns the fast path off instead of producing wrong codes.
     *
     * @param hash the hash this compressor was created for
     * @return whether both agree
     */
    boolean agreesWithMessageDigest(Hotp.Hash hash) {
        byte[] message = new byte[119];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i * 31 + 7);
        }
        byte[] expected;
        try {
            expected = MessageDigest.getInstance(hash.digestName()).digest(message);
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
        // Merkle-Damgard padding of 119 bytes: 0x80, zeros, then the bit length in the last 8 bytes of block 2.
        byte[] padded = Arrays.copyOf(message, 128);
        padded[119] = (byte) 0x80;
        long bits = message.length * 8L;
        for (int i = 0; i < 8; i++) {
            padded[127 - i] = (byte) (bits >>> (8 * i));
        }
        int[] first = compress(initialState, Arrays.copyOfRange(padded, 0, 64)).clone();
        int[] result = compress(first, Arrays.copyOfRange(padded, 64, 128));
        byte[] actual = new byte[result.length * Integer.BYTES];
        putBigEndian(result, actual);
        wipe();
        return Arrays.equals(actual, expected);
    }
}
