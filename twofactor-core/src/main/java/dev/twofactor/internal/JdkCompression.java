package dev.twofactor.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import javax.crypto.SecretKeyFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's own SHA-1 and SHA-256 block compression, started from a chaining state of the caller's choice: what HMAC
 * needs to hash the key's padded blocks once per key (the inner and outer "midstates", RFC 2104 section 4) instead of
 * on every MAC. Verifying a TOTP code with a window of one step either side then takes 6 block compressions instead
 * of 12, plus 2 to derive the midstates whenever a key is prepared. {@link MessageDigest} has no way to resume from a
 * saved state without cloning a digest per MAC, which allocates about a kilobyte per verification, so this reaches
 * the compression inside {@code sun.security.provider} directly. That is the very routine every
 * {@code MessageDigest} and {@code Mac} for these hashes ends in, replaced by the JVM with the CPU's SHA instructions
 * where it has them.
 *
 * <p><b>Only when the JVM allows it, and only in place of the JDK's own provider.</b> It is used when all of these
 * hold, and {@link Hotp} runs HMAC over the public {@code MessageDigest} API otherwise (results are the same either
 * way, only the speed differs):
 * <ul>
 *   <li>the system property {@value #PROPERTY} is unset or {@code true} (any other value, {@code false} above all,
 *       is the kill switch; read once, when this class initialises);
 *   <li>the application opens {@code sun.security.provider} to twofactor:
 *       {@code --add-opens java.base/sun.security.provider=dev.twofactor} on the module path,
 *       {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} on the class path, or
 *       {@code Add-Opens: java.base/sun.security.provider} in an executable jar's manifest; without it nothing here
 *       touches the JDK's internals;
 *   <li>the JDK's internals are shaped as expected;
 *   <li>{@code MessageDigest.getInstance} returns the JDK's {@code SUN} provider's implementation for the hash, the
 *       class whose compression this calls: a FIPS or any other provider configured before it is never bypassed
 *       ({@link #unavailableReason(Hotp.Hash, MessageDigest)}, checked for every digest {@link Hotp} creates);
 *   <li>a known-answer check against that {@code MessageDigest} passes ({@link #agreesWithMessageDigest}, run once
 *       per hash by {@link #choose}).
 * </ul>
 *
 * <p>An instance holds one digest object of the JDK's and is confined to one thread, like {@link Hotp}; a thread's
 * HMAC state holds {@value MidstateLanes#LANES} of them, so that independent compressions need not share a state
 * ({@link MidstateLanes}).
 */
final class JdkCompression {

    /** The kill switch: the midstate path is used only if this system property is unset or {@code true}. */
    static final String PROPERTY = "dev.twofactor.midstates";

    /** Where each reason the path is off is logged, once, at INFO. */
    static final String LOGGER = "dev.twofactor.midstates";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private static final String PROVIDER_PACKAGE = "sun.security.provider";
    private static final String SUN_PROVIDER_CLASS = "sun.security.provider.Sun";
    private static final String SUN_JCE_PROVIDER_CLASS = "com.sun.crypto.provider.SunJCE";
    private static final String PBKDF2 = "PBKDF2WithHmacSHA256";

    /** Reads and writes big-endian {@code int}s in a {@code byte[]}, the byte order of SHA-1 and SHA-256. */
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Why the kill switch turns the path off, or {@code null}. */
    private static final String SWITCH_REASON = switchReason(readProperty());

    /** Why no hash may use this class in this JVM (kill switch, package not open), or {@code null}. */
    private static final String JVM_REASON = SWITCH_REASON != null ? SWITCH_REASON : openReason();

    private static final Reach SHA1 = Reach.find(Hotp.Hash.SHA1, JVM_REASON);
    private static final Reach SHA256 = Reach.find(Hotp.Hash.SHA256, JVM_REASON);

    /**
     * {@code implCompress(byte[] block, int offset)} of the JDK's SHA-1 and SHA-256 classes, each typed
     * {@code (Object, byte[], int) void}; {@code null} where {@link Reach#reason} is set. One handle per concrete
     * class, both in constants, so that the JIT inlines the call down to the JDK's intrinsic.
     */
    private static final MethodHandle SHA1_COMPRESS = SHA1.compress;
    private static final MethodHandle SHA256_COMPRESS = SHA256.compress;

    /**
     * The known-answer check's verdict per {@link Hotp.Hash#ordinal()}: {@code null} until it has run, {@code ""} if
     * it passed, else why it failed. Run once per hash, on the first digest that may be replaced.
     */
    private static final AtomicReferenceArray<String> CHECKED = new AtomicReferenceArray<>(Hotp.Hash.values().length);

    /** The reasons already logged, so that each is logged once, however many threads meet it. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** SHA-1's chaining state in words. */
    private static final int SHA1_WORDS = 5;
    /** SHA-256's chaining state in words. */
    private static final int SHA256_WORDS = 8;

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
     * The handles into one JDK digest class, found once; all {@code null} and {@code reason} set where they cannot
     * be used.
     */
    private record Reach(MethodHandle constructor, MethodHandle stateGetter, MethodHandle compress, String reason) {

        static Reach find(Hotp.Hash hash, String jvmReason) {
            if (jvmReason != null) {
                return new Reach(null, null, null, jvmReason);
            }
            try {
                Class<?> type = Class.forName(hash.jdkDigestClass());
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class))
                        .asType(MethodType.methodType(Object.class));
                MethodHandle stateGetter = stateGetter(type)
                        .asType(MethodType.methodType(int[].class, Object.class));
                MethodHandle compress = lookup
                        .findVirtual(type, "implCompress", MethodType.methodType(void.class, byte[].class, int.class))
                        .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
                return new Reach(constructor, stateGetter, compress, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Reach(null, null, null,
                        "the JDK's " + hash.digestName() + " compression cannot be reached (" + e + ")");
            }
        }

        private static MethodHandle stateGetter(Class<?> type) throws ReflectiveOperationException {
            // The chaining state is a field of SHA (SHA-1) or of SHA2, the superclass of SHA2.SHA256.
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    return MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                            .findGetter(c, "state", int[].class);
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            throw new NoSuchFieldException(type.getName() + ".state");
        }
    }

    private static String readProperty() {
        return JdkInternals.readProperty(PROPERTY);
    }

    /**
     * Returns why the kill switch turns the midstate path off, given the value of the system property
     * {@value #PROPERTY}.
     *
     * @param value the property's value, {@code null} if unset
     * @return {@code null} for unset or {@code true} (ASCII case and surrounding spaces ignored); otherwise the
     *         reason, e.g. {@code "disabled by -Ddev.twofactor.midstates=false"}: any value but {@code true} turns
     *         the path off, so that a misspelt attempt to turn it off does not leave it on
     */
    static String switchReason(String value) {
        return JdkInternals.switchReason(PROPERTY, value);
    }

    /** Why this module cannot reach the JDK's compression: the package is not open to it; or {@code null}. */
    private static String openReason() {
        return JdkInternals.openReason(PROVIDER_PACKAGE);
    }

    /**
     * Returns why HMAC with a hash must run over a digest rather than from midstates on this class: the JVM-wide
     * reason, the hash having no compression here, or the digest not being the JDK's {@code SUN} provider's
     * implementation of the class this reaches into.
     *
     * @param hash   the hash function
     * @param digest what {@code MessageDigest.getInstance} returned for it
     * @return the reason, or {@code null} if the compression may be used (its known-answer check still pending)
     */
    static String unavailableReason(Hotp.Hash hash, MessageDigest digest) {
        if (SWITCH_REASON != null) {
            return SWITCH_REASON;
        }
        Reach reach = reach(hash);
        if (reach == null) {
            return "HMAC-" + hash.digestName() + " always runs over MessageDigest (the JDK keeps its state in "
                    + "64-bit words)";
        }
        if (reach.reason != null) {
            return reach.reason;
        }
        Provider provider = digest.getProvider();
        if (!isJdkSunProvider(provider)) {
            return "provider " + (provider == null ? "(none)" : provider.getName()) + " is configured first for "
                    + hash.digestName();
        }
        Provider.Service service = provider.getService("MessageDigest", hash.digestName());
        if (service == null || !service.getClassName().equals(hash.jdkDigestClass())) {
            return "the SUN provider's " + hash.digestName() + " is "
                    + (service == null ? "unknown" : service.getClassName()) + ", not " + hash.jdkDigestClass();
        }
        return null;
    }

    /**
     * Returns whether {@code SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")} is the JDK's own {@code SunJCE}
     * implementation, which PBKDF2 from midstates computes in its place: a provider configured before it for PBKDF2
     * is used as configured. Checked per derivation (a lookup of a few microseconds against a derivation of a
     * millisecond or more), so a provider installed at any time is respected.
     *
     * @return whether PBKDF2 from midstates may stand in for the JDK's
     */
    static boolean jdkPbkdf2IsFirst() {
        try {
            Provider provider = SecretKeyFactory.getInstance(PBKDF2).getProvider();
            return JdkInternals.isJdkProvider(provider, SUN_JCE_PROVIDER_CLASS);
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
    }

    private static boolean isJdkSunProvider(Provider provider) {
        return JdkInternals.isJdkProvider(provider, SUN_PROVIDER_CLASS);
    }

    private static Reach reach(Hotp.Hash hash) {
        return hash == Hotp.Hash.SHA1 ? SHA1 : hash == Hotp.Hash.SHA256 ? SHA256 : null;
    }

    /**
     * What an HMAC state for one hash and thread uses: a compressor, or {@code null} and the reason why not.
     *
     * @param compression the compressor, or {@code null}
     * @param reason      {@code null} if {@code compression} is set, else why the midstate path is off
     */
    record Choice(JdkCompression compression, String reason) {
    }

    /**
     * Decides whether HMAC over a digest may start from midstates instead: {@link #unavailableReason}, then the
     * hash's known-answer check (run here, against this digest, the first time). Logs each reason the path is off
     * once at INFO under {@value #LOGGER}, except for SHA-512, which never has it.
     *
     * @param hash   the hash function
     * @param digest the digest the HMAC state got from {@code MessageDigest.getInstance}; left reset
     * @return the compressor to use, or the reason there is none
     */
    static Choice choose(Hotp.Hash hash, MessageDigest digest) {
        String reason = unavailableReason(hash, digest);
        JdkCompression compression = null;
        if (reason == null) {
            compression = create(hash);
            if (compression == null) {
                reason = "the JDK's " + hash.digestName() + " digest cannot be instantiated";
            }
        }
        if (compression != null) {
            String failure = CHECKED.get(hash.ordinal());
            if (failure == null) {
                String verdict = compression.agreesWithMessageDigest(hash, digest) ? ""
                        : "the JDK's " + hash.digestName() + " compression failed its known-answer check against "
                                + "MessageDigest";
                CHECKED.compareAndSet(hash.ordinal(), null, verdict);
                failure = CHECKED.get(hash.ordinal());
            }
            if (!failure.isEmpty()) {
                reason = failure;
                compression = null;
            }
        }
        if (reason == null) {
            if (LOGGED.add(hash.name())) {
                LOG.debug("HMAC-{} starts from per-key midstates on the JDK's block compression", hash.digestName());
            }
        } else if (reach(hash) != null && LOGGED.add(reason)) {
            LOG.info("HMAC runs over MessageDigest, without per-key midstates: {}", reason);
        }
        return new Choice(compression, reason);
    }

    /**
     * Creates a compressor for a hash whose {@link #unavailableReason} is {@code null}; {@link #choose} checks the
     * first one of each hash with {@link #agreesWithMessageDigest} before relying on any.
     *
     * @param hash the hash function
     * @return a new compressor, or {@code null} if the JDK refuses to make one
     */
    static JdkCompression create(Hotp.Hash hash) {
        Reach reach = reach(hash);
        if (reach == null || reach.reason != null) {
            return null;
        }
        try {
            Object digest = reach.constructor.invokeExact();
            int[] state = (int[]) reach.stateGetter.invokeExact(digest);
            if (state.length * Integer.BYTES != hash.length()) {
                return null;
            }
            return new JdkCompression(digest, hash == Hotp.Hash.SHA1, state);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
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
        try {
            // Constant lengths: the JIT copies 5 or 8 ints in place instead of calling its array copy routine.
            if (sha1) {
                System.arraycopy(from, 0, s, 0, SHA1_WORDS);
                SHA1_COMPRESS.invokeExact(digest, block, 0);
            } else {
                System.arraycopy(from, 0, s, 0, SHA256_WORDS);
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
     * Copies the chaining state the last {@link #compress} left into another array, as {@code System.arraycopy} of
     * the whole state with a length the JIT knows.
     *
     * @param into at least as long as the state
     */
    void copyState(int[] into) {
        if (sha1) {
            System.arraycopy(state, 0, into, 0, SHA1_WORDS);
        } else {
            System.arraycopy(state, 0, into, 0, SHA256_WORDS);
        }
    }

    /**
     * Returns the chaining state every {@link #compress} writes and returns: this instance's own array.
     *
     * @return the array, not to be kept beyond this instance's owner
     */
    int[] state() {
        return state;
    }

    /**
     * Returns the hash's initial chaining value, to start a hash (such as an HMAC pad block) from; not to be changed.
     *
     * @return this instance's copy of the initial state
     */
    int[] initialState() {
        return initialState;
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
     * Checks this compressor against a {@link MessageDigest} of the same hash on a two-block message, so that any
     * difference in how the JDK's internals behave turns the fast path off instead of producing wrong codes.
     *
     * @param hash   the hash this compressor was created for
     * @param digest the JDK's digest to compare with; reset afterwards
     * @return whether both agree
     */
    boolean agreesWithMessageDigest(Hotp.Hash hash, MessageDigest digest) {
        byte[] message = new byte[119];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i * 31 + 7);
        }
        byte[] expected = digest.digest(message);
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
        return hash.length() == actual.length && Arrays.equals(actual, expected);
    }
}
