package dev.twofactor.internal;

import java.lang.ref.WeakReference;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The HMAC (RFC 2104) and HOTP dynamic truncation (RFC 4226 section 5.3) core, one reusable instance per thread
 * and hash function.
 *
 * <p><b>Why HMAC over {@link MessageDigest} rather than {@code javax.crypto.Mac}.</b> {@code Mac.doFinal(byte[], int)}
 * still allocates a fresh array per MAC inside the JDK, and {@code Mac.init} clones the key; verifying a code with a
 * window of one would allocate about 160 bytes. HMAC is two nested hashes, {@code H((K ^ opad) || H((K ^ ipad) || m))},
 * and the JDK's own {@code HmacCore} computes it with the very same {@code MessageDigest} implementations, so doing
 * the nesting here costs the same hash compressions and allocates nothing. The padded key blocks are derived once
 * per secret and hash ({@link Key}), which also spares the key set-up that {@code Mac.init} repeats on every call.
 * Tests check every hash against {@code javax.crypto.Mac} for keys shorter than, equal to and longer than the block
 * size, and against the RFC vectors.
 *
 * <p><b>Midstates.</b> Where {@link JdkCompression} may be used (the application opens {@code sun.security.provider}
 * to twofactor, the kill switch is not set, the digest comes from the JDK's {@code SUN} provider and the known-answer
 * check passed), a {@link Key} for SHA-1 or SHA-256 also carries the chaining states after its inner and outer padded
 * blocks, two compressions when it is derived, and {@link #truncate(long)} resumes from them: one block compression
 * for the inner hash of the 8-byte counter and one for the outer hash, two per HMAC instead of four. The thread's
 * instance computes up to {@value #LANES} such HMACs side by side ({@link #truncate(long, long, long, int)}), and
 * a key's two pad blocks, on compressors of their own ({@link MidstateLanes}), which the CPU overlaps.
 * {@link #usesMidstates(Hash)} tells which path a hash takes on the calling thread and
 * {@link #unavailableReason(Hash)} why not; both paths give the same results. The decision is taken whenever a
 * thread's instance is created, so a provider installed later is respected by every instance created after it; install
 * providers at start-up, before the first MAC.
 *
 * <p><b>Per-thread state.</b> Each thread's instance is held through a {@link WeakReference}, so that a thread pool
 * that outlives the application (a container after a redeploy) keeps no reference to twofactor's classes; the
 * instance is recreated after the collector took it.
 *
 * <p>Use: {@code try (Hotp hotp = Hotp.begin(key)) { ... hotp.truncate(counter) ... }}. The instance belongs to the
 * calling thread and must not escape the try block; a second {@code begin} for the same hash on the same thread
 * before {@code close} is refused. Between operations the per-thread state holds no key material: the digest resets
 * itself after each hash, and {@link #close()} wipes the last MAC and the last truncated values (on the midstate path
 * also every lane's chaining state and the inner hash left in its outer block).
 */
public final class Hotp implements AutoCloseable {

    /** The hash functions TOTP uses, with their block and output sizes. */
    public enum Hash {
        /** HMAC-SHA-1, the RFC 4226 and authenticator-app default. */
        SHA1("SHA-1", 64, 20, "sun.security.provider.SHA"),
        /** HMAC-SHA-256. */
        SHA256("SHA-256", 64, 32, "sun.security.provider.SHA2$SHA256"),
        /** HMAC-SHA-512 (its JDK state is 64-bit words: always over {@code MessageDigest}). */
        SHA512("SHA-512", 128, 64, null);

        private final String digestName;
        private final int blockSize;
        private final int length;
        private final String jdkDigestClass;
        // This thread's reusable instance: MessageDigest.getInstance walks the provider list, which costs more than
        // the hashing itself. Held weakly, so that the thread's map holds nothing but a JDK WeakReference: a strong
        // Hotp there would pin this class's loader, and with it a web application redeployed in a container whose
        // pooled threads outlive it. The collector drops the instance when no MAC is in progress; the next MAC on
        // the thread builds another (one MessageDigest.getInstance and a few small arrays).
        private final ThreadLocal<WeakReference<Hotp>> perThread = new ThreadLocal<>();

        Hash(String digestName, int blockSize, int length, String jdkDigestClass) {
            this.digestName = digestName;
            this.blockSize = blockSize;
            this.length = length;
            this.jdkDigestClass = jdkDigestClass;
        }

        /**
         * Returns the size of this function's MAC in bytes.
         *
         * @return 20, 32 or 64
         */
        public int length() {
            return length;
        }

        String digestName() {
            return digestName;
        }

        String jdkDigestClass() {
            return jdkDigestClass;
        }

        /** Returns this thread's instance, creating it if it has none (or the collector took it). */
        Hotp thisThread() {
            WeakReference<Hotp> ref = perThread.get();
            Hotp hotp = ref == null ? null : ref.get();
            if (hotp == null) {
                hotp = new Hotp(this, true);
                perThread.set(new WeakReference<>(hotp));
            }
            return hotp;
        }

        private MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(digestName);
            } catch (NoSuchAlgorithmException e) {
                // Every Java SE platform must provide SHA-1, SHA-256 and SHA-512.
                throw new IllegalStateException("The JDK has no " + digestName, e);
            }
        }
    }

    /**
     * An HMAC key prepared for one hash function: the key (hashed first if longer than the block) XORed with the
     * inner and outer pads. As sensitive as the key itself; immutable, so it may be cached and shared across
     * threads.
     */
    public static final class Key {
        private final Hash hash;
        final byte[] innerPad;
        final byte[] outerPad;
        // Chaining states after the inner and outer pad blocks; null where the JDK's compression is not used.
        final int[] innerState;
        final int[] outerState;

        private Key(Hash hash, byte[] innerPad, byte[] outerPad, int[] innerState, int[] outerState) {
            this.hash = hash;
            this.innerPad = innerPad;
            this.outerPad = outerPad;
            this.innerState = innerState;
            this.outerState = outerState;
        }

        /**
         * Prepares a key.
         *
         * @param hash the hash function
         * @param key  the raw key, any length; not retained
         * @return the prepared key
         */
        public static Key derive(Hash hash, byte[] key) {
            // The thread's own compressors: each compression sets the whole state first, so this cannot disturb an
            // instance in use on this thread.
            MidstateLanes lanes = hash.thisThread().lanes;
            Key prepared = new Key(hash, new byte[hash.blockSize], new byte[hash.blockSize],
                    lanes != null ? new int[hash.length / Integer.BYTES] : null,
                    lanes != null ? new int[hash.length / Integer.BYTES] : null);
            prepared.fill(key, 0, key.length, lanes, null, false);
            return prepared;
        }

        /**
         * Prepares {@code length} key bytes from {@code offset} into this key's own arrays, overwriting them.
         * {@code digest} hashes keys longer than the block (RFC 2104); {@code null} takes a new one. {@code perCall}:
         * this is a thread's scratch key, whose {@link Hotp#close()} wipes the compressors' states, so they are not
         * wiped here.
         */
        private void fill(byte[] key, int offset, int length, MidstateLanes lanes, MessageDigest digest,
                          boolean perCall) {
            byte[] material = key;
            int start = offset;
            int size = length;
            if (length > hash.blockSize) {
                // RFC 2104: keys longer than the block are hashed first.
                MessageDigest md = digest != null ? digest : hash.newDigest();
                md.update(key, offset, length);
                material = md.digest();
                start = 0;
                size = material.length;
            }
            byte[] inner = innerPad;
            byte[] outer = outerPad;
            HmacPads.fill(material, start, size, inner, outer);
            if (material != key) {
                Arrays.fill(material, (byte) 0);
            }
            if (lanes != null && innerState != null) {
                lanes.derive(inner, outer, innerState, outerState);
                if (!perCall) {
                    // A per-call key's instance wipes the compressors' states in close(); a derived key has none.
                    lanes.wipe();
                }
            }
        }

        /** Overwrites everything derived from the key. */
        private void wipe() {
            HmacPads.zero(innerPad, innerPad.length);
            HmacPads.zero(outerPad, outerPad.length);
            if (innerState != null) {
                Arrays.fill(innerState, 0);
                Arrays.fill(outerState, 0);
            }
        }

        /**
         * Returns the hash function this key was prepared for.
         *
         * @return the hash function
         */
        public Hash hash() {
            return hash;
        }
    }

    private final Hash hash;
    private final MessageDigest digest;
    private final int length;
    private final byte[] counter = new byte[8];
    private final byte[] out;
    // The truncated values of the last truncate(long, long, long, int), wiped by close().
    private final int[] truncated = new int[LANES];
    // Whether a MAC over the digest wrote into out since the last close() (the midstate path never does).
    private boolean outWritten;
    private Key key;
    // The midstate path: the JDK's compressors, their states and blocks; null where the path is off.
    final MidstateLanes lanes;
    private final String midstateReason;
    // Per-call keys (beginPerCall, beginBase32): the raw key decoded from text, and the key prepared from it, both
    // this thread's scratch space, wiped by close(); created on the first such call.
    private byte[] rawScratch;
    private Key scratch;

    private Hotp(Hash hash, boolean midstates) {
        this.hash = hash;
        this.digest = hash.newDigest();
        this.length = hash.length;
        this.out = new byte[length];
        JdkCompression.Choice choice = midstates ? JdkCompression.choose(hash, digest) : null;
        this.lanes = choice == null ? null : MidstateLanes.create(hash, choice.compression());
        String reason = choice == null ? "an instance for tests that always uses MessageDigest" : choice.reason();
        this.midstateReason = reason == null && lanes == null ? "the JDK gave no second " + hash.digestName()
                + " digest" : reason;
    }

    /**
     * Returns whether HMAC with this hash starts from per-key midstates on the JDK's block compression (SHA-1 and
     * SHA-256, when {@code sun.security.provider} is open to twofactor and the compression passed its check), rather
     * than hashing both pad blocks through {@link MessageDigest} for every MAC.
     *
     * @param hash the hash function
     * @return whether the midstate path is in use
     */
    public static boolean usesMidstates(Hash hash) {
        return hash.thisThread().lanes != null;
    }

    /**
     * Returns why HMAC with this hash does not start from midstates on the calling thread, as decided when the
     * thread's HMAC state was created: the kill switch, the package not open, another provider configured first,
     * the known-answer check, or SHA-512 never having the path. Empty exactly when {@link #usesMidstates} is
     * {@code true}.
     *
     * @param hash the hash function
     * @return the reason, e.g. {@code "disabled by -Ddev.twofactor.midstates=false"}, or empty
     */
    public static Optional<String> unavailableReason(Hash hash) {
        return Optional.ofNullable(hash.thisThread().midstateReason);
    }

    /**
     * Returns an instance that always hashes through {@link MessageDigest}, whatever the JVM permits, with the key
     * installed; for tests that check both paths. Not tied to a thread; close it like any other.
     *
     * @param key the prepared key
     * @return a new instance
     */
    static Hotp portable(Key key) {
        Hotp hotp = new Hotp(key.hash, false);
        hotp.key = key;
        return hotp;
    }

    /**
     * Returns this thread's instance for the key's hash function, with the key installed.
     *
     * @param key the prepared key
     * @return the thread's instance, to be closed by the caller
     * @throws IllegalStateException if this thread's instance is already in use
     */
    public static Hotp begin(Key key) {
        Hotp hotp = key.hash.thisThread();
        if (hotp.key != null) {
            throw new IllegalStateException("Hotp.begin is not reentrant");
        }
        hotp.key = key;
        return hotp;
    }

    /**
     * Returns this thread's instance for a hash function with a key prepared from raw bytes into the instance's own
     * scratch space, for a caller that holds no prepared {@link Key}: nothing is allocated (after the thread's first
     * call) and nothing derived from the key outlives the call, since {@link #close()} wipes the scratch space.
     *
     * @param hash   the hash function
     * @param key    the raw key; read, not retained and not changed
     * @param offset where the key starts
     * @param length the key's length in bytes
     * @return the thread's instance, to be closed by the caller
     * @throws IllegalStateException if this thread's instance is already in use
     */
    public static Hotp beginPerCall(Hash hash, byte[] key, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, key.length);
        Hotp hotp = hash.thisThread();
        if (hotp.key != null) {
            throw new IllegalStateException("Hotp.begin is not reentrant");
        }
        hotp.install(key, offset, length);
        return hotp;
    }

    /**
     * {@link #beginPerCall} for a key given as Base32 text ({@link Base32Text#decode} rules), decoded into this
     * thread's scratch space and wiped from it once the key is prepared.
     *
     * @param hash      the hash function
     * @param base32    the key as Base32 text
     * @param sizeCheck given the decoded key's size in bits, throws {@link IllegalArgumentException} to refuse it
     * @return the thread's instance, to be closed by the caller
     * @throws IllegalArgumentException if the text is not Base32 or its key is refused; the message never contains
     *                                  the text
     * @throws IllegalStateException    if this thread's instance is already in use
     */
    public static Hotp beginBase32(Hash hash, CharSequence base32, IntConsumer sizeCheck) {
        Hotp hotp = hash.thisThread();
        if (hotp.key != null) {
            throw new IllegalStateException("Hotp.begin is not reentrant");
        }
        byte[] raw = hotp.rawScratch;
        if (raw == null) {
            raw = new byte[Base32Text.MAX_DECODED_LENGTH];
            hotp.rawScratch = raw;
        }
        int length = Base32Text.decodeInto(base32, raw);
        try {
            sizeCheck.accept(length * 8);
            hotp.install(raw, 0, length);
        } finally {
            Arrays.fill(raw, 0, length, (byte) 0);
        }
        return hotp;
    }

    /** Prepares a key into the scratch space and installs it; on any failure the instance is wiped and free. */
    private void install(byte[] raw, int offset, int length) {
        Key k = scratchKey();
        key = k;
        try {
            k.fill(raw, offset, length, lanes, digest, true);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Key scratchKey() {
        Key k = scratch;
        if (k == null) {
            int words = hash.length / Integer.BYTES;
            boolean midstates = lanes != null;
            k = new Key(hash, new byte[hash.blockSize], new byte[hash.blockSize], midstates ? new int[words] : null,
                    midstates ? new int[words] : null);
            scratch = k;
        }
        return k;
    }

    /**
     * Computes one HMAC, for tests and tools; the hot path uses {@link #truncate(long)}.
     *
     * @param hash    the hash function
     * @param key     the key
     * @param message the message
     * @return a new array holding the MAC
     */
    public static byte[] hmac(Hash hash, byte[] key, byte[] message) {
        try (Hotp hotp = begin(Key.derive(hash, key))) {
            hotp.mac(message, 0, message.length);
            return Arrays.copyOf(hotp.out, hotp.length);
        }
    }

    /**
     * Computes the HMAC of the 8-byte big-endian {@code movingFactor} and applies RFC 4226 dynamic truncation.
     *
     * @param movingFactor the HOTP counter (for TOTP, the time step); all 64 bits are used
     * @return the 31-bit truncated value, before reduction modulo a power of ten
     */
    public int truncate(long movingFactor) {
        Key k = key;
        if (lanes != null && k.innerState != null) {
            return lanes.truncate(k.innerState, k.outerState, movingFactor);
        }
        long value = movingFactor;
        for (int i = 7; i >= 0; i--) {
            counter[i] = (byte) value;
            value >>>= 8;
        }
        mac(counter, 0, 8);
        int offset = out[length - 1] & 0x0f;
        return (out[offset] & 0x7f) << 24
                | (out[offset + 1] & 0xff) << 16
                | (out[offset + 2] & 0xff) << 8
                | (out[offset + 3] & 0xff);
    }

    /** The most moving factors {@link #truncate(long, long, long, int)} takes at once. */
    public static final int LANES = MidstateLanes.LANES;

    /**
     * {@link #truncate(long)} of {@code count} moving factors, each computed whatever the others are, read back with
     * {@link #truncated}: side by side on the midstate path, one after another over {@code MessageDigest}.
     *
     * @param first  the first moving factor
     * @param second the second, ignored if {@code count < 2}
     * @param third  the third, ignored if {@code count < 3}
     * @param count  how many, 1 to {@value #LANES}
     * @throws IndexOutOfBoundsException if {@code count} is out of range
     */
    public void truncate(long first, long second, long third, int count) {
        Objects.checkIndex(count - 1, LANES);
        Key k = key;
        int[] into = truncated;
        if (lanes != null && k.innerState != null) {
            lanes.truncate(k.innerState, k.outerState, first, second, third, count, into);
            return;
        }
        for (int i = 0; i < count; i++) {
            into[i] = truncate(i == 0 ? first : i == 1 ? second : third);
        }
    }

    /**
     * @param index 0 for the first moving factor of the last {@link #truncate(long, long, long, int)}, up to count - 1
     * @return its 31-bit truncated value
     */
    public int truncated(int index) {
        return truncated[index];
    }

    /** Longest PBKDF2 salt {@link #pbkdf2Sha256} takes: salt, block index, 0x80 and the bit length fit one block. */
    public static final int PBKDF2_MAX_SALT = 64 - 4 - 1 - 8;

    /**
     * PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) with one 32-byte output block, computed from the password's HMAC
     * midstates: each iteration takes two SHA-256 block compressions instead of the four of the JDK's
     * {@code PBKDF2WithHmacSHA256}, which hashes the key's pad blocks again on every iteration. That is how fast an
     * attacker's own implementation is anyway, so the defender's cost per iteration halves and the attacker's does
     * not change. The result is bit for bit what {@code PBKDF2WithHmacSHA256} gives for the UTF-8 password bytes
     * (tests compare both).
     *
     * @param password   the password bytes; not retained
     * @param salt       the salt, at most {@value #PBKDF2_MAX_SALT} bytes
     * @param iterations the iteration count, at least 1
     * @return the 32-byte derived key, or {@code null} if the midstate path is not in use here (see
     *         {@link #usesMidstates}), {@code SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")} is another
     *         provider's than the JDK's {@code SunJCE} (a FIPS provider, say, which must not be bypassed), or the
     *         salt is longer than {@value #PBKDF2_MAX_SALT} bytes: then use the JDK's {@code SecretKeyFactory}
     */
    public static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int iterations) {
        return MidstatePbkdf2.sha256(password, salt, iterations);
    }

    private void mac(byte[] message, int offset, int messageLength) {
        outWritten = true;
        digest.update(key.innerPad);
        digest.update(message, offset, messageLength);
        finish();
        digest.update(key.outerPad);
        digest.update(out, 0, length);
        finish();
    }

    private void finish() {
        try {
            // Writes into the reused buffer; digest() without arguments would allocate a new array every time.
            digest.digest(out, 0, length);
        } catch (DigestException e) {
            throw new IllegalStateException("Digest buffer too small", e);
        }
    }

    /** Wipes the last MAC, forgets the key and makes the instance available to the thread again. */
    @Override
    public void close() {
        if (outWritten) {
            HmacPads.zero(out, length);
            outWritten = false;
        }
        if (lanes != null) {
            lanes.wipe();
        }
        Arrays.fill(truncated, 0);
        if (key == scratch && scratch != null) {
            scratch.wipe();
        }
        key = null;
    }
}
