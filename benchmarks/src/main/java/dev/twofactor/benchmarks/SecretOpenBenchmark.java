package dev.twofactor.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Part of target 3 on its own: opening one AES-256-GCM sealed secret ({@link SecretCipher#aesGcm}, the user id as
 * associated data), which {@link ServiceVerifyBenchmark} pays on every sign-in; 4096 users round robin, as there.
 * <ul>
 *   <li>{@code open}: the SDK's open, in a fork with {@code --add-opens} for both packages, so on the JDK's AES and
 *       GHASH primitives ({@code internal.JdkGcm});</li>
 *   <li>{@code openViaCipher}: in the same fork, the open as the SDK did it before that path and still does
 *       without the flag, written out here: {@code Cipher "AES/GCM/NoPadding"} from a per-thread, per-key
 *       {@code ThreadLocal}, {@code init}, {@code updateAAD}, {@code doFinal}, the copied record wiped; the two
 *       side by side give the path's gain;</li>
 *   <li>{@code openWithoutOpens}: the SDK's open in a fork without the flag (through {@code Cipher}).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SecretOpenBenchmark {

    private final String[] userIds = new String[ServiceVerifyBenchmark.USERS];
    private final EncryptedSecret[] sealed = new EncryptedSecret[ServiceVerifyBenchmark.USERS];
    private SecretCipher cipher;
    private SecretKeySpec key;
    /** Per key id, each thread's cipher, as the SDK kept them. */
    private final Map<String, ThreadLocal<Cipher>> ciphers = Map.of("bench-1", ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }));
    private int next;

    @Setup
    public void setUp(BenchmarkParams params) throws GeneralSecurityException {
        BenchmarkMain.checkHmacPath(params);
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", keyBytes).build());
        key = new SecretKeySpec(keyBytes, "AES");
        SplittableRandom random = new SplittableRandom(7_013L);
        for (int i = 0; i < userIds.length; i++) {
            byte[] secret = new byte[20];
            random.nextBytes(secret);
            userIds[i] = "user-" + i;
            sealed[i] = cipher.seal(userIds[i], secret);
            if (!Arrays.equals(openViaCipher(i), secret)
                    || !Arrays.equals(cipher.open(userIds[i], sealed[i]), secret)) {
                throw new IllegalStateException("an open gives other bytes than were sealed");
            }
        }
    }

    @Benchmark
    public byte[] open() {
        int n = next;
        next = (n + 1) & (userIds.length - 1);
        return cipher.open(userIds[n], sealed[n]);
    }

    @Benchmark
    public byte[] openViaCipher() throws GeneralSecurityException {
        int n = next;
        next = (n + 1) & (userIds.length - 1);
        return openViaCipher(n);
    }

    @Benchmark
    public byte[] openWithoutOpens() {
        return open();
    }

    private byte[] openViaCipher(int n) throws GeneralSecurityException {
        byte[] bytes = sealed[n].sealed();
        try {
            Cipher c = ciphers.get(sealed[n].keyId()).get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
            c.updateAAD(userIds[n].getBytes(StandardCharsets.UTF_8));
            return c.doFinal(bytes, 12, bytes.length - 12);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
