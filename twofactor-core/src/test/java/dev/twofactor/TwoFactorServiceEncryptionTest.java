package dev.twofactor;

import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.Credential;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TwoFactorServiceEncryptionTest {

    private final Fixture f = new Fixture();

    @Test
    void secretsRestSealedWithThePrimaryKeyAndBoundToTheUser() {
        Fixture.Enabled alice = f.enable("alice");

        EncryptedSecret stored = f.store.findCredential("alice").orElseThrow().secret();

        assertThat(stored.keyId()).isEqualTo("k1");
        assertThat(stored.sealed()).hasSize(12 + 20 + 16);
        assertThat(HexFormat.of().formatHex(stored.sealed()))
                .doesNotContain(HexFormat.of().formatHex(alice.secret().bytes()));
    }

    @Test
    void pendingSecretsAreSealedToo() {
        Enrolment enrolment = success(f.service.startEnrolment("alice", "alice@example.com"));

        PendingEnrolment pending = f.store.findCredential("alice").orElseThrow().pending();

        assertThat(pending.secret().keyId()).isEqualTo("k1");
        assertThat(HexFormat.of().formatHex(pending.secret().sealed()))
                .doesNotContain(HexFormat.of().formatHex(enrolment.secret().bytes()));
    }

    @Test
    void tamperedCiphertextFailsLoudlyNamingOnlyTheKeyId() {
        f.enable("alice");
        Credential credential = f.store.findCredential("alice").orElseThrow();
        byte[] bytes = credential.secret().sealed();
        bytes[20] ^= 0x40;
        f.store.replaceSecret("alice", credential.secret(), new EncryptedSecret("k1", bytes));

        assertThatThrownBy(() -> f.service.verifyCode("alice", "123456")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'k1'").hasMessageNotContaining(HexFormat.of().formatHex(bytes));
    }

    @Test
    void aSealedSecretCopiedOntoAnotherUserDoesNotOpen() {
        f.enable("alice");
        f.enable("mallory");
        EncryptedSecret alices = f.store.findCredential("alice").orElseThrow().secret();
        f.store.replaceSecret("mallory", f.store.findCredential("mallory").orElseThrow().secret(), alices);

        assertThatThrownBy(() -> f.service.verifyCode("mallory", "123456")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keyRotationOpensOldRecordsAndReencryptMovesThemToThePrimaryKeyInBatches() {
        Fixture.Enabled alice = f.enable("alice");
        Fixture.Enabled bob = f.enable("bob");
        Fixture.Enabled carol = f.enable("carol");
        KeyRing rotated = KeyRing.builder().primaryKey("k2", Fixture.KEY_2).decryptionKey("k1", Fixture.KEY_1).build();
        TwoFactorService service = f.builder().secretCipher(SecretCipher.aesGcm(rotated)).build();
        assertThat(service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();

        String log = LogCapture.during(() -> {
            assertThat(service.reencryptSecrets(2)).isEqualTo(2);
            assertThat(service.reencryptSecrets(2)).isEqualTo(1);
            assertThat(service.reencryptSecrets(2)).isZero();
        });
        assertThat(log).contains("Re-sealed 2 TOTP secrets with key 'k2'", "Re-sealed 1 TOTP secrets with key 'k2'");

        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(f.store.findCredential(user).orElseThrow().secret().keyId()).isEqualTo("k2");
        }
        TwoFactorService withoutOldKey = f.builder()
                .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k2", Fixture.KEY_2).build())).build();
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(withoutOldKey.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();
        assertThat(withoutOldKey.verifyCode("bob", f.code(bob.secret())).succeeded()).isTrue();
        assertThat(withoutOldKey.verifyCode("carol", f.code(carol.secret())).succeeded()).isTrue();
    }

    @Test
    void reencryptKeepsTheLastUsedStep() {
        Fixture.Enabled alice = f.enable("alice");
        String used = f.code(alice.secret());
        assertThat(f.service.verifyCode("alice", used).succeeded()).isTrue();
        TwoFactorService rotated = f.builder().secretCipher(SecretCipher.aesGcm(
                KeyRing.builder().primaryKey("k2", Fixture.KEY_2).decryptionKey("k1", Fixture.KEY_1).build())).build();

        LogCapture.during(() -> assertThat(rotated.reencryptSecrets(10)).isEqualTo(1));

        assertThat(Fixture.reason(rotated.verifyCode("alice", used))).isEqualTo(Reason.CODE_ALREADY_USED);
    }

    @Test
    void reencryptWithBadBatchSizeThenIllegalArgument() {
        assertThatThrownBy(() -> f.service.reencryptSecrets(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.reencryptSecrets(-1)).isInstanceOf(IllegalArgumentException.class);
        f.enable("alice");
        TwoFactorService rotated = f.builder().secretCipher(SecretCipher.aesGcm(
                KeyRing.builder().primaryKey("k2", Fixture.KEY_2).decryptionKey("k1", Fixture.KEY_1).build())).build();
        LogCapture.during(() -> assertThat(rotated.reencryptSecrets(1)).as("the smallest batch").isEqualTo(1));
    }

    @Test
    void withoutAnyCipherTheBuilderRefusesInsteadOfFallingBackToPlaintext() {
        assertThatThrownBy(() -> TwoFactorService.builder().issuer("ACME").store(f.store).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secretCipher");
    }

    @Test
    void plaintextModeWorksWhenAskedForAndItsRecordsAreSealedAfterTheSwitch() {
        Enrolment[] enrolled = new Enrolment[1];
        String enrolmentLog = LogCapture.during(() -> {
            TwoFactorService plain = f.builder().secretCipher(SecretCipher.plaintext()).build();
            enrolled[0] = success(plain.startEnrolment("alice", "alice@example.com"));
            assertThat(plain.confirmEnrolment("alice", f.code(enrolled[0].secret())).succeeded()).isTrue();
        });
        Enrolment enrolment = enrolled[0];
        assertThat(enrolmentLog)
                .contains("WARN dev.twofactor.SecretCipher - twofactor stores TOTP secrets UNENCRYPTED");
        EncryptedSecret stored = f.store.findCredential("alice").orElseThrow().secret();
        assertThat(stored.keyId()).isEqualTo("plain");
        assertThat(stored.sealed()).isEqualTo(enrolment.secret().bytes());

        f.clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> f.service.reencryptSecrets(10)).as("not without asking for the migration")
                .isInstanceOf(IllegalStateException.class);
        TwoFactorService migration = f.builder().acceptPlaintextSecretsForMigration(true).build();
        assertThat(migration.verifyCode("alice", f.code(enrolment.secret())).succeeded()).isTrue();
        assertThat(migration.reencryptSecrets(10)).isEqualTo(1);

        assertThat(f.store.findCredential("alice").orElseThrow().secret().keyId()).isEqualTo("k1");
        String log = LogCapture.during(() -> assertThat(migration.reencryptSecrets(10)).isZero());
        assertThat(log).contains("No TOTP secret left to re-seal")
                .contains("acceptPlaintextSecretsForMigration can be switched off");
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(f.service.verifyCode("alice", f.code(enrolment.secret())).succeeded()).isTrue();
    }

    @Test
    void plaintextRecordPlantedUnderAesGcmIsRefusedAndNeverAccepted() {
        f.enable("alice");
        TotpSecret attackers = TotpSecret.generate();
        EncryptedSecret planted = new EncryptedSecret(EncryptedSecret.PLAINTEXT_KEY_ID, attackers.bytes());
        EncryptedSecret real = f.store.findCredential("alice").orElseThrow().secret();
        assertThat(f.store.replaceSecret("alice", real, planted)).isTrue();

        assertThatThrownBy(() -> f.service.verifyCode("alice", f.code(attackers)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refused a TOTP secret stored in plaintext")
                .hasMessageNotContaining(attackers.base32());
        assertThatThrownBy(() -> f.service.stepUpWithCode("alice", f.code(attackers)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isLessThan(f.step());
        assertThat(f.events.types()).doesNotContain(TwoFactorEventType.STEP_UP);
    }
}
