package dev.twofactor.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorService;
import dev.twofactor.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** The test application's users, as the HTTP tests create and enrol them through the real service. */
final class Accounts {

    static final Totp TOTP = Totp.defaults();

    private static final AtomicInteger USERS = new AtomicInteger();

    private final InMemoryUserDetailsManager users;
    private final TwoFactorService service;
    private final MutableClock clock;

    Accounts(InMemoryUserDetailsManager users, TwoFactorService service, MutableClock clock) {
        this.users = users;
        this.service = service;
        this.clock = clock;
    }

    /** A new user with a password and the role {@code USER}, without 2FA; the name starts with {@code prefix}. */
    Account passwordUser(String prefix) {
        String name = prefix + USERS.incrementAndGet();
        String password = "pw-" + name;
        users.createUser(User.withUsername(name).password("{noop}" + password).roles("USER").build());
        return new Account(name, password, null, null);
    }

    /** A new user with 2FA enabled ({@link #enrol}); the name starts with {@code prefix}. */
    Account enrolledUser(String prefix) {
        return enrol(passwordUser(prefix));
    }

    /**
     * Enables 2FA for the account's user through {@link TwoFactorService#startEnrolment} and
     * {@link TwoFactorService#confirmEnrolment}, then moves the clock a step on (the confirming code counts as used).
     *
     * @return the account with its new secret and one of its recovery codes
     */
    Account enrol(Account account) {
        Enrolment enrolment = ((Outcome.Success<Enrolment>) service.startEnrolment(account.name(),
                account.name() + "@example.com")).value();
        TotpSecret secret = enrolment.secret();
        Outcome<Confirmation> confirmed = service.confirmEnrolment(account.name(),
                TOTP.generate(secret, TOTP.timeStep(clock.instant())));
        assertThat(confirmed.succeeded()).isTrue();
        String recovery = ((Outcome.Success<Confirmation>) confirmed).value().recoveryCodes().codes().get(0);
        clock.advance(Duration.ofSeconds(30));
        return new Account(account.name(), account.password(), secret, recovery);
    }

    /** A user of the test application: the secret and a recovery code are null until enrolled. */
    record Account(String name, String password, TotpSecret secret, String recoveryCode) {

        /** The current code at the clock's time. */
        String code(MutableClock clock) {
            return TOTP.generate(secret, TOTP.timeStep(clock.instant()));
        }

        @Override
        public String toString() {
            return "Account[" + name + "]";
        }
    }
}
