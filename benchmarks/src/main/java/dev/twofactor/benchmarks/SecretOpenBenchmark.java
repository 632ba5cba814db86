package dev.twofactor.benchmarks;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
 * Part of target 3 on its own: opening one AES-256-GCM sealed secret ({@link SecretCipher#aesGcm}, the user id as
 * associated data), which {@link ServiceVerifyBenchmark} pays on every sign-in; 4096 users round robin, as there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SecretOpenBenchmark {

    private final String[] userIds = new String[ServiceVerifyBenchmark.USERS];
    private final EncryptedSecret[] sealed = new EncryptedSecret[ServiceVerifyBenchmark.USERS];
    private SecretCipher cipher;
    private int next;

    @Setup
    public void setUp() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("bench-1", key).build());
        SplittableRandom random = new SplittableRandom(7_013L);
        for (int i = 0; i < userIds.length; i++) {
            byte[] secret = new byte[20];
            random.nextBytes(secret);
            userIds[i] = "user-" + i;
            sealed[i] = cipher.seal(userIds[i], secret);
        }
    }

    @Benchmark
    public byte[] open() {
        int n = next;
        next = (n + 1) & (userIds.length - 1);
        return cipher.open(userIds[n], sealed[n]);
    }
}
