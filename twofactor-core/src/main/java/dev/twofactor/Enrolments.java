package dev.twofactor;

import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StoredRecoveryCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Enrolment (SPEC §4): status, start, change of app, cancel, confirmation, acknowledgement and disable. */
final class Enrolments {

    private final Context context;
    private final BackoffGate gate;
    private final CodeCheck codes;
    private final AppPasswordManager appPasswords;
    private final TrustedDevices devices;

    Enrolments(Context context, BackoffGate gate, CodeCheck codes, AppPasswordManager appPasswords,
               TrustedDevices devices) {
        this.context = context;
        this.gate = gate;
        this.codes = codes;
        this.appPasswords = appPasswords;
        this.devices = devices;
    }

    TwoFactorStatus status(String userId) {
        Instant now = context.now();
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        boolean enabled = credential != null && credential.enabled();
        PendingEnrolment pending = Context.livePending(credential, now);
        TwoFactorState state = enabled ? TwoFactorState.ENABLED
                : pending != null ? TwoFactorState.PENDING_CONFIRMATION : TwoFactorState.NOT_CONFIGURED;
        int remaining = enabled ? context.recoveryCodes.countUnused(userId) : 0;
        return new TwoFactorStatus(state, enabled ? credential.enabledAt() : null,
                pending == null ? null : pending.expiresAt(), pending != null && pending.confirmed(), remaining,
                read.backoff().locked());
    }

