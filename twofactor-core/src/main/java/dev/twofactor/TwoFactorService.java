package dev.twofactor;

import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The one entry point of twofactor: enrolment, sign-in verification, recovery codes, backoff, policy, step-up,
 * administration and app passwords for every user of a host application.
 *
 * <p>Build one per application with {@link #builder()} and share it: it is immutable, thread-safe and long-lived.
 * All state lives in the stores, so several instances on several nodes sharing one store behave as one.
 *
 * <p>Every outcome a caller must handle is an {@link Outcome}; exceptions are for misuse ({@code null} arguments,
 * missing configuration: {@link NullPointerException}, {@link IllegalArgumentException},
 * {@link IllegalStateException}) and for storage failures ({@link dev.twofactor.spi.StorageException}). No secret,
 * code or password ever appears in an exception, a log line or an event.
 *
 * <p>Every check of a second factor or password here counts toward the user's brute-force backoff
 * ({@link BackoffPolicy}), and is refused without being checked during a backoff ({@link Outcome.RateLimited}) or
 * once locked ({@link Outcome.Locked}).
 */
public final class TwoFactorService {

    private TwoFactorService(Builder builder) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- status and enrolment (SPEC §4)

    /**
     * @param userId the user
     * @return the user's state, confirmation date, pending enrolment, remaining recovery codes and lock
     */
    public TwoFactorStatus status(String userId) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Starts enrolment: mints a fresh secret, stores it as pending (replacing any earlier pending one) and returns it
     * with its key URI and QR code. The state becomes {@code PENDING_CONFIRMATION}; the secret does not protect the
     * account until confirmed, and expires after the pending TTL.
     *
     * @param userId the user
     * @param accountName the account name shown in the authenticator app (often the e-mail address); no colon
     * @return the enrolment, or {@link Reason#ALREADY_ENABLED} (use {@link #changeAuthenticator} instead)
     */
    public Outcome<Enrolment> startEnrolment(String userId, String accountName) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * An enabled user starts moving to a new authenticator app: a new pending secret. The old one keeps working until
     * the new one is confirmed with {@link #confirmEnrolment}, which replaces it. Only one authenticator app per user.
     *
     * @param userId the user
     * @param accountName the account name shown in the authenticator app; no colon
     * @return the enrolment, or {@link Reason#NOT_ENABLED}
     */
    public Outcome<Enrolment> changeAuthenticator(String userId, String accountName) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Discards the pending enrolment ("navigating away discards it"). An enabled user's active authenticator is kept.
     *
     * @param userId the user
     * @return the new status, or {@link Reason#NO_PENDING_ENROLMENT}
     */
    public Outcome<TwoFactorStatus> cancelEnrolment(String userId) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Confirms the pending enrolment with a code from the new authenticator. The code counts as used. On a first
     * enrolment the state becomes {@code ENABLED} (or, with acknowledgement required, stays pending until
     * {@link #acknowledgeRecoveryCodes}) and a fresh set of recovery codes is returned, once. On a change of
     * authenticator app the new secret replaces the old one and the recovery codes are kept.
     *
     * @param userId the user
     * @param code the code as typed
     * @return the confirmation; {@link Reason#NO_PENDING_ENROLMENT}, {@link Reason#WRONG_CODE},
     *         {@link Reason#MALFORMED_CODE}; rate-limited; locked
     */
    public Outcome<Confirmation> confirmEnrolment(String userId, CharSequence code) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * With {@link Builder#requireRecoveryCodeAcknowledgement(boolean)}: the user confirms "I have saved my recovery
     * codes", and the state becomes {@code ENABLED}.
     *
     * @param userId the user
     * @return the new status, or {@link Reason#NOTHING_TO_ACKNOWLEDGE}
     */
    public Outcome<TwoFactorStatus> acknowledgeRecoveryCodes(String userId) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Disables two-factor authentication after checking the user's current password with the
     * {@link PasswordVerifier}: removes the secret, the pending enrolment and the recovery codes. A wrong password
     * counts as a failure for the backoff. The array is wiped.
     *
     * @param userId the user
     * @param password the current password
     * @return the new status ({@code NOT_CONFIGURED}); {@link Reason#WRONG_PASSWORD_DISABLE},
     *         {@link Reason#NOT_ENABLED}; rate-limited; locked
     * @throws IllegalStateException if no {@link PasswordVerifier} was configured
     */
    public Outcome<TwoFactorStatus> disable(String userId, char[] password) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    // ---------------------------------------------------------------- sign-in verification (SPEC §6, §7)

    /**
     * Checks an authenticator code at sign-in: every step of the window in constant time, then replay protection
     * (a code is accepted at most once: only for a time step later than the last accepted one, compare-and-set in
     * the store).
     *
     * @param userId the user, whose password the host already accepted
     * @param code the code as typed
     * @return the accepted code's step and drift; {@link Reason#WRONG_CODE}, {@link Reason#MALFORMED_CODE},
     *         {@link Reason#CODE_ALREADY_USED}, {@link Reason#NOT_ENABLED}; rate-limited; locked
     */
    public Outcome<CodeAccepted> verifyCode(String userId, CharSequence code) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Redeems a recovery code ("Lost your phone?"): normalised, checked against the unused codes' hashes, consumed
     * atomically (of concurrent redemptions of one code exactly one succeeds).
     *
     * @param userId the user
     * @param recoveryCode the code as typed
     * @return remaining codes (and, with a rotate-on-use policy, the replacement set); {@link
     *         Reason#WRONG_RECOVERY_CODE}, {@link Reason#NOT_ENABLED}; rate-limited; locked
     */
    public Outcome<RecoveryCodeAccepted> redeemRecoveryCode(String userId, CharSequence recoveryCode) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Issues a new set of recovery codes; the old set stops working at once, atomically. Ask for a recent step-up
     * first ({@link #stepUpRequired}).
     *
     * @param userId the user
     * @return the new codes, to be shown once; {@link Reason#NOT_ENABLED}
     */
    public Outcome<RecoveryCodes> regenerateRecoveryCodes(String userId) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    // ---------------------------------------------------------------- policy (SPEC §8)

    /**
     * @return the organisation policy in force
     */
    public OrganisationPolicy policy() {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * Sets the organisation policy, effective now.
     *
     * @param adminId the administrator making the change (recorded in the event)
     * @param level who must use two-factor authentication
     * @param gracePeriod how long a user may continue without enrolling; {@link Duration#ZERO} for none
     * @return the stored policy
     */
    public OrganisationPolicy setPolicy(String adminId, EnforcementLevel level, Duration gracePeriod) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * What must this signed-in user do now? {@link Requirement.Challenge} if they have two-factor authentication
     * enabled (the adapter skips it once the session passed the challenge); {@link Requirement.Enrol} if the policy
     * requires them to enrol and they have not (during a grace period, not yet enforced); otherwise
     * {@link Requirement.Nothing}.
     *
     * @param user the user and what the host knows of them
     * @return the requirement
     */
    public Requirement requirementFor(UserContext user) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    // ---------------------------------------------------------------- step-up (SPEC §9)

    /**
     * @return how long a step-up verification unlocks sensitive actions (default 5 minutes)
     */
    public Duration stepUpWindow() {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * @param lastVerifiedAt when the session last passed a step-up (or the sign-in challenge), or {@code null}
     * @return whether a sensitive action needs a new verification now
     */
    public boolean stepUpRequired(Instant lastVerifiedAt) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * Unlocks sensitive settings with the current password. A wrong password counts toward the backoff.
     * The array is wiped.
     *
     * @param userId the user
     * @param password the password
     * @return the verification time to keep in the session; {@link Reason#WRONG_PASSWORD}; rate-limited; locked
     */
    public Outcome<Instant> stepUpWithPassword(String userId, char[] password) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * Unlocks sensitive settings with a current authenticator code (which then counts as used). A wrong code counts
     * toward the backoff.
     *
     * @param userId the user
     * @param code the code
     * @return the verification time to keep in the session; the same rejections as {@link #verifyCode}
     */
    public Outcome<Instant> stepUpWithCode(String userId, CharSequence code) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    // ---------------------------------------------------------------- administration (SPEC §9)

    /**
     * An administrator removes the enrolment of a user who lost both phone and recovery codes: clears their secret,
     * pending enrolment, recovery codes and backoff lock. The administrator must have two-factor authentication
     * enabled and present a current code of their own (which counts as used; a wrong one counts toward the
     * administrator's backoff).
     *
     * @param adminId the administrator
     * @param adminCode a current code from the administrator's authenticator
     * @param targetUserId the user to unenrol
     * @return the target's new status; {@link Reason#SELF_UNENROL}, {@link Reason#ADMIN_NOT_ENABLED},
     *         {@link Reason#WRONG_CODE} (and other code rejections), {@link Reason#UNKNOWN_USER},
     *         {@link Reason#NO_ENROLLMENT}; rate-limited or locked (the administrator's)
     */
    public Outcome<TwoFactorStatus> adminUnenrol(String adminId, CharSequence adminCode, String targetUserId) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * An administrator lifts a user's backoff and lock, keeping their enrolment. Same administrator checks as
     * {@link #adminUnenrol}.
     *
     * @param adminId the administrator
     * @param adminCode a current code from the administrator's authenticator
     * @param targetUserId the user
     * @return the target's new status; the same rejections as {@link #adminUnenrol}
     */
    public Outcome<TwoFactorStatus> adminResetBackoff(String adminId, CharSequence adminCode, String targetUserId) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    // ---------------------------------------------------------------- app passwords (SPEC §10)

    /**
     * Creates an app password: a 20-digit code from {@code SecureRandom}, shown once, stored as a salted slow hash.
     * Ask for a recent step-up first.
     *
     * @param userId the owner
     * @param name a name, 1 to 100 characters after trimming
     * @param permissions permission strings to grant; empty for full access
     * @return the new app password with its code
     */
    public Outcome<NewAppPassword> createAppPassword(String userId, String name, Set<String> permissions) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * @param userId the owner
     * @return the user's app passwords (never their codes), oldest first
     */
    public List<AppPassword> appPasswords(String userId) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * Revokes an app password; it stops working at once.
     *
     * @param userId the owner
     * @param appPasswordId its id
     * @return the revoked app password, or {@link Reason#APP_PASSWORD_NOT_FOUND}
     */
    public Outcome<AppPassword> revokeAppPassword(String userId, String appPasswordId) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    /**
     * Authenticates with an app password instead of the password (clients that cannot do two-factor sign-in),
     * recording its last use. A wrong one counts toward the backoff.
     *
     * @param userId the owner
     * @param appPassword the code as typed (spaces ignored)
     * @return the granted permissions; {@link Reason#WRONG_APP_PASSWORD}; rate-limited; locked
     */
    public Outcome<AppPasswordGrant> verifyAppPassword(String userId, CharSequence appPassword) {
        throw new UnsupportedOperationException("TODO issue 4");
    }

    // ---------------------------------------------------------------- key rotation (SPEC §11)

    /**
     * Re-seals, with the primary key, up to {@code batchSize} active secrets sealed with an older key (or stored in
     * plaintext mode). Call repeatedly until it returns 0.
     *
     * @param batchSize the most records to re-seal in this call
     * @return how many were re-sealed
     */
    public int reencryptSecrets(int batchSize) {
        throw new UnsupportedOperationException("TODO issue 3");
    }

    /**
     * Builds a {@link TwoFactorService}. Required: {@link #issuer}, a store (all of {@link #store} or each of the
     * five), and {@link #secretCipher}. Everything else has a default.
     */
    public static final class Builder {
        String issuer;
        CredentialStore credentialStore;
        RecoveryCodeStore recoveryCodeStore;
        BackoffStore backoffStore;
        AppPasswordStore appPasswordStore;
        PolicyStore policyStore;
        SecretCipher secretCipher;
        Clock clock = Clock.systemUTC();
        Totp totp = Totp.defaults();
        SecretHasher hasher;
        RecoveryCodePolicy recoveryCodePolicy = RecoveryCodePolicy.STANDARD;
        BackoffPolicy backoffPolicy = BackoffPolicy.DEFAULT;
        Duration pendingEnrolmentTtl = Duration.ofMinutes(10);
        Duration stepUpWindow = Duration.ofMinutes(5);
        boolean requireRecoveryCodeAcknowledgement;
        PasswordVerifier passwordVerifier;
        UserDirectory userDirectory = UserDirectory.ANY_USER_EXISTS;
        TwoFactorListener listener;

        private Builder() {
        }

        /**
         * @param issuer the name shown in authenticator apps ("ACME Corp"); required, no colon
         * @return this builder
         */
        public Builder issuer(String issuer) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store all five stores in one (the in-memory or the JDBC store)
         * @return this builder
         */
        public Builder store(TwoFactorStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store where authenticator secrets live
         * @return this builder
         */
        public Builder credentialStore(CredentialStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store where recovery code hashes live
         * @return this builder
         */
        public Builder recoveryCodeStore(RecoveryCodeStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store where backoff state lives
         * @return this builder
         */
        public Builder backoffStore(BackoffStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store where app passwords live
         * @return this builder
         */
        public Builder appPasswordStore(AppPasswordStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param store where the organisation policy lives
         * @return this builder
         */
        public Builder policyStore(PolicyStore store) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param cipher how secrets are sealed at rest; required: {@link SecretCipher#aesGcm(KeyRing)}, or
         *               {@link SecretCipher#plaintext()} asked for explicitly
         * @return this builder
         */
        public Builder secretCipher(SecretCipher cipher) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param clock the time source for codes, expiry and backoff; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param totp algorithm, digits, period and window of the codes (its clock is replaced by {@link #clock});
         *             default {@link Totp#defaults()}: SHA1, 6 digits, 30 s, ±1 step. Changing algorithm, digits or
         *             period after users enrolled breaks their authenticator entries.
         * @return this builder
         */
        public Builder totp(Totp totp) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param hasher how recovery codes and app passwords are hashed; default {@link SecretHasher#pbkdf2()}
         * @return this builder
         */
        public Builder hasher(SecretHasher hasher) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param policy recovery code format and behaviour; default {@link RecoveryCodePolicy#STANDARD}
         * @return this builder
         */
        public Builder recoveryCodePolicy(RecoveryCodePolicy policy) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param policy the brute-force backoff; default {@link BackoffPolicy#DEFAULT}
         * @return this builder
         */
        public Builder backoffPolicy(BackoffPolicy policy) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param ttl how long a pending enrolment stays confirmable; default 10 minutes
         * @return this builder
         */
        public Builder pendingEnrolmentTtl(Duration ttl) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param window how long a step-up unlocks sensitive actions; default 5 minutes
         * @return this builder
         */
        public Builder stepUpWindow(Duration window) {
            throw new UnsupportedOperationException("TODO issue 4");
        }

        /**
         * @param required whether the user must acknowledge "I have saved my recovery codes" before the state becomes
         *                 {@code ENABLED}; default {@code false}
         * @return this builder
         */
        public Builder requireRecoveryCodeAcknowledgement(boolean required) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param verifier the host's password check, for disable and step-up; without one those operations throw
         *                 {@link IllegalStateException}
         * @return this builder
         */
        public Builder passwordVerifier(PasswordVerifier verifier) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @param directory which user ids exist, for admin requests; default {@link UserDirectory#ANY_USER_EXISTS}
         * @return this builder
         */
        public Builder userDirectory(UserDirectory directory) {
            throw new UnsupportedOperationException("TODO issue 4");
        }

        /**
         * @param listener receives every event; default an SLF4J audit logger (logger {@code dev.twofactor.audit})
         * @return this builder
         */
        public Builder listener(TwoFactorListener listener) {
            throw new UnsupportedOperationException("TODO issue 3");
        }

        /**
         * @return the service
         * @throws IllegalStateException if a required setting is missing
         */
        public TwoFactorService build() {
            return new TwoFactorService(this);
        }
    }
}
