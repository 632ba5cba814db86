package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every value that holds a secret says so in {@code toString()} and shows nothing of it. */
@SuppressWarnings("deprecation") // uses the deprecated Set form of createAppPassword on purpose
class RedactionTest {

    private final Fixture f = new Fixture(b -> b.recoveryCodePolicy(RecoveryCodePolicy.EMERGENCY_KEY));

    @Test
    void valuesHoldingSecretsAreRedacted() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));
        Confirmation confirmation = success(f.service.confirmEnrolment("alice", f.code(enrolment.secret())));
        String key = confirmation.recoveryCodes().codes().get(0);
        RecoveryCodeAccepted accepted = success(f.service.redeemRecoveryCode("alice", key));
        String replacement = accepted.replacement().codes().get(0);
        Credential credential = f.store.findCredential("alice").orElseThrow();
        StoredRecoveryCode stored = f.store.findUnused("alice").get(0);
        String base32 = enrolment.secret().base32();

        List<Object> values = List.of(enrolment, enrolment.secret(), enrolment.keyUri(), confirmation,
                confirmation.recoveryCodes(), accepted, credential, credential.secret(), stored, Fixture.ring(),
                SecretCipher.aesGcm(Fixture.ring()), SecretHasher.pbkdf2(1000));

        for (Object value : values) {
            String text = value.toString();
            assertThat(text).as(value.getClass().getSimpleName())
                    .doesNotContain(base32).doesNotContain(base32.substring(0, 8))
                    .doesNotContain(key).doesNotContain(key.replace("-", ""))
                    .doesNotContain(replacement).doesNotContain(replacement.replace("-", ""))
                    .doesNotContain(stored.hash())
                    .doesNotContain(HexFormat.of().formatHex(Fixture.KEY_1));
        }
        assertThat(enrolment.toString()).contains("redacted");
        assertThat(confirmation.recoveryCodes().toString()).isEqualTo("RecoveryCodes[1 codes, redacted]");
        assertThat(stored.toString()).contains("hash=redacted");
    }

    /**
     * Scans the exported packages' compiled classes for every public type with an instance field that can hold a
     * secret (raw bytes or chars, a TOTP or sealed secret, recovery codes, a key ring, or a string, list or map named
     * like a secret, code, hash, password, key or tag). Each must either keep {@code Object.toString} (which shows
     * nothing) or have a sample below whose {@code toString()} shows none of the secrets it holds: a new type that
     * holds a secret fails here until it is redacted and given a sample.
     */
    @Test
    void everyExportedTypeThatHoldsASecretHasASampleWhoseToStringShowsNone() throws Exception {
        Fixture plain = new Fixture(b -> b.secretCipher(SecretCipher.plaintext())
                .appPasswordPermissions(Set.of("mail")).trustedDevices(true));
        Fixture.Enabled alice = plain.enable("alice");
        NewAppPassword app = success(plain.service.createAppPassword("alice", "Mail", Set.of("mail")));
        NewTrustedDevice device = success(plain.service.trustedDevices().remember("alice",
                plain.service.verifyCode("alice", plain.code(alice.secret())), "Firefox/127.0"));
        TrustedDeviceRecord deviceRecord = plain.store.findTrustedDevices("alice").get(0);
        Enrolment pending = success(plain.service.changeAuthenticator("alice", "alice@example.com"));
        Credential credential = plain.store.findCredential("alice").orElseThrow();
        StoredRecoveryCode stored = plain.store.findUnused("alice").get(0);
        AppPasswordRecord record = plain.store.findAppPasswords("alice").get(0);
        PendingEnrolment pendingRecord = credential.pending();
        KeyRing ring = Fixture.ring();
        Map<Class<?>, Object> samples = new LinkedHashMap<>();
        samples.put(TotpSecret.class, alice.secret());
        samples.put(Enrolment.class, pending);
        samples.put(KeyUri.class, pending.keyUri());
        samples.put(RecoveryCodes.class, alice.recoveryCodes());
        samples.put(Confirmation.class, confirmationOf(new Fixture()));
        samples.put(RecoveryCodeAccepted.class, success(plain.service.redeemRecoveryCode("alice",
                alice.recoveryCodes().codes().get(7))));
        samples.put(NewAppPassword.class, app);
        samples.put(KeyRing.class, ring);
        samples.put(KeyRing.Builder.class, KeyRing.builder().primaryKey("k1", Fixture.KEY_1));
        samples.put(InMemoryTwoFactorStore.class, plain.store);
        samples.put(Credential.class, credential);
        samples.put(dev.twofactor.spi.EncryptedSecret.class, credential.secret());
        samples.put(PendingEnrolment.class, pendingRecord);
        samples.put(StoredRecoveryCode.class, stored);
        samples.put(AppPasswordRecord.class, record);
        samples.put(NewTrustedDevice.class, device);
        samples.put(TrustedDeviceRecord.class, deviceRecord);
        // A bundle key ("challenge.expired"), not a secret: its field name only looks like one to the scan.
        samples.put(TwoFactorTexts.Key.class, TwoFactorTexts.Key.values()[0]);

        List<String> secrets = new ArrayList<>();
        for (TotpSecret secret : List.of(alice.secret(), pending.secret())) {
            secrets.add(secret.base32());
            secrets.add(secret.base32().substring(0, 10));
            secrets.add(HexFormat.of().formatHex(secret.bytes()).substring(0, 12));
            secrets.add(Base64.getEncoder().encodeToString(secret.bytes()).substring(0, 12));
            secrets.add(java.util.Arrays.toString(secret.bytes()).substring(0, 12));
        }
        alice.recoveryCodes().codes().forEach(code -> {
            secrets.add(code);
            secrets.add(code.replace("-", ""));
        });
        secrets.add(app.code());
        secrets.add(app.code().replace(" ", ""));
        secrets.add(stored.hash());
        secrets.add(record.hash());
        secrets.add(device.token().substring(TrustedDevices.TOKEN_LENGTH - 43));
        secrets.add(device.token().substring(TrustedDevices.TOKEN_LENGTH - 43, TrustedDevices.TOKEN_LENGTH - 31));
        secrets.add(deviceRecord.tokenHash());
        secrets.add(deviceRecord.tokenHash().substring(0, 12));
        // The lookup tag is 3 hex digits, which a random record id contains now and then: look for it as a field.
        secrets.add("Tag=" + record.lookupTag());
        secrets.add("tag=" + record.lookupTag());
        secrets.add(HexFormat.of().formatHex(Fixture.KEY_1).substring(0, 12));
        secrets.add(Base64.getEncoder().encodeToString(Fixture.KEY_1).substring(0, 12));

        List<String> unchecked = new ArrayList<>();
        for (Class<?> type : exportedTypesHoldingSecrets()) {
            boolean objectToString = type.getMethod("toString").getDeclaringClass() == Object.class;
            if (objectToString) {
                continue;
            }
            Object sample = samples.get(type);
            if (sample == null) {
                unchecked.add(type.getName());
                continue;
            }
            String text = sample.toString();
            for (String secret : secrets) {
                assertThat(text).as("%s.toString()", type.getSimpleName()).doesNotContain(secret);
            }
        }
        assertThat(unchecked).as("types that hold a secret and have no sample here").isEmpty();
        assertThat(samples.keySet()).as("samples of types the scan no longer finds")
                .allMatch(type -> exportedTypesHoldingSecretsCache.contains(type));
    }

    private static Confirmation confirmationOf(Fixture f) {
        Enrolment enrolment = success(f.service.startEnrolment("bob", "bob@example.com"));
        return success(f.service.confirmEnrolment("bob", f.code(enrolment.secret())));
    }

    private static final Set<String> SENSITIVE_TYPES = Set.of("TotpSecret", "EncryptedSecret", "RecoveryCodes",
            "KeyRing", "SecretKey");
    private List<Class<?>> exportedTypesHoldingSecretsCache = List.of();

    private List<Class<?>> exportedTypesHoldingSecrets() throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path classes = Path.of(TotpSecret.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        for (String pkg : List.of("dev.twofactor", "dev.twofactor.spi")) { // module-info's exports
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = file.getFileName().toString().replace(".class", "");
                    if (name.endsWith("-info")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + name, false, getClass().getClassLoader());
                    if (isPublic(type) && holdsSecret(type)) {
                        found.add(type);
                    }
                }
            }
        }
        assertThat(found).as("the scan finds the known holders").contains(TotpSecret.class, Credential.class);
        exportedTypesHoldingSecretsCache = found;
        return found;
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holdsSecret(Class<?> type) {
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Class<?> t = field.getType();
            String name = field.getName().toLowerCase(Locale.ROOT);
            boolean named = !name.endsWith("id") && !name.endsWith("ids")
                    && name.matches(".*(secret|code|hash|password|key|tag|sealed|token).*");
            boolean text = t == String.class || List.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t);
            boolean raw = t == byte[].class || t == char[].class;
            if (raw || SENSITIVE_TYPES.contains(t.getSimpleName()) || named && text) {
                return true;
            }
        }
        return false;
    }
}
