package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spi.BackoffState;
import dev.twofactor.testing.Codes;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A service on the in-memory store with a hand-moved clock, and helpers that play the user's phone. */
final class Fixture {

    /** A time step boundary: 2026-01-01T00:00:00Z is a multiple of 30 s. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String PASSWORD = "correct horse battery staple";
    static final byte[] KEY_1 = key(1);
    static final byte[] KEY_2 = key(2);

    final MutableClock clock = new MutableClock(START);
    final InMemoryTwoFactorStore store = new InMemoryTwoFactorStore();
    final RecordingListener events = new RecordingListener();
    final Totp phone = Totp.defaults();
    final AtomicInteger passwordChecks = new AtomicInteger();
    TwoFactorService service;

    Fixture() {
        this.service = builder().build();
    }

    Fixture(java.util.function.UnaryOperator<TwoFactorService.Builder> customise) {
        this.service = customise.apply(builder()).build();
    }

    TwoFactorService.Builder builder() {
        return TwoFactorService.builder()
                .issuer("ACME Corp")
                .store(store)
                .secretCipher(SecretCipher.aesGcm(ring()))
                .clock(clock)
                .hasher(SecretHasher.pbkdf2(1000))
                .listener(events)
                .appPasswordPermissions(Set.of("mail:read", "mail:send", "calendar"))
                .passwordVerifier((userId, password) -> {
                    passwordChecks.incrementAndGet();
                    return Arrays.equals(password, PASSWORD.toCharArray())
                            ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH;
                });
    }

    static KeyRing ring() {
        return KeyRing.builder().primaryKey("k1", KEY_1).build();
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 31);
        return key;
    }

    long step() {
        return phone.timeStep(clock.instant());
    }

    /** The code the phone shows now, shifted by {@code drift} steps. */
    String code(TotpSecret secret, int drift) {
        return phone.generate(secret, step() + drift);
    }

    String code(TotpSecret secret) {
        return code(secret, 0);
    }

    /** The codes of the previous, current and next step; two steps of a random secret may share a code. */
    Set<String> windowCodes(TotpSecret secret) {
        return Set.copyOf(List.of(code(secret, -1), code(secret, 0), code(secret, 1)));
    }

    /** A well-formed code that matches no step of the window. */
    String wrongCode(TotpSecret secret) {
        return Codes.wrong(phone, secret, clock.instant());
    }

    /** Enrols and confirms the user; the clock moves on to the next step, so a fresh code is usable at once. */
    Enabled enable(String userId) {
        Enrolment enrolment = success(service.startEnrolment(userId, userId + "@example.com"));
        Confirmation confirmation = success(service.confirmEnrolment(userId, code(enrolment.secret())));
        assertThat(confirmation.state()).isEqualTo(TwoFactorState.ENABLED);
        clock.advance(Duration.ofSeconds(30));
        return new Enabled(enrolment.secret(), confirmation.recoveryCodes());
    }

    record Enabled(TotpSecret secret, RecoveryCodes recoveryCodes) {
    }

    BackoffState backoff(String userId) {
        return store.findBackoff(userId);
    }

    static char[] password() {
        return PASSWORD.toCharArray();
    }

    static <T> T success(Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Success.class);
        return ((Outcome.Success<T>) outcome).value();
    }

    static Reason reason(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) outcome).reason();
    }
}
