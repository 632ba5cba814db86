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
import java.util.Objects;
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
 * once locked ({@link Outcome.Locked}). App passwords have a backoff of their own, with the same policy: they are
 * checked without the user's password, so failures there must not let anyone slow down or lock the user's sign-in.
 *
 * <p>App passwords are a companion of an enabled second factor (SPEC §10: for clients and devices that cannot do
 * two-factor sign-in): they can be created and used only while the user's two-factor authentication is
 * {@link TwoFactorState#ENABLED}, and {@link #disable} and {@link #adminUnenrol} revoke them all. Otherwise a user
 * who never enrolled, or who disabled two-factor authentication, could keep API access through an app password, a
 * bypass of the organisation policy ({@link EnforcementLevel}) and of the second factor itself.
 */
public final class TwoFactorService {

    private final Context context;
    private final Enrolments enrolments;
    private final SignIns signIns;
    private final StepUps stepUps;
    private final Administration administration;
    private final AppPasswordManager appPasswords;
    private final KeyRotation keyRotation;

    private TwoFactorService(Builder builder) {
        this.context = new Context(builder);
        BackoffGate gate = new BackoffGate(context.backoffs, context.backoffPolicy, context.events);
        CodeCheck codes = new CodeCheck(context, gate);
        this.appPasswords = new AppPasswordManager(context, gate);
        this.enrolments = new Enrolments(context, gate, codes, appPasswords);
        this.signIns = new SignIns(context, gate, codes);
        this.stepUps = new StepUps(context, gate, codes);
        this.administration = new Administration(context, codes, appPasswords, enrolments);
        this.keyRotation = new KeyRotation(context);
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the clock every time stamp of the service comes from (codes, expiry, backoff, step-up, events): the
     *         one set with {@link Builder#clock}, so that an adapter stamping and comparing times agrees with it
     */
    public Clock clock() {
        return context.clock;
    }

    /**
     * A pending enrolment past its expiry counts as absent everywhere.
     *
     * @param userId the user
     * @return the user's state, confirmation date, pending enrolment, remaining recovery codes and lock
     */
    public TwoFactorStatus status(String userId) {
        return enrolments.status(Context.user(userId));
    }

    /**
     * Starts enrolment: mints a fresh secret, stores it as pending (replacing any earlier pending one) and returns it
     * with its key URI and QR code. The state becomes {@code PENDING_CONFIRMATION}; the secret does not protect the
     * account until confirmed, and expires after the pending TTL.
     *
     * @param userId the user
     * @param accountName the account name shown in the authenticator app (often the e-mail address); no colon
     * @return the enrolment, or {@link Reason#ALREADY_ENABLED} (use {@link #changeAuthenticator} instead)
     * @throws IllegalArgumentException if the account name is blank or contains a colon
     */
    public Outcome<Enrolment> startEnrolment(String userId, String accountName) {
        return enrolments.start(Context.user(userId), Objects.requireNonNull(accountName, "accountName"), false);
    }

    /**
     * An enabled user starts moving to a new authenticator app: a new pending secret. The old one keeps working until
     * the new one is confirmed with {@link #confirmEnrolment}, which replaces it. Only one authenticator app per user.
     *
     * @param userId the user
     * @param accountName the account name shown in the authenticator app; no colon
     * @return the enrolment, or {@link Reason#NOT_ENABLED}
     * @throws IllegalArgumentException if the account name is blank or contains a colon
     */
    public Outcome<Enrolment> changeAuthenticator(String userId, String accountName) {
        return enrolments.start(Context.user(userId), Objects.requireNonNull(accountName, "accountName"), true);
    }

    /**
     * Discards the pending enrolment ("navigating away discards it"). An enabled user's active authenticator is kept.
     *
     * @param userId the user
     * @return the new status, or {@link Reason#NO_PENDING_ENROLMENT} (also for an expired one, which is removed)
     */
    public Outcome<TwoFactorStatus> cancelEnrolment(String userId) {
        return enrolments.cancel(Context.user(userId));
    }

    /**
     * Confirms the pending enrolment with a code from the new authenticator. The code counts as used. On a first
     * enrolment the state becomes {@code ENABLED} (or, with acknowledgement required, stays pending until
     * {@link #acknowledgeRecoveryCodes}) and a fresh set of recovery codes is returned, once. On a change of
     * authenticator app the new secret replaces the old one and the recovery codes are kept.
     *
     * <p>A wrong or malformed code counts toward the backoff. A pending enrolment that a code already confirmed
     * (awaiting acknowledgement) cannot be confirmed again: {@link Reason#NO_PENDING_ENROLMENT}, since its recovery
     * codes were shown once already and starting over is the safe way on.
     *
     * @param userId the user
     * @param code the code as typed
     * @return the confirmation; {@link Reason#NO_PENDING_ENROLMENT}, {@link Reason#WRONG_CODE},
     *         {@link Reason#MALFORMED_CODE}; rate-limited; locked
     */
    public Outcome<Confirmation> confirmEnrolment(String userId, CharSequence code) {
        return enrolments.confirm(Context.user(userId), code);
    }

    /**
     * With {@link Builder#requireRecoveryCodeAcknowledgement(boolean)}: the user confirms "I have saved my recovery
     * codes", and the state becomes {@code ENABLED}. The acknowledgement must come before the pending enrolment
     * expires; after that the user starts over.
     *
     * @param userId the user
     * @return the new status, or {@link Reason#NOTHING_TO_ACKNOWLEDGE}
     */
    public Outcome<TwoFactorStatus> acknowledgeRecoveryCodes(String userId) {
        return enrolments.acknowledge(Context.user(userId));
    }

    /**
     * Disables two-factor authentication after checking the user's current password with the
     * {@link PasswordVerifier}: removes the secret, the pending enrolment and the recovery codes, then revokes all the
     * user's app passwords (one {@link TwoFactorEventType#APP_PASSWORD_REVOKED} event each): app passwords exist only
     * while two-factor authentication is enabled, so that turning it off cannot leave a way in that skips the second
     * factor and the organisation policy. A wrong password counts as a failure for the backoff. The array is wiped.
     *
     * @param userId the user
     * @param password the current password
     * @return the new status ({@code NOT_CONFIGURED}); {@link Reason#WRONG_PASSWORD_DISABLE},
     *         {@link Reason#NOT_ENABLED}; rate-limited; locked
     * @throws IllegalStateException if no {@link PasswordVerifier} was configured
     */
    public Outcome<TwoFactorStatus> disable(String userId, char[] password) {
        return Context.wiping(password, () -> enrolments.disable(Context.user(userId), password));
    }

    /**
     * Checks an authenticator code at sign-in: every step of the window in constant time, then replay protection
     * (a code is accepted at most once: only for a time step later than the last accepted one, compare-and-set in
     * the store). A wrong, malformed or replayed code counts toward the backoff.
     *
     * <p>Store calls: a success makes two (one read of credential and backoff, one compare-and-set of the last used
     * step), plus a reset if the user had failures before; a failure makes the read and one backoff compare-and-set
     * (more only if concurrent failures conflict).
     *
     * @param userId the user, whose password the host already accepted
     * @param code the code as typed
     * @return the accepted code's step and drift; {@link Reason#WRONG_CODE}, {@link Reason#MALFORMED_CODE},
     *         {@link Reason#CODE_ALREADY_USED}, {@link Reason#NOT_ENABLED}; rate-limited; locked
     */
    public Outcome<CodeAccepted> verifyCode(String userId, CharSequence code) {
        return signIns.verifyCode(Context.user(userId), code);
    }

    /**
     * Redeems a recovery code ("Lost your phone?"): normalised, checked against the unused codes' hashes, consumed
     * atomically (of concurrent redemptions of one code exactly one succeeds). Every unused code's hash is checked,
     * also after a match, so the time taken does not tell which code matched. A wrong, malformed or already used
     * code counts toward the backoff.
     *
     * @param userId the user
     * @param recoveryCode the code as typed
     * @return remaining codes (and, with a rotate-on-use policy, the replacement set); {@link
     *         Reason#WRONG_RECOVERY_CODE}, {@link Reason#MALFORMED_CODE}, {@link Reason#NOT_ENABLED}; rate-limited;
     *         locked
     */
    public Outcome<RecoveryCodeAccepted> redeemRecoveryCode(String userId, CharSequence recoveryCode) {
        return signIns.redeem(Context.user(userId), recoveryCode);
    }

    /**
     * Issues a new set of recovery codes; the old set stops working at once, atomically. Ask for a recent step-up
     * first ({@link #stepUpRequired}).
     *
     * @param userId the user
     * @return the new codes, to be shown once; {@link Reason#NOT_ENABLED}
     */
    public Outcome<RecoveryCodes> regenerateRecoveryCodes(String userId) {
        return signIns.regenerate(Context.user(userId));
    }

    /**
     * @return the organisation policy in force (read from the {@link PolicyStore} on each call, so a change made on
     *         one node applies on every node)
     */
    public OrganisationPolicy policy() {
        return context.policies.loadPolicy();
    }

    /**
     * Sets the organisation policy, effective now, and emits {@link TwoFactorEventType#POLICY_CHANGED}.
     *
     * @param adminId the administrator making the change (recorded in the event)
     * @param level who must use two-factor authentication
     * @param gracePeriod how long a user may continue without enrolling; {@link Duration#ZERO} for none
     * @return the stored policy
     * @throws IllegalArgumentException if the grace period is negative
     */
    public OrganisationPolicy setPolicy(String adminId, EnforcementLevel level, Duration gracePeriod) {
        return administration.setPolicy(Context.user(adminId), level, gracePeriod);
    }

    /**
     * What must this signed-in user do now? {@link Requirement.Challenge} if they have two-factor authentication
     * enabled (the adapter skips it once the session passed the challenge); {@link Requirement.Enrol} if the policy
     * requires them to enrol and they have not (a pending enrolment does not count); otherwise
     * {@link Requirement.Nothing}.
     *
     * <p>The grace period runs from the later of the policy's {@link OrganisationPolicy#effectiveFrom()} and the
     * user's {@link UserContext#policyAppliesSince()}; the requirement is {@linkplain Requirement.Enrol#enforced()
     * enforced} from its deadline on, and at once without a grace period.
     *
     * @param user the user and what the host knows of them
     * @return the requirement
     */
    public Requirement requirementFor(UserContext user) {
        Context.user(Objects.requireNonNull(user, "user").userId());
        return administration.requirementFor(user);
    }

    /**
     * @return how long a step-up verification unlocks sensitive actions (default 5 minutes)
     */
    public Duration stepUpWindow() {
        return context.stepUpWindow;
    }

    /**
     * @param lastVerifiedAt when the session last passed a step-up (or the sign-in challenge), or {@code null}
     * @return whether a sensitive action needs a new verification now: {@code true} without a verification, and from
     *         {@code lastVerifiedAt + stepUpWindow} on
     */
    public boolean stepUpRequired(Instant lastVerifiedAt) {
        return stepUps.required(lastVerifiedAt);
    }

    /**
     * Unlocks sensitive settings with the current password. A wrong password counts toward the backoff.
     * The array is wiped.
     *
     * @param userId the user
     * @param password the password
     * @return the verification time to keep in the session; {@link Reason#WRONG_PASSWORD}; rate-limited; locked
     * @throws IllegalStateException if no {@link PasswordVerifier} was configured
     */
    public Outcome<Instant> stepUpWithPassword(String userId, char[] password) {
        return Context.wiping(password, () -> stepUps.withPassword(Context.user(userId), password));
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
        return stepUps.withCode(Context.user(userId), code);
    }

    /**
     * An administrator removes the enrolment of a user who lost both phone and recovery codes: clears their secret,
     * pending enrolment, recovery codes, backoff and lock, and the backoff and lock of their app passwords, and revokes
     * all their app passwords (one {@link TwoFactorEventType#APP_PASSWORD_REVOKED} event each, after the credential
     * and recovery codes are gone): app passwords exist only while two-factor authentication is enabled, so an
     * unenrolled user keeps no way in that skips the second factor. The administrator must have
     * two-factor authentication enabled and present a current code of their own (which counts as used; a wrong one
     * counts toward the administrator's backoff). Whether {@code adminId} holds an administrator role is the host's
     * check, made before calling this.
     *
     * <p>The checks, in this order: {@link Reason#SELF_UNENROL}; {@link Reason#ADMIN_NOT_ENABLED}; the
     * administrator's backoff and code; {@link Reason#UNKNOWN_USER} (asked of the {@link UserDirectory});
     * {@link Reason#NO_ENROLLMENT} (neither an active authenticator nor a live pending enrolment). On success the
     * event {@link TwoFactorEventType#ADMIN_RESET} names the administrator as actor.
     *
     * @param adminId the administrator
     * @param adminCode a current code from the administrator's authenticator
     * @param targetUserId the user to unenrol
     * @return the target's new status; {@link Reason#SELF_UNENROL}, {@link Reason#ADMIN_NOT_ENABLED},
     *         {@link Reason#WRONG_CODE} (and other code rejections), {@link Reason#UNKNOWN_USER},
     *         {@link Reason#NO_ENROLLMENT}; rate-limited or locked (the administrator's)
     */
    public Outcome<TwoFactorStatus> adminUnenrol(String adminId, CharSequence adminCode, String targetUserId) {
        return administration.administer(Context.user(adminId), adminCode, Context.user(targetUserId), true);
    }

    /**
     * An administrator lifts a user's backoff and lock, keeping their enrolment. Same administrator checks as
     * {@link #adminUnenrol}; {@link Reason#NO_ENROLLMENT} only when the user has neither an enrolment nor any backoff
     * state to reset. Both counters are reset: the second factor's and the app passwords' (a user who disabled
     * two-factor authentication keeps an app-password lock earned while it was enabled, until it is reset here).
     *
     * @param adminId the administrator
     * @param adminCode a current code from the administrator's authenticator
     * @param targetUserId the user
     * @return the target's new status; the same rejections as {@link #adminUnenrol}
     */
    public Outcome<TwoFactorStatus> adminResetBackoff(String adminId, CharSequence adminCode, String targetUserId) {
        return administration.administer(Context.user(adminId), adminCode, Context.user(targetUserId), false);
    }

    /**
     * Creates an app password: a 20-digit code from {@code SecureRandom} (about 66 bits), shown once in groups of
     * four, stored as a salted slow hash under a random id. Ask for a recent step-up first.
     *
     * <p>Only while the user's two-factor authentication is {@link TwoFactorState#ENABLED}: app passwords are for
     * clients that cannot do the second factor of a user who has one (SPEC §10), not a way around enrolment, which
     * would let a user who must enrol under the organisation policy get access without ever enrolling. Otherwise the
     * answer is {@link Reason#NOT_ENABLED} and nothing is stored. If two-factor authentication is disabled while the
     * app password is being created, it is removed again and the answer is {@link Reason#NOT_ENABLED}.
     *
     * @param userId the owner
     * @param name a name, 1 to 100 characters after trimming, no control characters
     * @param permissions permission strings to grant, none blank; empty for full access
     * @return the new app password with its code; {@link Reason#APP_PASSWORD_NAME_INVALID},
     *         {@link Reason#NOT_ENABLED}
     * @throws IllegalArgumentException if a permission string is blank
     */
    public Outcome<NewAppPassword> createAppPassword(String userId, String name, Set<String> permissions) {
        return appPasswords.create(Context.user(userId), Objects.requireNonNull(name, "name"), permissions);
    }

    /**
     * @param userId the owner
     * @return the user's app passwords (never their codes), oldest first
     */
    public List<AppPassword> appPasswords(String userId) {
        return appPasswords.list(Context.user(userId));
    }

    /**
     * Revokes an app password; it stops working at once: a verification that has not yet recorded its use when the
     * revocation completes is rejected.
     *
     * @param userId the owner
     * @param appPasswordId its id
     * @return the revoked app password, or {@link Reason#APP_PASSWORD_NOT_FOUND}
     */
    public Outcome<AppPassword> revokeAppPassword(String userId, String appPasswordId) {
        return appPasswords.revoke(Context.user(userId), Objects.requireNonNull(appPasswordId, "appPasswordId"));
    }

    /**
     * Authenticates with an app password instead of the password (clients that cannot do two-factor sign-in),
     * recording its last use. Every one of the user's app passwords is checked, also after a match; the one that
     * matched is accepted only if recording its use succeeds, so a concurrent revocation wins. A wrong or malformed
     * app password (anything but 20 ASCII digits once spaces and dashes are removed) is answered
     * {@link Reason#WRONG_APP_PASSWORD} alike and counts toward the user's <em>app-password</em> backoff: a counter of
     * its own, with the same {@link BackoffPolicy}, apart from the backoff of the second factor, because this check
     * needs no password and a shared counter would let anyone who knows a user id slow down or lock that user's
     * sign-in. A user without any app password has nothing to guess: the answer is {@link Reason#WRONG_APP_PASSWORD}
     * and nothing is counted or stored. {@link #adminResetBackoff} and {@link #adminUnenrol} reset both counters.
     *
     * <p>Only a user whose two-factor authentication is {@link TwoFactorState#ENABLED} can authenticate with an app
     * password (SPEC §10; otherwise a user who must enrol under the organisation policy, or who disabled two-factor
     * authentication, would keep access that skips the second factor). For any other user the answer is
     * {@link Reason#WRONG_APP_PASSWORD}, without checking any hash and without counting or storing anything; that
     * costs one credential read.
     *
     * @param userId the owner
     * @param appPassword the code as typed (spaces ignored)
     * @return the granted permissions; {@link Reason#WRONG_APP_PASSWORD}; rate-limited; locked
     */
    public Outcome<AppPasswordGrant> verifyAppPassword(String userId, CharSequence appPassword) {
        return appPasswords.verify(Objects.requireNonNull(userId, "userId"), appPassword); // malformed: answered
    }

    /**
     * Re-seals, with the primary key, up to {@code batchSize} active secrets sealed with an older key (or stored in
     * plaintext mode). Call repeatedly until it returns 0.
     *
     * <p>Pending enrolments are not re-sealed: they expire within the pending TTL, and keep opening as long as
     * their key stays in the {@link KeyRing}. A record sealed with a key the ring does not hold fails with
     * {@link IllegalStateException}.
     *
     * @param batchSize the most records to re-seal in this call, at least 1
     * @return how many were re-sealed
     */
    public int reencryptSecrets(int batchSize) {
        return keyRotation.reencrypt(batchSize);
    }

    /**
     * Builds a {@link TwoFactorService}. Required: {@link #issuer}, a store (all of {@link #store} or each of the
     * five), and {@link #secretCipher} (there is no silent plaintext default). Everything else has a default.
     * Setters reject {@code null} at once. Not thread-safe; the service it builds is.
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
        int maxAppPasswordsPerUser = 20;
        boolean acceptPlaintextSecretsForMigration;
        PasswordVerifier passwordVerifier;
        UserDirectory userDirectory = UserDirectory.ANY_USER_EXISTS;
        TwoFactorListener listener;

        private Builder() {
        }

        /**
         * @param issuer the name shown in authenticator apps ("ACME Corp"); required, no colon
         * @return this builder
         * @throws IllegalArgumentException if blank or containing a colon
         */
        public Builder issuer(String issuer) {
            Objects.requireNonNull(issuer, "issuer");
            if (issuer.isBlank() || issuer.indexOf(':') >= 0) {
                throw new IllegalArgumentException("Issuer must not be blank or contain a colon");
            }
            this.issuer = issuer.strip();
            return this;
        }

        /**
         * @param store all five stores in one (the in-memory or the JDBC store)
         * @return this builder
         */
        public Builder store(TwoFactorStore store) {
            Objects.requireNonNull(store, "store");
            credentialStore = store;
            recoveryCodeStore = store;
            backoffStore = store;
            appPasswordStore = store;
            policyStore = store;
            return this;
        }

        /**
         * @param store where authenticator secrets live
         * @return this builder
         */
        public Builder credentialStore(CredentialStore store) {
            this.credentialStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param store where recovery code hashes live
         * @return this builder
         */
        public Builder recoveryCodeStore(RecoveryCodeStore store) {
            this.recoveryCodeStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param store where backoff state lives
         * @return this builder
         */
        public Builder backoffStore(BackoffStore store) {
            this.backoffStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param store where app passwords live
         * @return this builder
         */
        public Builder appPasswordStore(AppPasswordStore store) {
            this.appPasswordStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param store where the organisation policy lives
         * @return this builder
         */
        public Builder policyStore(PolicyStore store) {
            this.policyStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param cipher how secrets are sealed at rest; required: {@link SecretCipher#aesGcm(KeyRing)}, or
         *               {@link SecretCipher#plaintext()} asked for explicitly
         * @return this builder
         */
        public Builder secretCipher(SecretCipher cipher) {
            this.secretCipher = Objects.requireNonNull(cipher, "cipher");
            return this;
        }

        /**
         * @param clock the time source for codes, expiry and backoff; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param totp algorithm, digits, period and window of the codes (its clock is replaced by {@link #clock});
         *             default {@link Totp#defaults()}: SHA1, 6 digits, 30 s, ±1 step. Changing algorithm, digits or
         *             period after users enrolled breaks their authenticator entries.
         * @return this builder
         */
        public Builder totp(Totp totp) {
            this.totp = Objects.requireNonNull(totp, "totp");
            return this;
        }

        /**
         * @param hasher how recovery codes and app passwords are hashed; default {@link SecretHasher#pbkdf2()}
         * @return this builder
         */
        public Builder hasher(SecretHasher hasher) {
            this.hasher = Objects.requireNonNull(hasher, "hasher");
            return this;
        }

        /**
         * @param policy recovery code format and behaviour; default {@link RecoveryCodePolicy#STANDARD}
         * @return this builder
         */
        public Builder recoveryCodePolicy(RecoveryCodePolicy policy) {
            this.recoveryCodePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param policy the brute-force backoff; default {@link BackoffPolicy#DEFAULT}
         * @return this builder
         */
        public Builder backoffPolicy(BackoffPolicy policy) {
            this.backoffPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param ttl how long a pending enrolment stays confirmable, at least 1 second; default 10 minutes
         * @return this builder
         */
        public Builder pendingEnrolmentTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.toMillis() < 1000) {
                throw new IllegalArgumentException("pendingEnrolmentTtl must be at least 1 second");
            }
            this.pendingEnrolmentTtl = ttl;
            return this;
        }

        /**
         * @param window how long a step-up unlocks sensitive actions, not negative ({@link Duration#ZERO}: always ask);
         *               default 5 minutes
         * @return this builder
         */
        public Builder stepUpWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("stepUpWindow must not be negative");
            }
            this.stepUpWindow = window;
            return this;
        }

        /**
         * @param required whether the user must acknowledge "I have saved my recovery codes" before the state becomes
         *                 {@code ENABLED}; default {@code false}
         * @return this builder
         */
        public Builder requireRecoveryCodeAcknowledgement(boolean required) {
            this.requireRecoveryCodeAcknowledgement = required;
            return this;
        }

        /**
         * @param max the most app passwords one user may hold, 1 to 1000; default 20
         * @return this builder
         */
        public Builder maxAppPasswordsPerUser(int max) {
            if (max < 1 || max > 1000) {
                throw new IllegalArgumentException("maxAppPasswordsPerUser must be 1 to 1000");
            }
            this.maxAppPasswordsPerUser = max;
            return this;
        }

        /**
         * @param accept whether secrets stored in plaintext ({@link SecretCipher#plaintext()}) are opened although a
         *               real cipher is configured; default {@code false}: such a record is refused with
         *               {@link IllegalStateException}, since anyone who can write to the store could plant one. Turn
         *               it on only to migrate with {@link TwoFactorService#reencryptSecrets}, which logs when none are left
         * @return this builder
         */
        public Builder acceptPlaintextSecretsForMigration(boolean accept) {
            this.acceptPlaintextSecretsForMigration = accept;
            return this;
        }

        /**
         * @param verifier the host's password check, for disable and step-up; without one those operations throw
         *                 {@link IllegalStateException}
         * @return this builder
         */
        public Builder passwordVerifier(PasswordVerifier verifier) {
            this.passwordVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * @param directory which user ids exist, for admin requests; default {@link UserDirectory#ANY_USER_EXISTS}
         * @return this builder
         */
        public Builder userDirectory(UserDirectory directory) {
            this.userDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * @param listener receives every event; default an SLF4J audit logger (logger {@code dev.twofactor.audit})
         * @return this builder
         */
        public Builder listener(TwoFactorListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
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
