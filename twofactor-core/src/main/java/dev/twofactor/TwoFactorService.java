package dev.twofactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one entry point of twofactor: enrolment, sign-in verification, recovery codes, backoff, policy, step-up,
 * administration and app passwords for every user of a host application. Build one per application with
 * {@link #builder()} and share it: immutable, thread-safe, long-lived; all state lives in the stores, so instances on
 * several nodes sharing one store behave as one.
 *
 * <p>Outcomes a caller must handle are {@link Outcome}s; exceptions are for misuse (null arguments, a malformed user
 * id, missing configuration) and for storage failures ({@link dev.twofactor.spi.StorageException}). No secret, code
 * or password ever appears in an exception, a log line or an event. Every check of a second factor or password counts
 * toward the user's backoff ({@link BackoffPolicy}, SPEC §7): refused unchecked during a backoff or once locked, and
 * decided atomically with the backoff state it read, so a burst of parallel guesses gets at most
 * {@code toleratedFailures + 1} answered. App passwords live only while two-factor authentication is enabled.
 */
public final class TwoFactorService {

    /**
     * With a zero {@linkplain #stepUpWindow() step-up window} ("ask every time"), how long a step-up stays good for
     * the one sensitive action it authorises: 5 minutes. The caller consumes it with that action (the servlet
     * adapter keeps a one-shot grant in the session).
     */
    public static final Duration ONE_TIME_STEP_UP_TTL = Duration.ofMinutes(5);

    private final Context context;
    private final Enrolments enrolments;
    private final SignIns signIns;
    private final StepUps stepUps;
    private final Administration administration;
    private final AppPasswordManager appPasswords;
    private final KeyRotation keyRotation;
    private final TrustedDevices trustedDevices;

    private TwoFactorService(Builder builder) {
        this.context = new Context(builder);
        BackoffGate gate = new BackoffGate(context.backoffs, context.backoffPolicy, context.events);
        CodeCheck codes = new CodeCheck(context, gate);
        this.appPasswords = new AppPasswordManager(context, gate);
        this.trustedDevices = new TrustedDevices(context);
        this.enrolments = new Enrolments(context, gate, codes, appPasswords, trustedDevices);
        this.signIns = new SignIns(context, gate, codes, trustedDevices);
        this.stepUps = new StepUps(context, gate, codes, signIns);
        this.administration = new Administration(context, codes, appPasswords, enrolments, trustedDevices);
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
     * The pending enrolment again, for a reload of the enrolment screen within its TTL: the same secret, key URI and
     * QR code as {@link #startEnrolment} returned (opened from the sealed pending secret), so the code of the app
     * the user already scanned into still matches. Nothing is minted or stored. Show it only to the user who started
     * it, in the session that started it (the servlet adapter does).
     *
     * @param userId the user
     * @param accountName the account name shown in the authenticator app, as given when it started; no colon
     * @return the enrolment, or {@link Reason#NO_PENDING_ENROLMENT} (none, expired, or already confirmed and
     *         awaiting acknowledgement)
     * @throws IllegalArgumentException if the account name is blank or contains a colon
     */
    public Outcome<Enrolment> pendingEnrolment(String userId, String accountName) {
        return enrolments.pending(Context.user(userId), Objects.requireNonNull(accountName, "accountName"));
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
     * Confirms the pending enrolment with a code from the new authenticator; the code counts as used. A first
     * enrolment becomes {@code ENABLED} (or, with acknowledgement required, waits for
     * {@link #acknowledgeRecoveryCodes}) and returns a fresh set of recovery codes, once; a change of authenticator
     * app replaces the old secret and keeps the codes. A wrong or malformed code counts toward the backoff. A pending
     * enrolment already confirmed (awaiting acknowledgement) cannot be confirmed again.
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
     * codes", and the state becomes {@code ENABLED}. The acknowledgement needs the
     * {@link Confirmation#acknowledgementToken()} that came with the codes, so it can only be given from the screen
     * that received them: after a reload lost the codes (they are shown once) the token is gone too, and the user
     * starts the enrolment over instead of enabling with codes nobody saved. It must come before the pending
     * enrolment expires.
     *
     * @param userId the user
     * @param acknowledgementToken the token of the confirmation that showed the codes
     * @return the new status, or {@link Reason#NOTHING_TO_ACKNOWLEDGE} (also for a missing or wrong token)
     */
    public Outcome<TwoFactorStatus> acknowledgeRecoveryCodes(String userId, String acknowledgementToken) {
        return enrolments.acknowledge(Context.user(userId), acknowledgementToken);
    }

    /**
     * Disables two-factor authentication after checking the current password with the {@link PasswordVerifier}:
     * removes the secret, pending enrolment, recovery codes and all app passwords (one {@link
     * TwoFactorEventType#APP_PASSWORD_REVOKED} each), all or nothing with one {@link dev.twofactor.spi.TwoFactorStore}
     * (its {@code removeSecondFactor}; separate stores: three calls, not atomic). A wrong password counts toward the
     * backoff. The array is wiped.
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
     * Disables two-factor authentication on the strength of a recent step-up instead of the password, for hosts
     * without passwords (single sign-on); only with {@link Builder#disableAfterStepUp(boolean)}. The step-up (password,
     * code or recovery code, each through the backoff) must be within the {@linkplain #stepUpWindow() window}; with a
     * zero window within {@link #ONE_TIME_STEP_UP_TTL}, and the caller must make sure each step-up authorises one
     * action only (the servlet adapter's {@code TwoFactorSignIn.disable(request)} does). Removes what
     * {@link #disable} removes. No input is checked here, so nothing counts toward the backoff; a locked user is
     * refused.
     *
     * @param userId the user
     * @param stepUpAt when the step-up that authorises this action passed, as a step-up method returned it
     * @return the new status ({@code NOT_CONFIGURED}); {@link Reason#STEP_UP_REQUIRED} (none, too old, or from the
     *         future), {@link Reason#NOT_ENABLED}; locked
     * @throws IllegalStateException if {@link Builder#disableAfterStepUp(boolean)} is off
     */
    public Outcome<TwoFactorStatus> disableAfterStepUp(String userId, Instant stepUpAt) {
        return enrolments.disableAfterStepUp(Context.user(userId), stepUpAt, stepUps);
    }

    /**
     * Checks an authenticator code at sign-in: every step of the window in constant time, then replay protection (a
     * step is accepted at most once, by a compare-and-set in the store that also carries the backoff gate). A wrong,
     * malformed or replayed code counts toward the backoff. On the JDBC store a success is two statements.
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
     * Redeems a recovery code ("Lost your phone?"): normalised, checked against every unused code's hash (also after
     * a match, so the time does not tell which matched), consumed atomically under the gate (of concurrent
     * redemptions of one code exactly one succeeds). A wrong, malformed or used code counts toward the backoff.
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
     * @return the organisation policy in force (read from the store's
     *         {@link dev.twofactor.spi.PolicyStore} on each call, so a change made on one node applies on every node)
     */
    public OrganisationPolicy policy() {
        return context.policy();
    }

    /**
     * Sets the organisation policy, effective now, and emits {@link TwoFactorEventType#POLICY_CHANGED}.
     *
     * @param adminId the administrator making the change (recorded in the event)
     * @param level who must use two-factor authentication
     * @param gracePeriod how long a user may continue without enrolling; {@link Duration#ZERO} for none
     * @return the stored policy
     * @throws IllegalArgumentException if the grace period is negative
     * @throws IllegalStateException if the policy is fixed by configuration
     *                               ({@link ConfigurationProperties#ENFORCEMENT})
     */
    public OrganisationPolicy setPolicy(String adminId, EnforcementLevel level, Duration gracePeriod) {
        return administration.setPolicy(Context.user(adminId), level, gracePeriod);
    }

    /**
     * What must this signed-in user do now? {@link Requirement.Challenge} if two-factor authentication is enabled;
     * {@link Requirement.Enrol} if the policy requires them to enrol and they have not (a pending enrolment does not
     * count), {@linkplain Requirement.Enrol#enforced() enforced} from the end of the grace period, which runs from the
     * later of {@link OrganisationPolicy#effectiveFrom()} and {@link UserContext#policyAppliesSince()}; otherwise
     * {@link Requirement.Nothing}.
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
     * Unlocks sensitive settings with a recovery code ("Lost your phone?" on the "Unlock settings" screen): checked
     * and consumed exactly as at sign-in ({@link #redeemRecoveryCode}), through the same backoff gate, so it counts
     * toward the backoff and of concurrent uses of one code exactly one succeeds. The code is used up.
     *
     * @param userId the user
     * @param recoveryCode the code as typed
     * @return the remaining codes (and a replacement set with a rotate-on-use policy); the step-up time is now
     *         ({@link #clock()}); the same rejections as {@link #redeemRecoveryCode}
     */
    public Outcome<RecoveryCodeAccepted> stepUpWithRecoveryCode(String userId, CharSequence recoveryCode) {
        return stepUps.withRecoveryCode(Context.user(userId), recoveryCode);
    }

    /**
     * An administrator removes the enrolment of a user who lost phone and recovery codes: their secret, pending
     * enrolment, recovery codes, both backoffs and all app passwords (one {@link
     * TwoFactorEventType#APP_PASSWORD_REVOKED} each), the backoffs reset first and the rest removed as {@link #disable}
     * does. The administrator must have two-factor authentication enabled and
     * give a current code of their own, checked like a sign-in code (counts as used; a wrong one counts toward their
     * backoff). Whether {@code adminId} holds an administrator role is the host's check. The checks, in order: {@link
     * Reason#SELF_UNENROL}, {@link Reason#ADMIN_NOT_ENABLED}, the administrator's backoff and code, {@link
     * Reason#UNKNOWN_USER} (the {@link UserDirectory}), {@link Reason#NO_ENROLLMENT}. The event {@link
     * TwoFactorEventType#ADMIN_RESET} names the administrator as actor.
     *
     * @param adminId the administrator
     * @param adminCode a current code from the administrator's authenticator
     * @param targetUserId the user to unenrol
     * @return the target's new status; the rejections above and the code's; rate-limited or locked (the
     *         administrator's)
     */
    public Outcome<TwoFactorStatus> adminUnenrol(String adminId, CharSequence adminCode, String targetUserId) {
        return administration.administer(Context.user(adminId), adminCode, Context.user(targetUserId), true);
    }

    /**
     * An administrator lifts a user's backoff and lock in both scopes, keeping their enrolment. Same administrator
     * checks as {@link #adminUnenrol}; {@link Reason#NO_ENROLLMENT} only when there is neither an enrolment nor any
     * backoff state to reset.
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
     * four, stored as a salted slow hash. Ask for a recent step-up first. Only while the user's two-factor
     * authentication is {@link TwoFactorState#ENABLED} (app passwords are no way around enrolment); removed again if
     * it is disabled meanwhile. At most {@link Builder#maxAppPasswordsPerUser} per user.
     *
     * @param userId the owner
     * @param name a name, 1 to 100 characters after trimming, no control characters
     * @param scope {@link AppPasswordScope#FULL}, or {@link AppPasswordScope#limited} to permissions of the
     *              catalogue declared with {@link Builder#appPasswordPermissions}
     * @return the new app password with its code; {@link Reason#APP_PASSWORD_NO_PERMISSIONS} (limited to none),
     *         {@link Reason#APP_PASSWORD_UNKNOWN_PERMISSION} (a name outside the catalogue),
     *         {@link Reason#APP_PASSWORD_NAME_INVALID}, {@link Reason#NOT_ENABLED},
     *         {@link Reason#APP_PASSWORD_LIMIT_REACHED}
     */
    public Outcome<NewAppPassword> createAppPassword(String userId, String name, AppPasswordScope scope) {
        return appPasswords.create(Context.user(userId), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(scope, "scope"));
    }

    /**
     * The earlier form of {@link #createAppPassword(String, String, AppPasswordScope)}, kept so existing callers
     * compile: an empty set means {@link AppPasswordScope#FULL} (as it always did), any other set
     * {@link AppPasswordScope#limited} to it, validated against the catalogue.
     *
     * @param userId the owner
     * @param name a name
     * @param permissions empty for full access; otherwise the permissions of a limited scope
     * @return as {@link #createAppPassword(String, String, AppPasswordScope)}
     * @deprecated say what you mean: {@link AppPasswordScope#FULL} or {@link AppPasswordScope#limited}
     */
    @Deprecated(since = "0.1.0")
    public Outcome<NewAppPassword> createAppPassword(String userId, String name, Set<String> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        return createAppPassword(userId, name,
                permissions.isEmpty() ? AppPasswordScope.FULL : AppPasswordScope.limited(permissions));
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
     * recording its last use; a concurrent revocation wins. Only for a user whose two-factor authentication is
     * {@link TwoFactorState#ENABLED} (SPEC §10). Failures count toward the user's app-password backoff
     * ({@link dev.twofactor.spi.BackoffScope#APP_PASSWORD}), apart from the second factor's, because this check needs
     * no password. Nothing tells accounts apart: a malformed or unknown user id, a user without two-factor
     * authentication or without app passwords, a wrong or malformed app password and a closed backoff are all
     * answered {@link Reason#WRONG_APP_PASSWORD} after the same reads and one slow hash; only a user who has app
     * passwords gets failures counted.
     *
     * @param userId the owner, as the client sent it (a malformed one is answered, not thrown)
     * @param appPassword the code as typed (spaces and dashes ignored)
     * @return the granted permissions, or {@link Reason#WRONG_APP_PASSWORD}
     */
    public Outcome<AppPasswordGrant> verifyAppPassword(String userId, CharSequence appPassword) {
        return appPasswords.verify(Objects.requireNonNull(userId, "userId"), appPassword); // malformed: answered
    }

    /**
     * Re-seals, with the primary key, up to {@code batchSize} active secrets sealed with an older key or stored in
     * plaintext (these only with {@link Builder#acceptPlaintextSecretsForMigration}). Call until it returns 0; it logs
     * at INFO when none are left. Pending enrolments are not re-sealed (they expire). A record sealed with a key the
     * ring does not hold fails with {@link IllegalStateException}.
     *
     * @param batchSize the most records to re-seal in this call, at least 1
     * @return how many were re-sealed
     */
    public int reencryptSecrets(int batchSize) {
        return keyRotation.reencrypt(batchSize);
    }

    /**
     * The startup check of the key ring: every key id that seals a secret in the store (active or pending) must be
     * one the {@link SecretCipher} holds. Call it once at startup, after the schema exists; it reads the key ids in
     * one query and opens nothing. A secret sealed with a key the ring lacks could never be opened again: users
     * would be locked out of their second factor ("missing data required for secure processing"). Records in
     * plaintext pass only with {@link Builder#acceptPlaintextSecretsForMigration} or in plaintext mode.
     *
     * @throws IllegalStateException naming the missing key id(s) and saying to restore the key ring from backup
     */
    public void checkKeyRing() {
        keyRotation.checkKeyRing();
    }

    /**
     * @return trusted devices ("remember this device"): remember after a passed challenge, recognise, list, revoke;
     *         off unless {@link Builder#trustedDevices(boolean)} turned it on
     */
    public TrustedDevices trustedDevices() {
        return trustedDevices;
    }

    /**
     * Builds a {@link TwoFactorService}. Required: {@code issuer}, a store (all of {@code store} or each of the
     * five), and {@code secretCipher} (there is no silent plaintext default). Everything else has a default; each
     * setter documents it. Setters reject {@code null} at once. Not thread-safe; the service it builds is.
     */
    public static final class Builder extends Settings {

        private Builder() {
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
