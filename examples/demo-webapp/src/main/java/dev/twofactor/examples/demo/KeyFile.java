package dev.twofactor.examples.demo;

import dev.twofactor.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The AES-256-GCM key that seals the TOTP secrets, generated on first start and kept beside the database
 * ({@code secret-key.txt}, base64, readable by the owner only). Back it up with the database: without it no sealed
 * secret opens, so nobody enrolled could sign in.
 */
final class KeyFile {

    static final String FILE_NAME = "secret-key.txt";
    private static final String KEY_ID = "demo-1";

    private KeyFile() {
    }

    static KeyRing loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    write(file, Base64.getEncoder().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException concurrent) {
                    // Another process created it first: use that one.
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            try {
                if (key.length != 32) {
                    throw new IllegalStateException(file + " does not hold a 32-byte key; restore it from backup");
                }
                return KeyRing.builder().primaryKey(KEY_ID, key).build();
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the key file " + file, e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