    Outcome<Enrolment> start(String userId, String accountName, boolean change) {
        Credential credential = context.credentials.findCredential(userId).orElse(null);
        boolean enabled = credential != null && credential.enabled();
        if (enabled != change) {
            return Outcome.rejected(change ? Reason.NOT_ENABLED : Reason.ALREADY_ENABLED);
        }
        Instant now = context.now();
        TotpSecret secret = TotpSecret.generate();
        // URI and QR first: a bad account name fails here, before anything is stored.
        KeyUri keyUri = KeyUri.of(context.issuer, accountName, secret, context.totp);
        QrCode qrCode = QrCode.encode(keyUri.toUriString());
        EncryptedSecret sealed;
        byte[] raw = secret.bytes();
        try {
            sealed = context.cipher.seal(userId, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        Instant expiresAt = now.plus(context.pendingEnrolmentTtl).truncatedTo(ChronoUnit.MILLIS);
        PendingEnrolment pending =
                new PendingEnrolment(Ids.newId(), sealed, now, expiresAt, PendingEnrolment.UNCONFIRMED);
        context.credentials.savePending(userId, pending);
        context.events.emit(TwoFactorEventType.ENROLMENT_STARTED, userId, now,
                Map.of("change", Boolean.toString(change), "expiresAt", expiresAt.toString()));
        return Outcome.success(new Enrolment(secret, keyUri, qrCode, expiresAt));
    }

    Outcome<TwoFactorStatus> cancel(String userId) {
        Instant now = context.now();
        Credential credential = context.credentials.findCredential(userId).orElse(null);
        PendingEnrolment pending = credential == null ? null : credential.pending();
        if (pending == null) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        boolean removed = context.credentials.deletePending(userId, pending.id());
        if (!removed || pending.isExpired(now)) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        context.events.emit(TwoFactorEventType.ENROLMENT_CANCELLED, userId, now, Map.of());
        return Outcome.success(status(userId));
    }

    Outcome<Confirmation> confirm(String userId, CharSequence code) {
        Instant now = context.now();
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        PendingEnrolment pending = Context.livePending(credential, now);
        if (pending == null || pending.confirmed()) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        BackoffState backoff = read.backoff();
        Outcome<Confirmation> refused = BackoffGate.refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        TotpMatch match = codes.check(userId, pending.secret(), code, now);
        if (!(match instanceof TotpMatch.Matched matched)) {
            return gate.fail(userId, backoff, now, Check.CONFIRMATION, CodeCheck.rejection(match));
        }
        long step = matched.timeStep();
        if (credential.enabled()) {
            // Change of authenticator app: the new secret replaces the old one; recovery codes stay. The trusted
            // devices stood in for the old app, so they go, once the new app's code matched and before the new
            // secret is in force: a failure after this leaves no device that should have gone (not at the start of
            // the change, which leaves the old app working and may be abandoned).
            devices.revokeAll(userId, "AUTHENTICATOR_CHANGED");
            Outcome<Confirmation> refusedChange = gate.admit(userId, backoff, now, Check.CONFIRMATION,
                    g -> context.gated.activatePending(userId, pending.id(), step, now, g),
                    Reason.NO_PENDING_ENROLMENT, false);
            if (refusedChange != null) {
                return refusedChange;
            }
            context.events.emit(TwoFactorEventType.AUTHENTICATOR_CHANGED, userId, now, Map.of());
            return Outcome.success(new Confirmation(TwoFactorState.ENABLED, null, now));
        }
        // Hash before the atomic step, which decides among concurrent confirmations: only its winner stores codes.
        List<String> fresh = context.newRecoveryCodes();
        List<StoredRecoveryCode> stored = context.hashAll(fresh);
        if (context.requireAcknowledgement) {
            Outcome<Confirmation> refusedMark = gate.admit(userId, backoff, now, Check.CONFIRMATION,
                    g -> context.gated.markPendingConfirmed(userId, pending.id(), step, g),
                    Reason.NO_PENDING_ENROLMENT, false);
            if (refusedMark != null) {
                return refusedMark;
            }
            // Should storing the codes fail, the pending enrolment is put back unconfirmed: as it was.
            storeCodesOrUndo(userId, stored, () -> context.credentials.savePending(userId, pending));
            return Outcome.success(new Confirmation(TwoFactorState.PENDING_CONFIRMATION, new RecoveryCodes(fresh), null,
                    pending.id()));
        }
        Outcome<Confirmation> refusedEnable = gate.admit(userId, backoff, now, Check.CONFIRMATION,
                g -> context.gated.activatePending(userId, pending.id(), step, now, g),
                Reason.NO_PENDING_ENROLMENT, false);
        if (refusedEnable != null) {
            return refusedEnable;
        }
        storeCodesOrUndo(userId, stored, () -> {
            context.credentials.deleteCredential(userId);
            context.credentials.savePending(userId, pending);
        });
        context.events.emit(TwoFactorEventType.ENABLED, userId, now,
                Map.of("recoveryCodes", Integer.toString(fresh.size())));
        return Outcome.success(new Confirmation(TwoFactorState.ENABLED, new RecoveryCodes(fresh), now));
    }

    /** The same pending enrolment again (a reload of the screen within its TTL), never a new secret. */
    Outcome<Enrolment> pending(String userId, String accountName) {
        Credential credential = context.credentials.findCredential(userId).orElse(null);
        PendingEnrolment pending = Context.livePending(credential, context.now());
        if (pending == null || pending.confirmed()) {
            return Outcome.rejected(Reason.NO_PENDING_ENROLMENT);
        }
        byte[] raw = context.open(userId, pending.secret());
        TotpSecret secret;
        try {
            secret = TotpSecret.ofBytes(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        KeyUri keyUri = KeyUri.of(context.issuer, accountName, secret, context.totp);
        return Outcome.success(new Enrolment(secret, keyUri, QrCode.encode(keyUri.toUriString()),
                pending.expiresAt()));
    }

    Outcome<TwoFactorStatus> acknowledge(String userId, String token) {
        Instant now = context.now();
        Credential credential = context.credentials.findCredential(userId).orElse(null);
        PendingEnrolment pending = Context.livePending(credential, now);
        if (pending == null || !pending.confirmed() || credential.enabled()
                || !sameToken(token, pending.id())
                || !context.credentials.activatePending(userId, pending.id(), pending.confirmedStep(), now)) {
            return Outcome.rejected(Reason.NOTHING_TO_ACKNOWLEDGE);
        }
        context.events.emit(TwoFactorEventType.ENABLED, userId, now, Map.of("acknowledged", "true"));
        return Outcome.success(status(userId));
    }

    Outcome<TwoFactorStatus> disable(String userId, char[] password) {
        PasswordVerifier verifier = context.requirePasswordVerifier();
        Instant now = context.now();
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        BackoffState backoff = read.backoff();
        Outcome<TwoFactorStatus> refused = BackoffGate.refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        if (verifier.verify(userId, password) != PasswordVerifier.Verdict.MATCH) {
            return gate.fail(userId, backoff, now, Check.DISABLE_PASSWORD, Reason.WRONG_PASSWORD_DISABLE);
        }
        Outcome<TwoFactorStatus> closed = gate.admit(userId, backoff, now, Check.DISABLE_PASSWORD,
                g -> context.gated.stillOpen(userId, BackoffScope.SECOND_FACTOR, g),
                Reason.WRONG_PASSWORD_DISABLE, true);
        if (closed != null) {
            return closed;
        }
        return remove(userId, now, "PASSWORD");
    }

    /**
     * Disables on the strength of a step-up the caller vouches for ({@link Settings#disableAfterStepUp}): no input is
     * checked here, so nothing is counted; the step-up that gave {@code stepUpAt} went through the gate. Refused
     * during a lock, as every other change of the second factor is.
     */
    Outcome<TwoFactorStatus> disableAfterStepUp(String userId, Instant stepUpAt, StepUps stepUps) {
        if (!context.disableAfterStepUp) {
            throw new IllegalStateException("Disabling after a step-up is off: turn it on with "
                    + "Builder.disableAfterStepUp(true), or disable with the password");
        }
        Instant now = context.now();
        CredentialWithBackoff read = context.readForCheck(userId);
        Credential credential = read.credential();
        if (credential == null || !credential.enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        if (read.backoff().locked()) {
            return new Outcome.Locked<>();
        }
        if (!stepUps.authorises(stepUpAt, now)) {
            return Outcome.rejected(Reason.STEP_UP_REQUIRED);
        }
        return remove(userId, now, "STEP_UP");
    }

    private Outcome<TwoFactorStatus> remove(String userId, Instant now, String check) {
        devices.removingSecondFactor(userId, now, "DISABLED", () -> appPasswords.removeSecondFactor(userId, now));
        context.events.emit(TwoFactorEventType.DISABLED, userId, now, Map.of("check", check));
        return Outcome.success(new TwoFactorStatus(TwoFactorState.NOT_CONFIGURED, null, null, false, 0, false));
    }

    /** Stores a new set of recovery codes; should that fail, {@code undo} puts the credential back as it was. */
    private void storeCodesOrUndo(String userId, List<StoredRecoveryCode> stored, Runnable undo) {
        try {
            context.recoveryCodes.replaceAll(userId, stored);
        } catch (RuntimeException e) {
            try {
                undo.run();
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw e;
        }
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
