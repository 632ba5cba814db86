package dev.twofactor;

import dev.twofactor.internal.AuditLog;
import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(TwoFactorService.class);
    private static final int APP_PASSWORD_DIGITS = 20;
    private static final int MAX_APP_PASSWORD_NAME = 100;

    /** What was checked, for events and the audit log. */
    private enum Check {
        TOTP, RECOVERY_CODE, CONFIRMATION, DISABLE_PASSWORD, STEP_UP_PASSWORD, STEP_UP_CODE, ADMIN_CODE, APP_PASSWORD
    }

    private final String issuer;
    private final CredentialStore credentials;
    private final RecoveryCodeStore recoveryCodes;
    private final BackoffStore backoffs;
    private final AppPasswordStore appPasswords;
    private final PolicyStore policies;
    /** Both the credential and the backoff store, when they are one object: then a check needs one read. */
    private final TwoFactorStore combined;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Totp totp;
    private final SecretHasher hasher;
    private final RecoveryCodePolicy recoveryCodePolicy;
    private final BackoffPolicy backoffPolicy;
    private final Duration pendingEnrolmentTtl;
    private final Duration stepUpWindow;
    private final boolean requireAcknowledgement;
    private final PasswordVerifier passwordVerifier;
    private final UserDirectory userDirectory;
    private final TwoFactorListener listener;

    private TwoFactorService(Builder builder) {
        List<String> missing = new ArrayList<>();
        if (builder.issuer == null) {
            missing.add("issuer");
        }
        if (builder.credentialStore == null) {
            missing.add("credentialStore");
        }
        if (builder.recoveryCodeStore == null) {
            missing.add("recoveryCodeStore");
        }
        if (builder.backoffStore == null) {
            missing.add("backoffStore");
        }
        if (builder.appPasswordStore == null) {
            missing.add("appPasswordStore");
        }
        if (builder.policyStore == null) {
            missing.add("policyStore");
        }
        if (builder.secretCipher == null) {
            missing.add("secretCipher (SecretCipher.aesGcm(keyRing), or SecretCipher.plaintext() for development)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("TwoFactorService needs " + String.join(", ", missing));
        }
        this.issuer = builder.issuer;
        this.credentials = builder.credentialStore;
        this.recoveryCodes = builder.recoveryCodeStore;
        this.backoffs = builder.backoffStore;
        this.appPasswords = builder.appPasswordStore;
        this.policies = builder.policyStore;
        this.combined = builder.credentialStore == builder.backoffStore
                && builder.credentialStore instanceof TwoFactorStore store ? store : null;
        this.cipher = builder.secretCipher;
        this.clock = builder.clock;
        this.totp = builder.totp.newBuilder().clock(builder.clock).build();
        this.hasher = builder.hasher != null ? builder.hasher : SecretHasher.pbkdf2();
        this.recoveryCodePolicy = builder.recoveryCodePolicy;
        this.backoffPolicy = builder.backoffPolicy;
        this.pendingEnrolmentTtl = builder.pendingEnrolmentTtl;
        this.stepUpWindow = builder.stepUpWindow;
        this.requireAcknowledgement = builder.requireRecoveryCodeAcknowledgement;
        this.passwordVerifier = builder.passwordVerifier;
        this.userDirectory = builder.userDirectory;
        this.listener = builder.listener != null ? builder.listener : new AuditLog();
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the clock every time stamp of this service comes from */
    public Clock clock() { return clock; }

    // ---------------------------------------------------------------- status and enrolment (SPEC §4)

    /**
     * A pending enrolment past its expiry counts as absent everywhere.
     *
     * @param userId the user
     * @return the user's state, confirmation date, pending enrolment, remaining recovery codes and lock
     */
    public TwoFactorStatus status(String userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        CredentialWithBackoff read = readForCheck(userId);
        Credential credential = read.credential();
        boolean enabled = credential != null && credential.enabled();
        PendingEnrolment pending = livePending(credential, now);
        TwoFactorState state = enabled ? TwoFactorState.ENABLED
                : pending != null ? TwoFactorState.PENDING_CONFIRMATION : TwoFactorState.NOT_CONFIGURED;
        int remaining = enabled ? recoveryCodes.countUnused(userId) : 0;
        return new TwoFactorStatus(state, enabled ? credential.enabledAt() : null,
                pending == null ? null : pending.expiresAt(), pending != null && pending.confirmed(), remaining,
                read.backoff().locked());
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
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(accountName, "accountName");
        Credential credential = credentials.findCredential(userId).orElse(null);
        if (credential != null && credential.enabled()) {
            return Outcome.rejected(Reason.ALREADY_ENABLED);
        }
        return mintPending(userId, accountName, false);
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
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(accountName, "accountName");
        Credential credential = credentials.findCredential(userId).orElse(null);
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        return mintPending(userId, accountName, true);
    }

    private Outcome<Enrolment> mintPending(String userId, String accountName, boolean change) {
        Instant now = now();
        TotpSecret secret = TotpSecret.generate();
        // URI and QR first: a bad account name fails here, before anything is stored.
        KeyUri keyUri = KeyUri.of(issuer, accountName, secret, totp);
        QrCode qrCode = QrCode.encode(keyUri.toUriString());
        EncryptedSecret sealed;
        byte[] raw = secret.bytes();
        try {
            sealed = cipher.seal(userId, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        Instant expiresAt = now.plus(pendingEnrolmentTtl).truncatedTo(ChronoUnit.MILLIS);
        PendingEnrolment pending =
                new PendingEnrolment(Ids.newId(), sealed, now, expiresAt, PendingEnrolment.UNCONFIRMED);
        credentials.savePending(userId, pending);
        emit(TwoFactorEventType.ENROLMENT_STARTED, userId, null, now,
                Map.of("change", Boolean.toString(change), "expiresAt", expiresAt.toString()));
        return Outcome.success(new Enrolment(secret, keyUri, qrCode, expiresAt));
    }

    /**
     * Discards the pending enrolment ("navigating away discards it"). An enabled user's active authenticator is kept.
     *
     * @param userId the user
     * @return the new status, or {@link Reason#NO_PENDING_ENROLMENT} (also for an expired one, which is removed)
     */
    public Outcome<TwoFactorStatus> cancelEnrolment(String userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        Credential credential = credentials.findCredential(userId).orElse(null);
        PendingEnrolment pending = credential == null ? null : credential.pending();
        if (pending == null) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        boolean removed = credentials.deletePending(userId, pending.id());
        if (!removed || pending.isExpired(now)) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        emit(TwoFactorEventType.ENROLMENT_CANCELLED, userId, null, now, Map.of());
        return Outcome.success(status(userId));
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
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        CredentialWithBackoff read = readForCheck(userId);
        Credential credential = read.credential();
        PendingEnrolment pending = livePending(credential, now);
        if (pending == null || pending.confirmed()) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        BackoffState backoff = read.backoff();
        Outcome<Confirmation> refused = refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        TotpMatch match = check(userId, pending.secret(), code, now);
        if (!(match instanceof TotpMatch.Matched matched)) {
            return fail(userId, backoff, now, Check.CONFIRMATION, codeRejection(match));
        }
        long step = matched.timeStep();
        if (credential.enabled()) {
            // Change of authenticator app: the new secret replaces the old one; recovery codes stay.
            if (!credentials.activatePending(userId, pending.id(), step, now)) {
                return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
            }
            succeeded(userId, backoff);
            emit(TwoFactorEventType.AUTHENTICATOR_CHANGED, userId, null, now, Map.of());
            return Outcome.success(new Confirmation(TwoFactorState.ENABLED, null, now));
        }
        // Hash before the atomic step, which decides among concurrent confirmations: only its winner stores codes.
        List<String> codes = RecoveryCodeFormat.generate(recoveryCodePolicy, Randomness.shared());
        List<StoredRecoveryCode> stored = hashAll(codes);
        if (requireAcknowledgement) {
            if (!credentials.markPendingConfirmed(userId, pending.id(), step)) {
                return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
            }
            // Should storing the codes fail, the pending enrolment is put back unconfirmed: as it was.
            storeCodesOrUndo(userId, stored, () -> credentials.savePending(userId, pending));
            succeeded(userId, backoff);
            return Outcome.success(
                    new Confirmation(TwoFactorState.PENDING_CONFIRMATION, new RecoveryCodes(codes), null));
        }
        if (!credentials.activatePending(userId, pending.id(), step, now)) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        storeCodesOrUndo(userId, stored, () -> {
            credentials.deleteCredential(userId);
            credentials.savePending(userId, pending);
        });
        succeeded(userId, backoff);
        emit(TwoFactorEventType.ENABLED, userId, null, now, Map.of("recoveryCodes", Integer.toString(codes.size())));
        return Outcome.success(new Confirmation(TwoFactorState.ENABLED, new RecoveryCodes(codes), now));
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
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        Credential credential = credentials.findCredential(userId).orElse(null);
        PendingEnrolment pending = livePending(credential, now);
        if (pending == null || !pending.confirmed() || credential.enabled()
                || !credentials.activatePending(userId, pending.id(), pending.confirmedStep(), now)) {
            return Outcome.rejected(Reason.NOTHING_TO_ACKNOWLEDGE);
        }
        emit(TwoFactorEventType.ENABLED, userId, null, now, Map.of("acknowledged", "true"));
        return Outcome.success(status(userId));
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
        Objects.requireNonNull(password, "password");
        try {
            Objects.requireNonNull(userId, "userId");
            PasswordVerifier verifier = requirePasswordVerifier();
            Instant now = now();
            CredentialWithBackoff read = readForCheck(userId);
            Credential credential = read.credential();
            if (credential == null || !credential.enabled()) {
                return Outcome.rejected(Reason.NOT_ENABLED);
            }
            BackoffState backoff = read.backoff();
            Outcome<TwoFactorStatus> refused = refusal(backoff, now);
            if (refused != null) {
                return refused;
            }
            if (verifier.verify(userId, password) != PasswordVerifier.Verdict.MATCH) {
                return fail(userId, backoff, now, Check.DISABLE_PASSWORD, Reason.WRONG_PASSWORD_DISABLE);
            }
            credentials.deleteCredential(userId);
            recoveryCodes.deleteAll(userId);
            revokeAllAppPasswords(userId, now);
            succeeded(userId, backoff);
            emit(TwoFactorEventType.DISABLED, userId, null, now, Map.of());
            return Outcome.success(new TwoFactorStatus(TwoFactorState.NOT_CONFIGURED, null, null, false, 0, false));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ---------------------------------------------------------------- sign-in verification (SPEC §6, §7)

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
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        Outcome<CodeAccepted> outcome = checkActiveCode(userId, code, now, Check.TOTP, Reason.NOT_ENABLED);
        if (outcome instanceof Outcome.Success<CodeAccepted> success) {
            emit(TwoFactorEventType.VERIFIED, userId, null, now,
                    Map.of("check", Check.TOTP.name(), "drift", Integer.toString(success.value().drift())));
        }
        return outcome;
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
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        CredentialWithBackoff read = readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        BackoffState backoff = read.backoff();
        Outcome<RecoveryCodeAccepted> refused = refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        String normalised = RecoveryCodeFormat.normalise(recoveryCode);
        if (normalised == null) {
            return fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.MALFORMED_CODE);
        }
        String matchedId = null;
        for (StoredRecoveryCode stored : recoveryCodes.findUnused(userId)) {
            boolean hit = hasher.matches(normalised, stored.hash());
            if (hit && matchedId == null) {
                matchedId = stored.id();
            }
        }
        if (matchedId == null) {
            return fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.WRONG_RECOVERY_CODE);
        }
        RecoveryCodes replacement = null;
        boolean consumed;
        int remaining;
        if (recoveryCodePolicy.rotateOnUse()) {
            List<String> fresh = RecoveryCodeFormat.generate(recoveryCodePolicy, Randomness.shared());
            consumed = recoveryCodes.consumeAndReplace(userId, matchedId, now, hashAll(fresh));
            replacement = new RecoveryCodes(fresh);
            remaining = fresh.size();
        } else {
            consumed = recoveryCodes.markUsed(userId, matchedId, now);
            remaining = consumed ? recoveryCodes.countUnused(userId) : 0;
        }
        if (!consumed) {
            // A concurrent redemption of the same code won: for this request the code is used up.
            return fail(userId, backoff, now, Check.RECOVERY_CODE, Reason.WRONG_RECOVERY_CODE);
        }
        succeeded(userId, backoff);
        emit(TwoFactorEventType.RECOVERY_CODE_USED, userId, null, now,
                Map.of("remaining", Integer.toString(remaining), "rotated", Boolean.toString(replacement != null)));
        return Outcome.success(new RecoveryCodeAccepted(remaining, replacement));
    }

    /**
     * Issues a new set of recovery codes; the old set stops working at once, atomically. Ask for a recent step-up
     * first ({@link #stepUpRequired}).
     *
     * @param userId the user
     * @return the new codes, to be shown once; {@link Reason#NOT_ENABLED}
     */
    public Outcome<RecoveryCodes> regenerateRecoveryCodes(String userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        Credential credential = credentials.findCredential(userId).orElse(null);
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        List<String> codes = RecoveryCodeFormat.generate(recoveryCodePolicy, Randomness.shared());
        recoveryCodes.replaceAll(userId, hashAll(codes));
        emit(TwoFactorEventType.RECOVERY_CODES_REGENERATED, userId, null, now,
                Map.of("remaining", Integer.toString(codes.size())));
        return Outcome.success(new RecoveryCodes(codes));
    }

    // ---------------------------------------------------------------- policy (SPEC §8)

    /**
     * @return the organisation policy in force (read from the {@link PolicyStore} on each call, so a change made on
     *         one node applies on every node)
     */
    public OrganisationPolicy policy() {
        return policies.loadPolicy();
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
        Objects.requireNonNull(adminId, "adminId");
        Instant now = now();
        OrganisationPolicy policy = new OrganisationPolicy(level, gracePeriod, now);
        policies.savePolicy(policy);
        emit(TwoFactorEventType.POLICY_CHANGED, adminId, adminId, now,
                Map.of("level", level.name(), "gracePeriod", gracePeriod.toString()));
        return policy;
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
        Objects.requireNonNull(user, "user");
        Credential credential = credentials.findCredential(user.userId()).orElse(null);
        if (credential != null && credential.enabled()) {
            return Requirement.Challenge.INSTANCE;
        }
        OrganisationPolicy policy = policies.loadPolicy();
        if (!policy.appliesTo(user.administrator())) {
            return Requirement.Nothing.INSTANCE;
        }
        if (policy.gracePeriod().isZero()) {
            return new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, null, true);
        }
        Instant start = policy.effectiveFrom();
        if (user.policyAppliesSince() != null && user.policyAppliesSince().isAfter(start)) {
            start = user.policyAppliesSince();
        }
        Instant deadline = start.plus(policy.gracePeriod());
        return new Requirement.Enrol(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE, deadline,
                !now().isBefore(deadline));
    }

    // ---------------------------------------------------------------- step-up (SPEC §9)

    /**
     * @return how long a step-up verification unlocks sensitive actions (default 5 minutes)
     */
    public Duration stepUpWindow() {
        return stepUpWindow;
    }

    /**
     * @param lastVerifiedAt when the session last passed a step-up (or the sign-in challenge), or {@code null}
     * @return whether a sensitive action needs a new verification now: {@code true} without a verification, and from
     *         {@code lastVerifiedAt + stepUpWindow} on
     */
    public boolean stepUpRequired(Instant lastVerifiedAt) {
        return lastVerifiedAt == null || !now().isBefore(lastVerifiedAt.plus(stepUpWindow));
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
        Objects.requireNonNull(password, "password");
        try {
            Objects.requireNonNull(userId, "userId");
            PasswordVerifier verifier = requirePasswordVerifier();
            Instant now = now();
            BackoffState backoff = backoffs.findBackoff(userId);
            Outcome<Instant> refused = refusal(backoff, now);
            if (refused != null) {
                return refused;
            }
            if (verifier.verify(userId, password) != PasswordVerifier.Verdict.MATCH) {
                return fail(userId, backoff, now, Check.STEP_UP_PASSWORD, Reason.WRONG_PASSWORD);
            }
            succeeded(userId, backoff);
            emit(TwoFactorEventType.STEP_UP, userId, null, now, Map.of("check", Check.STEP_UP_PASSWORD.name()));
            return Outcome.success(now);
        } finally {
            Arrays.fill(password, '\0');
        }
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
        Objects.requireNonNull(userId, "userId");
        Instant now = now();
        Outcome<CodeAccepted> checked = checkActiveCode(userId, code, now, Check.STEP_UP_CODE, Reason.NOT_ENABLED);
        if (!(checked instanceof Outcome.Success<CodeAccepted> success)) {
            return failureAs(checked);
        }
        emit(TwoFactorEventType.STEP_UP, userId, null, now,
                Map.of("check", Check.STEP_UP_CODE.name(), "drift", Integer.toString(success.value().drift())));
        return Outcome.success(now);
    }

    // ---------------------------------------------------------------- administration (SPEC §9)

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
        return administer(adminId, adminCode, targetUserId, true);
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
        return administer(adminId, adminCode, targetUserId, false);
    }

    private Outcome<TwoFactorStatus> administer(String adminId, CharSequence adminCode, String targetUserId,
                                                boolean unenrol) {
        Objects.requireNonNull(adminId, "adminId");
        Objects.requireNonNull(targetUserId, "targetUserId");
        if (adminId.equals(targetUserId)) {
            return Outcome.rejected(Reason.SELF_UNENROL);
        }
        Instant now = now();
        Outcome<CodeAccepted> checked =
                checkActiveCode(adminId, adminCode, now, Check.ADMIN_CODE, Reason.ADMIN_NOT_ENABLED);
        if (!(checked instanceof Outcome.Success<CodeAccepted> success)) {
            return failureAs(checked);
        }
        emit(TwoFactorEventType.VERIFIED, adminId, null, now,
                Map.of("check", Check.ADMIN_CODE.name(), "drift", Integer.toString(success.value().drift())));
        if (!userDirectory.exists(targetUserId)) {
            return Outcome.rejected(Reason.UNKNOWN_USER);
        }
        Credential target = credentials.findCredential(targetUserId).orElse(null);
        boolean enrolled = target != null && (target.enabled() || livePending(target, now) != null);
        if (unenrol) {
            if (!enrolled) {
                return Outcome.rejected(Reason.NO_ENROLLMENT);
            }
            credentials.deleteCredential(targetUserId);
            recoveryCodes.deleteAll(targetUserId);
            revokeAllAppPasswords(targetUserId, now);
            backoffs.resetBackoff(targetUserId);
            backoffs.resetBackoff(appPasswordBackoffKey(targetUserId));
        } else {
            String appPasswordKey = appPasswordBackoffKey(targetUserId);
            if (!enrolled && backoffs.findBackoff(targetUserId).equals(BackoffState.NONE)
                    && backoffs.findBackoff(appPasswordKey).equals(BackoffState.NONE)) {
                return Outcome.rejected(Reason.NO_ENROLLMENT);
            }
            backoffs.resetBackoff(targetUserId);
            backoffs.resetBackoff(appPasswordKey);
        }
        emit(TwoFactorEventType.ADMIN_RESET, targetUserId, adminId, now,
                Map.of("action", unenrol ? "UNENROL" : "RESET_BACKOFF"));
        return Outcome.success(status(targetUserId));
    }

    // ---------------------------------------------------------------- app passwords (SPEC §10)

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
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Set<String> granted = Set.copyOf(permissions);
        for (String permission : granted) {
            if (permission.isBlank()) {
                throw new IllegalArgumentException("Permission strings must not be blank");
            }
        }
        String trimmed = name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_APP_PASSWORD_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            return Outcome.rejected(Reason.APP_PASSWORD_NAME_INVALID);
        }
        if (!twoFactorEnabled(userId)) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        Instant now = now();
        char[] digits = new char[APP_PASSWORD_DIGITS];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = (char) ('0' + Randomness.shared().nextInt(10));
        }
        String code = new String(digits);
        Arrays.fill(digits, '\0');
        AppPasswordRecord record =
                new AppPasswordRecord(Ids.newId(), userId, trimmed, granted, hasher.hash(code), now, null);
        appPasswords.insertAppPassword(record);
        if (!twoFactorEnabled(userId)) {
            // Disabled or unenrolled concurrently: its revocation of all app passwords may have run before the insert.
            appPasswords.deleteAppPassword(userId, record.id());
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        emit(TwoFactorEventType.APP_PASSWORD_CREATED, userId, null, now, Map.of("appPasswordId", record.id(),
                "appPassword", record.name(), "permissions", describePermissions(granted)));
        StringBuilder display = new StringBuilder(APP_PASSWORD_DIGITS + APP_PASSWORD_DIGITS / 4);
        for (int i = 0; i < code.length(); i += 4) {
            display.append(i == 0 ? "" : " ").append(code, i, i + 4);
        }
        return Outcome.success(new NewAppPassword(toAppPassword(record), display.toString()));
    }

    /**
     * @param userId the owner
     * @return the user's app passwords (never their codes), oldest first
     */
    public List<AppPassword> appPasswords(String userId) {
        Objects.requireNonNull(userId, "userId");
        List<AppPassword> list = new ArrayList<>();
        for (AppPasswordRecord record : appPasswords.findAppPasswords(userId)) {
            list.add(toAppPassword(record));
        }
        return List.copyOf(list);
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
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(appPasswordId, "appPasswordId");
        AppPasswordRecord found = null;
        for (AppPasswordRecord record : appPasswords.findAppPasswords(userId)) {
            if (record.id().equals(appPasswordId)) {
                found = record;
            }
        }
        if (found == null || !appPasswords.deleteAppPassword(userId, appPasswordId)) {
            return Outcome.rejected(Reason.APP_PASSWORD_NOT_FOUND);
        }
        emit(TwoFactorEventType.APP_PASSWORD_REVOKED, userId, null, now(),
                Map.of("appPasswordId", found.id(), "appPassword", found.name()));
        return Outcome.success(toAppPassword(found));
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
        Objects.requireNonNull(userId, "userId");
        if (!twoFactorEnabled(userId)) {
            // No second factor, so no app password may stand in for it; nothing is counted, as for an invented user.
            return Outcome.rejected(Reason.WRONG_APP_PASSWORD);
        }
        Instant now = now();
        String backoffKey = appPasswordBackoffKey(userId);
        BackoffState backoff = backoffs.findBackoff(backoffKey);
        Outcome<AppPasswordGrant> refused = refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        List<AppPasswordRecord> records = appPasswords.findAppPasswords(userId);
        if (records.isEmpty()) {
            // Nothing to guess: counting would only let anyone who knows (or invents) a user id write backoff state.
            return Outcome.rejected(Reason.WRONG_APP_PASSWORD);
        }
        String digits = normaliseAppPassword(appPassword);
        if (digits == null) {
            return fail(backoffKey, userId, backoff, now, Check.APP_PASSWORD, Reason.WRONG_APP_PASSWORD);
        }
        AppPasswordRecord matched = null;
        for (AppPasswordRecord record : records) {
            boolean hit = hasher.matches(digits, record.hash());
            if (hit && matched == null) {
                matched = record;
            }
        }
        if (matched == null || !appPasswords.recordUse(userId, matched.id(), now)) {
            return fail(backoffKey, userId, backoff, now, Check.APP_PASSWORD, Reason.WRONG_APP_PASSWORD);
        }
        succeeded(backoffKey, backoff);
        emit(TwoFactorEventType.APP_PASSWORD_USED, userId, null, now,
                Map.of("appPasswordId", matched.id(), "appPassword", matched.name()));
        return Outcome.success(new AppPasswordGrant(userId, matched.id(), matched.name(), matched.permissions()));
    }

    /** Whether the user's two-factor authentication is {@link TwoFactorState#ENABLED}: one credential read. */
    private boolean twoFactorEnabled(String userId) {
        return credentials.findCredential(userId).map(Credential::enabled).orElse(false);
    }

    /**
     * Removes all the user's app passwords (after their credential is gone) and reports each one as revoked. An app
     * password created concurrently is removed by {@link #createAppPassword} itself, which checks the credential again
     * after storing it.
     */
    private void revokeAllAppPasswords(String userId, Instant now) {
        List<AppPasswordRecord> revoked = appPasswords.findAppPasswords(userId);
        appPasswords.deleteAllAppPasswords(userId);
        for (AppPasswordRecord record : revoked) {
            emit(TwoFactorEventType.APP_PASSWORD_REVOKED, userId, null, now,
                    Map.of("appPasswordId", record.id(), "appPassword", record.name()));
        }
    }

    /**
     * The {@link BackoffStore} key under which a user's app-password failures are counted: apart from their
     * second-factor backoff, because an app password is checked without the user's password, so a shared counter
     * would let anyone who knows a user id put that user's sign-in into backoff and lock their second factor. The
     * prefix is a control character no host uses in user ids, and the digest keeps the key short for any user id.
     */
    static String appPasswordBackoffKey(String userId) {
        return "\u0001app-password:" + DigestUtils.sha256Hex(userId);
    }

    private static String normaliseAppPassword(CharSequence input) {
        if (input == null || input.length() > 2 * APP_PASSWORD_DIGITS + 8) {
            return null;
        }
        StringBuilder digits = new StringBuilder(APP_PASSWORD_DIGITS);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c < '0' || c > '9' || digits.length() == APP_PASSWORD_DIGITS) {
                return null;
            }
            digits.append(c);
        }
        return digits.length() == APP_PASSWORD_DIGITS ? digits.toString() : null;
    }

    private static AppPassword toAppPassword(AppPasswordRecord record) {
        return new AppPassword(record.id(), record.name(), record.permissions(), record.createdAt(),
                record.lastUsedAt());
    }

    private static String describePermissions(Set<String> permissions) {
        return permissions.isEmpty() ? "full access" : String.join(",", new TreeSet<>(permissions));
    }

    // ---------------------------------------------------------------- key rotation (SPEC §11)

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
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        int resealed = 0;
        for (String userId : credentials.findUsersWithSecretNotSealedBy(cipher.currentKeyId(), batchSize)) {
            Credential credential = credentials.findCredential(userId).orElse(null);
            if (credential == null || !credential.enabled() || cipher.isCurrent(credential.secret())) {
                continue;
            }
            byte[] raw = cipher.open(userId, credential.secret());
            try {
                if (credentials.replaceSecret(userId, credential.secret(), cipher.seal(userId, raw))) {
                    resealed++;
                }
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (resealed > 0) {
            LOG.info("Re-sealed {} TOTP secrets with key '{}'", resealed, cipher.currentKeyId());
        }
        return resealed;
    }

    // ---------------------------------------------------------------- internals shared by the checks

    private Instant now() {
        // Whole milliseconds: what every store can keep exactly (see the SPI package documentation).
        return Instant.ofEpochMilli(clock.millis());
    }

    private CredentialWithBackoff readForCheck(String userId) {
        if (combined != null) {
            return combined.findCredentialWithBackoff(userId);
        }
        return new CredentialWithBackoff(credentials.findCredential(userId).orElse(null), backoffs.findBackoff(userId));
    }

    private static PendingEnrolment livePending(Credential credential, Instant now) {
        if (credential == null || credential.pending() == null || credential.pending().isExpired(now)) {
            return null;
        }
        return credential.pending();
    }

    private PasswordVerifier requirePasswordVerifier() {
        if (passwordVerifier == null) {
            throw new IllegalStateException("No PasswordVerifier configured: set one with Builder.passwordVerifier");
        }
        return passwordVerifier;
    }

    /**
     * An authenticator code of the user's active secret, with replay protection. Wrong-state rejection first (it
     * looks at no input), then the backoff gate, then the check; every failed check is counted.
     */
    private Outcome<CodeAccepted> checkActiveCode(String userId, CharSequence code, Instant now, Check check,
                                                  Reason notEnabled) {
        CredentialWithBackoff read = readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(notEnabled);
        }
        BackoffState backoff = read.backoff();
        Outcome<CodeAccepted> refused = refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        TotpMatch match = check(userId, credential.secret(), code, now);
        if (!(match instanceof TotpMatch.Matched matched)) {
            return fail(userId, backoff, now, check, codeRejection(match));
        }
        // The read already tells a replay of the last step apart without a write; the compare-and-set decides races.
        if (matched.timeStep() <= credential.lastUsedStep()
                || !credentials.advanceLastUsedStep(userId, matched.timeStep())) {
            return fail(userId, backoff, now, check, Reason.CODE_ALREADY_USED);
        }
        succeeded(userId, backoff);
        return Outcome.success(new CodeAccepted(matched.timeStep(), matched.drift()));
    }

    private TotpMatch check(String userId, EncryptedSecret sealed, CharSequence code, Instant now) {
        byte[] raw = cipher.open(userId, sealed);
        TotpSecret secret;
        try {
            secret = TotpSecret.ofBytes(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        return totp.verifyAtStep(secret, code, totp.timeStep(now));
    }

    private static Reason codeRejection(TotpMatch match) {
        return match instanceof TotpMatch.Malformed ? Reason.MALFORMED_CODE : Reason.WRONG_CODE;
    }

    /** {@code null} if the user may be checked now; otherwise the refusal, decided without looking at any input. */
    private static <T> Outcome<T> refusal(BackoffState backoff, Instant now) {
        if (backoff.locked()) {
            return new Outcome.Locked<>();
        }
        if (now.isBefore(backoff.blockedUntil())) {
            return new Outcome.RateLimited<>(Duration.between(now, backoff.blockedUntil()));
        }
        return null;
    }

    /** Counts a failed check and returns the rejection. */
    private <T> Outcome<T> fail(String userId, BackoffState observed, Instant now, Check check, Reason reason) {
        return fail(userId, userId, observed, now, check, reason);
    }

    /** Counts a failure under {@code backoffKey} (the user id, or a derived key), reporting it for {@code userId}. */
    private <T> Outcome<T> fail(String backoffKey, String userId, BackoffState observed, Instant now, Check check,
                                Reason reason) {
        BackoffState current = observed;
        BackoffState next;
        Duration delay;
        while (true) {
            int failures = current.failures() == Integer.MAX_VALUE ? Integer.MAX_VALUE : current.failures() + 1;
            delay = backoffPolicy.delayAfter(failures);
            Instant blockedUntil = delay.isZero() ? current.blockedUntil() : now.plus(delay);
            if (blockedUntil.isBefore(current.blockedUntil())) {
                blockedUntil = current.blockedUntil(); // never shorten a backoff another node started
            }
            next = new BackoffState(failures, blockedUntil, current.locked() || backoffPolicy.locksAt(failures));
            if (backoffs.compareAndSet(backoffKey, current, next)) {
                break;
            }
            current = backoffs.findBackoff(backoffKey); // another failure or a reset came first: count on top of it
        }
        String failures = Integer.toString(next.failures());
        emit(TwoFactorEventType.VERIFICATION_FAILED, userId, null, now,
                Map.of("check", check.name(), "reason", reason.name(), "failures", failures));
        if (!delay.isZero()) {
            long seconds = new Outcome.RateLimited<>(delay).retryAfterSeconds();
            emit(TwoFactorEventType.BACKOFF_STARTED, userId, null, now,
                    Map.of("check", check.name(), "failures", failures, "retryAfterSeconds", Long.toString(seconds)));
        }
        if (next.locked() && !current.locked()) {
            emit(TwoFactorEventType.LOCKED, userId, null, now, Map.of("check", check.name(), "failures", failures));
        }
        return Outcome.rejected(reason);
    }

    /**
     * A check passed: the backoff returns to its start (no write when there is nothing to reset). A compare-and-set,
     * not a blind reset: a lock that concurrent failures set after this check read the state stands until an
     * administrator resets it.
     */
    private void succeeded(String userId, BackoffState observed) {
        BackoffState current = observed;
        while (!current.equals(BackoffState.NONE) && !current.locked()) {
            if (backoffs.compareAndSet(userId, current, BackoffState.NONE)) {
                return;
            }
            current = backoffs.findBackoff(userId); // a failure or a reset came first
        }
    }

    private List<StoredRecoveryCode> hashAll(List<String> displayCodes) {
        List<StoredRecoveryCode> stored = new ArrayList<>(displayCodes.size());
        for (String code : displayCodes) {
            stored.add(new StoredRecoveryCode(Ids.newId(), hasher.hash(RecoveryCodeFormat.stripDisplay(code))));
        }
        return stored;
    }

    private void storeCodesOrUndo(String userId, List<StoredRecoveryCode> stored, Runnable undo) {
        try {
            recoveryCodes.replaceAll(userId, stored);
        } catch (RuntimeException e) {
            try {
                undo.run();
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw e;
        }
    }

    private void emit(TwoFactorEventType type, String userId, String actorId, Instant at, Map<String, String> details) {
        TwoFactorEvent event = new TwoFactorEvent(type, userId, actorId, at, details);
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("TwoFactorListener {} failed on event {}; the operation stands",
                    listener.getClass().getName(), type, e);
        }
    }

    /** Converts a failure of one operation into the same failure of another. */
    private static <T> Outcome<T> failureAs(Outcome<?> failure) {
        if (failure instanceof Outcome.Rejected<?> rejected) {
            return Outcome.rejected(rejected.reason());
        }
        if (failure instanceof Outcome.RateLimited<?> limited) {
            return new Outcome.RateLimited<>(limited.retryAfter());
        }
        if (failure instanceof Outcome.Locked<?>) {
            return new Outcome.Locked<>();
        }
        throw new IllegalArgumentException("not a failure");
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
