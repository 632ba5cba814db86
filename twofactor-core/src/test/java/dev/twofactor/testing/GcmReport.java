package dev.twofactor.testing;

import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.spi.EncryptedSecret;
import java.util.HexFormat;

/**
 * A program for {@code JdkGcmPathTest}'s JVMs: seals a fixed secret with AES-GCM, then prints what opening it gives
 * and what opening it with one tag bit changed gives, one line each. Which path opened is in the log (logger
 * {@code dev.twofactor.jdkGcm}). Outside package {@code dev.twofactor}, which the module owns on the module path.
 */
public final class GcmReport {

    private GcmReport() {
    }

    /**
     * Prints the report.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        byte[] key = new byte[32];
        byte[] secret = new byte[20];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 3 + 1);
        }
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) i;
        }
        SecretCipher cipher = SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", key).build());
        EncryptedSecret sealed = cipher.seal("j\u00fcrgen", secret);
        System.out.println("opened " + HexFormat.of().formatHex(cipher.open("j\u00fcrgen", sealed)));
        byte[] tampered = sealed.sealed();
        tampered[tampered.length - 1] ^= 1;
        try {
            cipher.open("j\u00fcrgen", new EncryptedSecret("k1", tampered));
            System.out.println("tampered opened");
        } catch (IllegalStateException e) {
            System.out.println("tampered " + e.getMessage());
        }
    }
}
