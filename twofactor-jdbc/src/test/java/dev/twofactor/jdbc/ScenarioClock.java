package dev.twofactor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import dev.twofactor.testing.Codes;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the service scenarios of the JDBC store share: one hand-moved clock that every service of a test reads (as
 * servers read one synchronised time), starting at {@link #START}; the user's phone, which shows the codes of that
 * clock; and a user enabled as the user would do it, enrolment then confirmation with the phone's code.
 */
final class ScenarioClock {

    /** 2026-01-01T00:00:00Z, a time-step boundary. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(START);
    private final Totp phone = Totp.defaults();

    /** A user that {@link #enable} enabled: the secret the phone holds and the recovery codes shown once. */
    record Enabled(TotpSecret secret, RecoveryCodes recoveryCodes) {
    }

    /** Back to {@link #START}. */
    void reset() {
        clock.set(START);
    }

    /** Moves the clock by {@code amount}. */
    void advance(Duration amount) {
        clock.advance(amount);
    }

    /** The code the phone shows now. */
    String code(TotpSecret secret) {
        return phone.generate(secret, phone.timeStep(clock.instant()));
    }

    /** A code the phone shows at no step near now. */
    String wrongCode(TotpSecret secret) {
        return Codes.wrong(phone, secret, clock.instant());
    }

    /** Enrols {@code userId} on {@code service}, confirms there, and moves the clock to the next step. */
    Enabled enable(TwoFactorService service, String userId) {
        return enable(service, service, userId);
    }

    /** Enrols on {@code enrolOn}, confirms on {@code confirmOn}, and moves the clock to the next step. */
    Enabled enable(TwoFactorService enrolOn, TwoFactorService confirmOn, String userId) {
        Enrolment enrolment = success(enrolOn.startEnrolment(userId, userId + "@example.com"));
        Confirmation confirmation = success(confirmOn.confirmEnrolment(userId, code(enrolment.secret())));
        clock.advance(Duration.ofSeconds(30));
        return new Enabled(enrolment.secret(), confirmation.newRecoveryCodes().orElseThrow());
    }

    /** The value of a successful outcome; fails the test otherwise. */
    static <T> T success(Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Success.class);
        return ((Outcome.Success<T>) outcome).value();
    }
}
