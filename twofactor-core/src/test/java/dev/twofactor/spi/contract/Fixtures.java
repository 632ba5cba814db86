package dev.twofactor.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.CodeAccepted;
import dev.twofactor.Enrolment;
import dev.twofactor.NewTrustedDevice;
import dev.twofactor.Outcome;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Test data for the contract kit. Every test works on fresh random user ids, and every instant is a whole
 * millisecond, as the service hands them to a store.
 */
final class Fixtures {

    /** An instant with a millisecond part, so that a store keeping only seconds fails the round trip. */
    static final Instant T0 = Instant.parse("2026-11-01T09:15:30.123Z");

    /** The browser the trusted-device contracts remember. */
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Totp PHONE = Totp.defaults();

    private Fixtures() {
    }

    static String newUserId() {
        return "user-" + UUID.randomUUID();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * @return a sealed secret of 48 random bytes (the size of a sealed 160-bit secret) that contains zero bytes,
     *         so that a store treating the bytes as a C string or as text fails the round trip
     */
    static EncryptedSecret secret(String keyId) {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        bytes[0] = 0;
        bytes[17] = 0;
        bytes[47] = 0;
        bytes[1] = (byte) 0xFF;
        return new EncryptedSecret(keyId, bytes);
    }

    static PendingEnrolment pending(String keyId) {
        return new PendingEnrolment(newId(), secret(keyId), T0, T0.plus(Duration.ofMinutes(10)),
                PendingEnrolment.UNCONFIRMED);
    }

    /** Enables {@code userId} in {@code store}: a fresh secret sealed by {@code keyId}, {@code step} last used. */
    static EncryptedSecret enable(CredentialStore store, String userId, long step, String keyId) {
        PendingEnrolment pending = pending(keyId);
        store.savePending(userId, pending);
        assertThat(store.activatePending(userId, pending.id(), step, T0)).isTrue();
        return pending.secret();
    }

    /**
     * @return {@code count} codes with fresh ids and hashes shaped like the default hasher's
     */
    static List<StoredRecoveryCode> recoveryCodes(int count) {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        List<StoredRecoveryCode> codes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] salt = new byte[16];
            byte[] hash = new byte[32];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(hash);
            codes.add(new StoredRecoveryCode(newId(),
                    "pbkdf2-sha256$1000$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash)));
        }
        return codes;
    }

    /**
     * Enrols and confirms {@code userId} through the service, then moves the clock to the next step so that the next
     * code is not a replay.
     *
     * @return the user's secret, for the phone's codes
     */
    static TotpSecret enableThroughService(TwoFactorService service, MutableClock clock, String userId) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(userId, "me")).value();
        assertThat(service.confirmEnrolment(userId, PHONE.generateAt(enrolment.secret(), clock.instant()))
                .succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        return enrolment.secret();
    }

    /** Passes the challenge with the phone's code and remembers Firefox, then moves the clock to the next step. */
    static NewTrustedDevice rememberThroughService(TwoFactorService service, MutableClock clock, String userId,
                                                   TotpSecret secret) {
        Outcome<CodeAccepted> passed = service.verifyCode(userId, PHONE.generateAt(secret, clock.instant()));
        assertThat(passed.succeeded()).isTrue();
        Outcome<NewTrustedDevice> remembered = service.trustedDevices().remember(userId, passed, FIREFOX);
        clock.advance(Duration.ofSeconds(30));
        return ((Outcome.Success<NewTrustedDevice>) remembered).value();
    }
}
