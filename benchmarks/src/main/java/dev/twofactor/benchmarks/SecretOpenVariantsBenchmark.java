package dev.twofactor.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.spi.EncryptedSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A diagnostic, not part of the runner: ways of calling the JDK's AES-GCM decryption from the outside for one sealed
 * TOTP secret (12-byte nonce, 20-byte secret, 16-byte tag, the user id as associated data), side by side, to find
 * what {@link SecretCipher#open} can save around {@code Cipher}. Every variant opens the same records with the same
 * key and checks the tag; only the calls around the cipher differ:
 * <ul>
 *   <li>{@code sdk}: {@link SecretCipher#aesGcm}'s {@code open} as shipped;</li>
 *   <li>{@code sdkTwoKeys}: the same with a ring of two keys (a rotation), the records of both keys alternating;</li>
 *   <li>{@code returnedArray}: the same calls written out here (sealed bytes without the defensive copy);</li>
 *   <li>{@code copiedAndWiped}: as {@code returnedArray}, with the copy {@code EncryptedSecret.sealed()} makes and
 *       its wipe;</li>
 *   <li>{@code copiedIntoScratch}: as {@code returnedArray}, the sealed bytes first copied into a reused array and
 *       wiped there after;</li>
 *   <li>{@code threadLocalCipher}: as {@code returnedArray}, the cipher from a {@code ThreadLocal};</li>
 *   <li>{@code intoArray}: {@code doFinal(in, off, len, out, 0)} into an array of the secret's length;</li>
 *   <li>{@code asciiAad}: the user id encoded into a reused scratch array instead of {@code getBytes};</li>
 *   <li>{@code byteBuffers}: {@code doFinal(ByteBuffer, ByteBuffer)} over wrapped arrays;</li>
 *   <li>{@code newKeySpecEachCall}: a fresh {@code SecretKeySpec} of the same bytes per call (does the cipher expand
 *       the AES key again when the key object changes?);</li>
 *   <li>{@code otherKeyEachCall}: two keys alternating on one cipher (what a rotation ring paid when records of both
 *       keys mixed);</li>
 *   <li>{@code otherKeyEachCallOwnCipher}: the same with one cipher per key, as {@link SecretCipher#aesGcm} keeps
 *       them.</li>
 * </ul>
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main SecretOpenVariants -f 1 -wi 3 -i 5 -prof gc
 * java -cp benchmarks/target/benchmarks.jar dev.twofactor.benchmarks.SecretOpenVariantsBenchmark   # CPU time
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SecretOpenVariantsBenchmark {

    private static final int USERS = ServiceVerifyBenchmark.USERS;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private final String[] userIds = new String[USERS];
    private final EncryptedSecret[] sealed = new EncryptedSecret[USERS];
    private final byte[][] sealedBytes = new byte[USERS][];
    private final byte[][] sealedOther = new byte[USERS][];
    private final byte[] aad = new byte[64];
    private final byte[] scratch = new byte[256];
    private final EncryptedSecret[] mixed = new EncryptedSecret[USERS];
    private SecretCipher cipher;
    private SecretCipher rotating;
    private SecretKeySpec key;
    private SecretKeySpec otherKey;
    private byte[] keyBytes;
    private Cipher gcm;
    private Cipher otherGcm;
    private int next;

    @Setup
    public void setUp() throws GeneralSecurityException {
        keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", keyBytes).build());
        SecretCipher otherCipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-2", other).build());
        rotating = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-2", other)
                .decryptionKey("bench-1", keyBytes).build());
        key = new SecretKeySpec(keyBytes, "AES");
        otherKey = new SecretKeySpec(other, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        otherGcm = Cipher.getInstance("AES/GCM/NoPadding");
        SplittableRandom random = new SplittableRandom(7_013L);
        for (int i = 0; i < USERS; i++) {
            byte[] secret = new byte[20];
            random.nextBytes(secret);
            userIds[i] = "user-" + i;
            sealed[i] = cipher.seal(userIds[i], secret);
            sealedBytes[i] = sealed[i].sealed();
            EncryptedSecret underOther = otherCipher.seal(userIds[i], secret);
            sealedOther[i] = underOther.sealed();
            mixed[i] = (i & 1) == 1 ? underOther : sealed[i];
        }
    }

    private int nextUser() {
        int n = next;
        next = (n + 1) & (USERS - 1);
        return n;
    }

    @Benchmark
    public byte[] sdk() {
        int n = nextUser();
        return cipher.open(userIds[n], sealed[n]);
    }

    @Benchmark
    public byte[] sdkTwoKeys() {
        int n = nextUser();
        return rotating.open(userIds[n], mixed[n]);
    }

    @Benchmark
    public byte[] returnedArray() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        return gcm.doFinal(in, NONCE, in.length - NONCE);
    }

    @Benchmark
    public byte[] copiedAndWiped() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealed[n].sealed();
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
            return gcm.doFinal(in, NONCE, in.length - NONCE);
        } finally {
            Arrays.fill(in, (byte) 0);
        }
    }

    @Benchmark
    public byte[] copiedIntoScratch() throws GeneralSecurityException {
        int n = nextUser();
        byte[] from = sealedBytes[n];
        byte[] in = scratch;
        int length = from.length;
        System.arraycopy(from, 0, in, 0, length);
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
            return gcm.doFinal(in, NONCE, length - NONCE);
        } finally {
            Arrays.fill(in, 0, length, (byte) 0);
        }
    }

    @Benchmark
    public byte[] threadLocalCipher() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        Cipher c = CIPHER.get();
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        c.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        return c.doFinal(in, NONCE, in.length - NONCE);
    }

    @Benchmark
    public byte[] intoArray() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[in.length - NONCE - TAG_BITS / 8];
        gcm.doFinal(in, NONCE, in.length - NONCE, out, 0);
        return out;
    }

    @Benchmark
    public byte[] asciiAad() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        String userId = userIds[n];
        int length = userId.length();
        for (int i = 0; i < length; i++) {
            aad[i] = (byte) userId.charAt(i);
        }
        gcm.updateAAD(aad, 0, length);
        return gcm.doFinal(in, NONCE, in.length - NONCE);
    }

    @Benchmark
    public byte[] byteBuffers() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[in.length - NONCE - TAG_BITS / 8];
        gcm.doFinal(ByteBuffer.wrap(in, NONCE, in.length - NONCE), ByteBuffer.wrap(out));
        return out;
    }

    @Benchmark
    public byte[] newKeySpecEachCall() throws GeneralSecurityException {
        int n = nextUser();
        byte[] in = sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        return gcm.doFinal(in, NONCE, in.length - NONCE);
    }

    @Benchmark
    public byte[] otherKeyEachCall() throws GeneralSecurityException {
        int n = nextUser();
        boolean odd = (n & 1) == 1;
        byte[] in = odd ? sealedOther[n] : sealedBytes[n];
        gcm.init(Cipher.DECRYPT_MODE, odd ? otherKey : key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        gcm.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        return gcm.doFinal(in, NONCE, in.length - NONCE);
    }

    @Benchmark
    public byte[] otherKeyEachCallOwnCipher() throws GeneralSecurityException {
        int n = nextUser();
        boolean odd = (n & 1) == 1;
        byte[] in = odd ? sealedOther[n] : sealedBytes[n];
        Cipher c = odd ? otherGcm : gcm;
        c.init(Cipher.DECRYPT_MODE, odd ? otherKey : key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
        c.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
        return c.doFinal(in, NONCE, in.length - NONCE);
    }

    /**
     * Checks that every variant opens to the same bytes as the SDK, then prints each one's thread CPU time and bytes
     * per call ({@link CpuTimeBreakdown#measure}), which a loaded machine disturbs less than JMH's wall clock.
     *
     * @param args none
     * @throws GeneralSecurityException never
     */
    public static void main(String[] args) throws GeneralSecurityException {
        SecretOpenVariantsBenchmark b = new SecretOpenVariantsBenchmark();
        b.setUp();
        Map<String, Call> variants = new LinkedHashMap<>();
        variants.put("sdk", b::sdk);
        variants.put("sdkTwoKeys", b::sdkTwoKeys);
        variants.put("returnedArray", b::returnedArray);
        variants.put("copiedAndWiped", b::copiedAndWiped);
        variants.put("copiedIntoScratch", b::copiedIntoScratch);
        variants.put("threadLocalCipher", b::threadLocalCipher);
        variants.put("intoArray", b::intoArray);
        variants.put("asciiAad", b::asciiAad);
        variants.put("byteBuffers", b::byteBuffers);
        variants.put("newKeySpecEachCall", b::newKeySpecEachCall);
        variants.put("otherKeyEachCall", b::otherKeyEachCall);
        variants.put("otherKeyEachCallOwnCipher", b::otherKeyEachCallOwnCipher);
        for (int i = 0; i < USERS; i++) {
            b.next = i;
            byte[] expected = b.sdk();
            for (Call call : variants.values()) {
                b.next = i;
                if (!Arrays.equals(expected, call.run())) {
                    throw new IllegalStateException("a variant opens to other bytes at user " + i);
                }
            }
        }
        Map<String, IntPredicate> candidates = new LinkedHashMap<>();
        variants.forEach((name, call) -> candidates.put(name, i -> {
            try {
                return call.run().length == 20;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }));
        CpuTimeBreakdown.measure(candidates);
    }

    private interface Call {
        byte[] run() throws GeneralSecurityException;
    }
}
