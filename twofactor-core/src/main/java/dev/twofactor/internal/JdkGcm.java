package dev.twofactor.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens AES-GCM records (NIST SP 800-38D: 12-byte nonce, 128-bit tag) on the JDK's own AES block cipher and GHASH
 * classes in {@code com.sun.crypto.provider}, the very primitives {@code Cipher "AES/GCM/NoPadding"} of the
 * {@code SunJCE} provider ends in (replaced by the JVM with AES-NI and carry-less multiplication where the CPU has
 * them), keeping what depends on the key alone: the expanded AES key and the GHASH subkey H = E_K(0^128), with its
 * table. {@code Cipher} builds both again on every {@code init}, the larger part of a short open. One open is then:
 * GHASH over the associated data, the ciphertext and their lengths; E_K(J0) to mask the tag; a constant-time
 * comparison with the record's tag; and only if it matches, the ciphertext XOR E_K(inc32(J0)), E_K(inc32^2(J0)), ...
 * Same format, same results as {@code Cipher}; only the speed differs.
 *
 * <p><b>Only when the JVM allows it, and only in place of the JDK's own provider.</b> {@link #choose} returns an
 * instance when all of these hold, and the caller opens with {@code Cipher} otherwise:
 * <ul>
 *   <li>the system property {@value #PROPERTY} is unset or {@code true} (any other value is the kill switch; read
 *       once, when this class initialises). It is a switch of its own, not {@code dev.twofactor.midstates}: each
 *       path reaches into a different package, opened by a flag of its own, and either can be turned off alone;
 *   <li>the application opens {@code com.sun.crypto.provider} to twofactor:
 *       {@code --add-opens java.base/com.sun.crypto.provider=dev.twofactor} on the module path,
 *       {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} on the class path, or
 *       {@code Add-Opens: java.base/com.sun.crypto.provider} in an executable jar's manifest; without it nothing
 *       here touches the JDK's internals;
 *   <li>the JDK's internals are shaped as expected ({@code AESCrypt} and {@code GHASH} with the constructors and
 *       methods used here);
 *   <li>the caller's {@code Cipher}, initialised with the key, is the {@code SunJCE} provider's: a FIPS or any
 *       other provider configured first is never bypassed;
 *   <li>a known-answer check against {@code Cipher} passes (run once, by the first {@link #choose} that gets this
 *       far).
 * </ul>
 * Each reason the path is off is logged once at INFO under {@value #LOGGER}.
 *
 * <p>An instance holds one key and is confined to one thread.
 */
public final class JdkGcm {

    /** The kill switch: the path is used only if this system property is unset or {@code true}. */
    public static final String PROPERTY = "dev.twofactor.jdkGcm";

    /** Where each reason the path is off is logged, once, at INFO. */
    public static final String LOGGER = "dev.twofactor.jdkGcm";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private static final String PROVIDER_PACKAGE = "com.sun.crypto.provider";
    private static final String SUN_JCE_PROVIDER_CLASS = "com.sun.crypto.provider.SunJCE";
    private static final String GCM_CLASS_PREFIX = "com.sun.crypto.provider.GaloisCounterMode";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private static final int BLOCK = 16;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    /** User ids of up to this many chars (at most 3 bytes each in UTF-8) go into {@link #input}, not a new array. */
    private static final int AAD_CHARS = 128;
    /** Records of up to this many bytes of ciphertext go into {@link #input} whole. */
    private static final int CIPHERTEXT_BUFFER = 256;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Why the kill switch turns the path off, or {@code null}. */
    private static final String SWITCH_REASON = JdkInternals.switchReason(PROPERTY,
            JdkInternals.readProperty(PROPERTY));

    private static final Reach REACH = Reach.find(SWITCH_REASON != null ? SWITCH_REASON
            : JdkInternals.openReason(PROVIDER_PACKAGE));

    /** The handles, in constants so that the JIT inlines each call down to the JDK's intrinsic. */
    private static final MethodHandle AES_ENCRYPT = REACH.aesEncrypt;
    private static final MethodHandle GHASH_UPDATE = REACH.ghashUpdate;

    /** The known-answer check's verdict: {@code null} until it has run, {@code ""} if it passed, else why not. */
    private static final AtomicReference<String> CHECKED = new AtomicReference<>();

    /** The reasons already logged, so that each is logged once, however many threads meet it. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final Object aes;
    private final Object ghash;
    /** The GHASH object's own state (two longs), read and cleared here around each open. */
    private final long[] state;
    /** A counter block, or a padded last block of ciphertext or associated data, or the lengths block. */
    private final byte[] block = new byte[BLOCK];
    /** One block of key stream, or E_K(J0). */
    private final byte[] keystream = new byte[BLOCK];
    /** GHASH's input for a short record: the user id in UTF-8, the ciphertext, each padded, the lengths block. */
    private final byte[] input = new byte[3 * AAD_CHARS + BLOCK + CIPHERTEXT_BUFFER + BLOCK];

    private JdkGcm(Object aes, Object ghash, long[] state) {
        this.aes = aes;
        this.ghash = ghash;
        this.state = state;
    }

    /**
     * The handles into the JDK's {@code AESCrypt} and {@code GHASH}, found once; all {@code null} and
     * {@code reason} set where they cannot be used.
     */
    private record Reach(MethodHandle aesNew, MethodHandle aesInit, MethodHandle aesEncrypt, MethodHandle ghashNew,
            MethodHandle ghashUpdate, MethodHandle ghashState, String reason) {

        static Reach find(String jvmReason) {
            if (jvmReason != null) {
                return new Reach(null, null, null, null, null, null, jvmReason);
            }
            try {
                Class<?> aes = Class.forName(PROVIDER_PACKAGE + ".AESCrypt");
                Class<?> ghash = Class.forName(PROVIDER_PACKAGE + ".GHASH");
                MethodHandles.Lookup aesLookup = MethodHandles.privateLookupIn(aes, MethodHandles.lookup());
                MethodHandles.Lookup ghashLookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
                MethodType block = MethodType.methodType(void.class, byte[].class, int.class, byte[].class, int.class);
                return new Reach(
                        aesLookup.findConstructor(aes, MethodType.methodType(void.class))
                                .asType(MethodType.methodType(Object.class)),
                        aesLookup.findVirtual(aes, "init",
                                MethodType.methodType(void.class, boolean.class, String.class, byte[].class))
                                .asType(MethodType.methodType(void.class, Object.class, boolean.class, String.class,
                                        byte[].class)),
                        aesLookup.findVirtual(aes, "encryptBlock", block)
                                .asType(block.insertParameterTypes(0, Object.class)),
                        ghashLookup.findConstructor(ghash, MethodType.methodType(void.class, byte[].class))
                                .asType(MethodType.methodType(Object.class, byte[].class)),
                        ghashLookup.findVirtual(ghash, "update",
                                MethodType.methodType(int.class, byte[].class, int.class, int.class))
                                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class,
                                        int.class)),
                        ghashLookup.findGetter(ghash, "state", long[].class)
                                .asType(MethodType.methodType(long[].class, Object.class)),
                        null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Reach(null, null, null, null, null, null,
                        "the JDK's AES and GHASH classes cannot be reached (" + e + ")");
            }
        }
    }

    /**
     * What a thread's means of opening with one key uses: an instance, or {@code null} and the reason why not.
     *
     * @param gcm    the instance, or {@code null}
     * @param reason {@code null} if {@code gcm} is set, else why {@code Cipher} opens
     */
    public record Choice(JdkGcm gcm, String reason) {
    }

    /**
     * Decides whether records sealed with a key may be opened here instead of by a {@code Cipher}: the kill switch,
     * the opened package, the JDK's shape, then the provider the cipher gets for the key (the cipher is initialised
     * for decryption with the key for that), then the known-answer check the first time. Logs each reason the path
     * is off once at INFO under {@value #LOGGER}.
     *
     * @param key    the AES key
     * @param cipher this thread's {@code Cipher "AES/GCM/NoPadding"} for the key; initialised here if the package is
     *               open (as it would be before its first use anyway), untouched otherwise
     * @return the instance to open with, or the reason there is none
     */
    public static Choice choose(SecretKey key, Cipher cipher) {
        String reason = REACH.reason;
        Provider provider = null;
        if (reason == null) {
            try {
                // The provider Cipher picks for this key (delayed selection happens at the first init).
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, new byte[NONCE]));
                provider = cipher.getProvider();
            } catch (GeneralSecurityException | RuntimeException e) {
                reason = "Cipher " + TRANSFORMATION + " refused the key (" + e.getClass().getName() + ")";
            }
        }
        if (reason == null) {
            reason = providerReason(provider);
        }
        JdkGcm gcm = null;
        if (reason == null) {
            gcm = create(key);
            if (gcm == null) {
                reason = "the JDK's AES and GHASH classes cannot be instantiated";
            }
        }
        if (gcm != null) {
            String failure = CHECKED.get();
            if (failure == null) {
                CHECKED.compareAndSet(null, knownAnswerFailure(provider));
                failure = CHECKED.get();
            }
            if (!failure.isEmpty()) {
                reason = failure;
                gcm = null;
            }
        }
        if (reason == null) {
            if (LOGGED.add("")) {
                LOG.debug("AES-GCM opens on the JDK's AES and GHASH primitives, per-key state kept per thread");
            }
        } else if (LOGGED.add(reason)) {
            LOG.info("AES-GCM opens through Cipher: {}", reason);
        }
        return new Choice(gcm, reason);
    }

    /**
     * Returns why a {@code Cipher} of this provider must not be stood in for, or {@code null} if it may.
     *
     * @param provider the provider a {@code Cipher "AES/GCM/NoPadding"} got, may be {@code null}
     * @return the reason, or {@code null}
     */
    static String providerReason(Provider provider) {
        if (!JdkInternals.isJdkProvider(provider, SUN_JCE_PROVIDER_CLASS)) {
            return "provider " + (provider == null ? "(none)" : provider.getName()) + " is configured first for "
                    + TRANSFORMATION;
        }
        Provider.Service service = provider.getService("Cipher", TRANSFORMATION);
        if (service == null || !service.getClassName().startsWith(GCM_CLASS_PREFIX)) {
            return "the SunJCE provider's " + TRANSFORMATION + " is "
                    + (service == null ? "unknown" : service.getClassName()) + ", not " + GCM_CLASS_PREFIX;
        }
        return null;
    }

    /** A new instance for the key, or {@code null} if the JDK refuses to make one. */
    private static JdkGcm create(SecretKey key) {
        byte[] raw = key.getEncoded();
        byte[] zero = new byte[BLOCK];
        byte[] h = new byte[BLOCK];
        try {
            Object aes = REACH.aesNew.invokeExact();
            REACH.aesInit.invokeExact(aes, false, "AES", raw);
            AES_ENCRYPT.invokeExact(aes, zero, 0, h, 0);
            Object ghash = REACH.ghashNew.invokeExact(h);
            long[] state = (long[]) REACH.ghashState.invokeExact(ghash);
            return state.length == 2 ? new JdkGcm(aes, ghash, state) : null;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null;
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
            Arrays.fill(h, (byte) 0);
        }
    }

    /**
     * Opens a record.
     *
     * @param record nonce || ciphertext || tag; at least {@code 12 + 16} bytes; not changed
     * @param userId the associated data, encoded in UTF-8 as {@code String.getBytes} does
     * @return the plaintext, a new array
     * @throws AEADBadTagException if the tag does not match (nothing of the plaintext is computed then)
     */
    public byte[] open(byte[] record, String userId) throws AEADBadTagException {
        int length = record.length - NONCE - TAG;
        if (length < 0) {
            throw new IllegalArgumentException("A record has at least " + (NONCE + TAG) + " bytes");
        }
        long[] s = state;
        s[0] = 0;
        s[1] = 0;
        int aadLength;
        if (userId.length() <= AAD_CHARS && roundUp(length) <= CIPHERTEXT_BUFFER) {
            // One GHASH call over associated data, ciphertext and lengths laid out in this instance's buffer: the
            // JDK's GHASH has a set-up cost per call that is a large part of hashing a short record.
            byte[] in = input;
            aadLength = Utf8.encode(userId, in);
            int at = roundUp(aadLength);
            Arrays.fill(in, aadLength, at, (byte) 0);
            System.arraycopy(record, NONCE, in, at, length);
            int end = at + roundUp(length);
            Arrays.fill(in, at + length, end, (byte) 0);
            LONG_BE.set(in, end, aadLength * 8L);
            LONG_BE.set(in, end + 8, length * 8L);
            hash(in, 0, end + BLOCK);
        } else {
            byte[] bytes = userId.getBytes(StandardCharsets.UTF_8);
            aadLength = bytes.length;
            hashPadded(bytes, 0, aadLength);
            hashPadded(record, NONCE, length);
            LONG_BE.set(block, 0, aadLength * 8L);
            LONG_BE.set(block, 8, length * 8L);
            hash(block, 0, BLOCK);
        }
        long s0 = s[0];
        long s1 = s[1];
        s[0] = 0;
        s[1] = 0;

        System.arraycopy(record, 0, block, 0, NONCE);
        INT_BE.set(block, NONCE, 1);
        encrypt(block, keystream);
        int tag = NONCE + length;
        // Every bit of both halves is compared before the one branch: no early exit on the first difference.
        long difference = (s0 ^ (long) LONG_BE.get(keystream, 0) ^ (long) LONG_BE.get(record, tag))
                | (s1 ^ (long) LONG_BE.get(keystream, 8) ^ (long) LONG_BE.get(record, tag + 8));
        if (difference != 0) {
            Arrays.fill(keystream, (byte) 0);
            throw new AEADBadTagException("Tag mismatch");
        }

        byte[] plain = new byte[length];
        int counter = 2;
        for (int offset = 0; offset < length; offset += BLOCK) {
            INT_BE.set(block, NONCE, counter++);
            encrypt(block, keystream);
            int in = NONCE + offset;
            if (length - offset >= BLOCK) {
                LONG_BE.set(plain, offset, (long) LONG_BE.get(record, in) ^ (long) LONG_BE.get(keystream, 0));
                LONG_BE.set(plain, offset + 8, (long) LONG_BE.get(record, in + 8) ^ (long) LONG_BE.get(keystream, 8));
            } else {
                for (int i = 0; offset + i < length; i++) {
                    plain[offset + i] = (byte) (record[in + i] ^ keystream[i]);
                }
            }
        }
        Arrays.fill(keystream, (byte) 0);
        Arrays.fill(block, (byte) 0);
        return plain;
    }

    private static int roundUp(int length) {
        return (length + BLOCK - 1) & -BLOCK;
    }

    /** GHASH over {@code length} bytes, the last block padded with zeros. */
    private void hashPadded(byte[] data, int offset, int length) {
        int whole = length & -BLOCK;
        if (whole > 0) {
            hash(data, offset, whole);
        }
        if (whole < length) {
            Arrays.fill(block, (byte) 0);
            System.arraycopy(data, offset + whole, block, 0, length - whole);
            hash(block, 0, BLOCK);
        }
    }

    private void hash(byte[] data, int offset, int length) {
        try {
            int processed = (int) GHASH_UPDATE.invokeExact(ghash, data, offset, length);
            if (processed != length) {
                throw new IllegalStateException("GHASH processed " + processed + " of " + length + " bytes");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void encrypt(byte[] in, byte[] out) {
        try {
            AES_ENCRYPT.invokeExact(aes, in, 0, out, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks this class against {@code Cipher} of the given provider: records it seals, of several lengths of
     * plaintext and associated data, open here to the same plaintext, and with one bit of the tag or of the
     * associated data changed, do not open.
     *
     * @return {@code ""} if all agree, else the reason
     */
    private static String knownAnswerFailure(Provider provider) {
        byte[] rawKey = new byte[32];
        for (int i = 0; i < rawKey.length; i++) {
            rawKey[i] = (byte) (i * 29 + 11);
        }
        SecretKeySpec key = new SecretKeySpec(rawKey, "AES");
        JdkGcm gcm = create(key);
        String failure = "the JDK's AES and GHASH failed their known-answer check against Cipher";
        if (gcm == null) {
            return failure;
        }
        int[] lengths = {1, 15, 16, 20, 33, 64, CIPHERTEXT_BUFFER + 1};
        String[] users = {"", "alice", "0123456789abcdef", "j\u00fcrgen@\u540d\u524d.example \uD83D\uDE00",
            "x".repeat(AAD_CHARS + 1)};
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
            for (int c = 0; c < lengths.length * users.length; c++) {
                int length = lengths[c % lengths.length];
                String user = users[c % users.length];
                byte[] record = new byte[NONCE + length + TAG];
                for (int i = 0; i < NONCE + length; i++) {
                    record[i] = (byte) (c * 131 + i * 17 + 5);
                }
                byte[] plain = Arrays.copyOfRange(record, NONCE, NONCE + length);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, record, 0, NONCE));
                cipher.updateAAD(user.getBytes(StandardCharsets.UTF_8));
                cipher.doFinal(plain, 0, length, record, NONCE);
                if (!Arrays.equals(gcm.open(record, user), plain) || opens(gcm, record, user + "\u0000")) {
                    return failure;
                }
                record[record.length - 1 - c % TAG] ^= (byte) (1 << (c % 8));
                if (opens(gcm, record, user)) {
                    return failure;
                }
            }
            return "";
        } catch (GeneralSecurityException | RuntimeException e) {
            return failure + " (" + e.getClass().getName() + ")";
        }
    }

    private static boolean opens(JdkGcm gcm, byte[] record, String user) {
        try {
            gcm.open(record, user);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        }
    }
}
