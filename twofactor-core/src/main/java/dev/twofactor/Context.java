package dev.twofactor;

import dev.twofactor.internal.AuditLog;
import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every capability of the service shares: the stores, the configuration from the builder and the few reads
 * they all make. Immutable once built; one per {@link TwoFactorService}.
 */
final class Context {

    final String issuer;
    final CredentialStore credentials;
    final RecoveryCodeStore recoveryCodes;
    final BackoffStore backoffs;
    final AppPasswordStore appPasswords;
    final PolicyStore policies;
    /** Both the credential and the backoff store, when they are one object: then a check needs one read. */
    final TwoFactorStore combined;
    /** The combined store, if it overrides {@link TwoFactorStore#runCheck}; {@code null} if a check needs no scope. */
    private final TwoFactorStore scoping;
    /** The one store behind credentials, recovery codes and app passwords, or {@code null} for separate stores. */
    final TwoFactorStore whole;
    final SecretCipher cipher;
    final Clock clock;
    final Totp totp;
    /** {@code totp}'s period in seconds. */
    private final long periodSeconds;
    final SecretHasher hasher;
    final RecoveryCodePolicy recoveryCodePolicy;
    final BackoffPolicy backoffPolicy;
    final Duration pendingEnrolmentTtl;
    final Duration stepUpWindow;
    final boolean requireAcknowledgement;
    final PasswordVerifier passwordVerifier;
    final UserDirectory userDirectory;
    final int maxAppPasswordsPerUser;
    final boolean acceptPlaintextSecrets;
    final Events events;
    final boolean disableAfterStepUp;
    final java.util.Set<String> appPasswordPermissions;
    /** The policy fixed by configuration ({@code twofactor.enforcement}), or {@code null}: the stored one. */
    final OrganisationPolicy configuredPolicy;
    /** The accepting statements under the backoff gate. */
    final GatedStatements gated;
    /** Where trusted devices live, or {@code null} if nowhere (then there are none to recognise or revoke). */
    final TrustedDeviceStore trustedDevices;
    final boolean trustedDevicesEnabled;
    final Duration trustedDeviceLifetime;
    final boolean regenerationRevokesDevices;

    /** Validates the builder's settings and resolves the defaults that need no other setting. */
    Context(TwoFactorService.Builder builder) {
        List<String> missing = new ArrayList<>();
        addIfNull(missing, builder.issuer, "issuer");
        addIfNull(missing, builder.credentialStore, "credentialStore");
        addIfNull(missing, builder.recoveryCodeStore, "recoveryCodeStore");
        addIfNull(missing, builder.backoffStore, "backoffStore");
        addIfNull(missing, builder.appPasswordStore, "appPasswordStore");
        addIfNull(missing, builder.policyStore, "policyStore");
        addIfNull(missing, builder.secretCipher,
                "secretCipher (SecretCipher.aesGcm(keyRing), or SecretCipher.plaintext() for development)");
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
        this.scoping = combined != null && overridesRunCheck(combined) ? combined : null;
        this.whole = builder.credentialStore == builder.recoveryCodeStore
                && builder.credentialStore == builder.appPasswordStore
                && builder.credentialStore instanceof TwoFactorStore store ? store : null;
        this.cipher = builder.secretCipher;
        this.clock = builder.clock;
        this.totp = builder.totp.newBuilder().clock(builder.clock).build();
        this.periodSeconds = totp.period().getSeconds();
        this.hasher = builder.hasher != null ? builder.hasher : SecretHasher.pbkdf2();
        this.recoveryCodePolicy = builder.recoveryCodePolicy;
        this.backoffPolicy = builder.backoffPolicy;
        this.pendingEnrolmentTtl = builder.pendingEnrolmentTtl;
        this.stepUpWindow = builder.stepUpWindow;
        this.requireAcknowledgement = builder.requireRecoveryCodeAcknowledgement;
        this.passwordVerifier = builder.passwordVerifier;
        this.userDirectory = builder.userDirectory;
        this.maxAppPasswordsPerUser = builder.maxAppPasswordsPerUser;
        this.acceptPlaintextSecrets = builder.acceptPlaintextSecretsForMigration;
        this.events = new Events(builder.listener != null ? builder.listener : new AuditLog());
        this.gated = new GatedStatements(this);
        this.disableAfterStepUp = builder.disableAfterStepUp;
        this.appPasswordPermissions = builder.appPasswordPermissions;
        this.configuredPolicy = builder.configuredPolicy;
        this.trustedDevices = builder.trustedDeviceStore != null ? builder.trustedDeviceStore
                : builder.credentialStore instanceof TrustedDeviceStore store ? store : null;
        if (builder.trustedDevices && trustedDevices == null) {
            throw new IllegalStateException("Trusted devices need a TrustedDeviceStore: set one with "
                    + "Builder.trustedDeviceStore, or give Builder.store a store that implements it");
        }
        this.trustedDevicesEnabled = builder.trustedDevices;
        this.trustedDeviceLifetime = builder.trustedDeviceLifetime;
        this.regenerationRevokesDevices = builder.regeneratingRecoveryCodesRevokesTrustedDevices;
    }

    private static void addIfNull(List<String> missing, Object setting, String name) {
        if (setting == null) {
            missing.add(name);
        }
    }

    Instant now() {
        // Whole milliseconds: what every store can keep exactly (see the SPI package documentation).
        return Instant.ofEpochMilli(clock.millis());
    }

    /** {@link Totp#timeStep} of {@code Instant.ofEpochMilli(millis)} (a {@link #now()}), without building it. */
    long timeStep(long millis) {
        return Math.floorDiv(Math.floorDiv(millis, 1000L), periodSeconds);
    }

    /** The credential and the second-factor backoff of a user: one store call when the stores are one. */
    CredentialWithBackoff readForCheck(String userId) {
        if (combined != null) {
            return combined.findCredentialWithBackoff(userId);
        }
        return new CredentialWithBackoff(credentials.findCredential(userId).orElse(null), backoffs.findBackoff(userId));
    }

    /**
     * The store through whose {@link TwoFactorStore#runCheck} a check's read and accepting step must run: the combined
     * store, if it overrides {@code runCheck}; otherwise {@code null}, and they run as they are, so that the check
     * builds no {@link Supplier}.
     */
    TwoFactorStore checkScope() {
        return scoping;
    }

    /** Whether the store's class has a {@code runCheck} of its own rather than the SPI's default. */
    private static boolean overridesRunCheck(TwoFactorStore store) {
        try {
            return !store.getClass().getMethod("runCheck", Supplier.class).isDefault();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("TwoFactorStore.runCheck is missing", e);
        }
    }

    /** Whether the user's two-factor authentication is {@link TwoFactorState#ENABLED}: one credential read. */
    boolean twoFactorEnabled(String userId) {
        return credentials.findCredential(userId).map(Credential::enabled).orElse(false);
    }

    static PendingEnrolment livePending(Credential credential, Instant now) {
        if (credential == null || credential.pending() == null || credential.pending().isExpired(now)) {
            return null;
        }
        return credential.pending();
    }

    PasswordVerifier requirePasswordVerifier() {
        if (passwordVerifier == null) {
            throw new IllegalStateException("No PasswordVerifier configured: set one with Builder.passwordVerifier");
        }
        return passwordVerifier;
    }

    /** A fresh set of recovery codes in the configured format. */
    List<String> newRecoveryCodes() {
        return RecoveryCodeFormat.generate(recoveryCodePolicy, Randomness.shared());
    }

    List<StoredRecoveryCode> hashAll(List<String> displayCodes) {
        List<StoredRecoveryCode> stored = new ArrayList<>(displayCodes.size());
        for (String code : displayCodes) {
            stored.add(new StoredRecoveryCode(Ids.newId(), hasher.hash(RecoveryCodeFormat.stripDisplay(code))));
        }
        return stored;
    }

    /** The policy in force: fixed by configuration, or the stored one. */
    OrganisationPolicy policy() {
        return configuredPolicy != null ? configuredPolicy : policies.loadPolicy();
    }

    /** Converts a failure of one operation into the same failure of another. */
    static <T> Outcome<T> failureAs(Outcome<?> failure) {
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

    /** Checks a user id that comes from outside before any store work ({@link UserContext#isValidUserId}). */
    static String user(String userId) {
        Objects.requireNonNull(userId, "userId");
        if (!UserContext.isValidUserId(userId)) {
            throw new IllegalArgumentException("A user id must have 1 to " + UserContext.MAX_USER_ID_LENGTH
                    + " characters, not all blank, and no control characters");
        }
        return userId;
    }

    /**
     * Opens a sealed secret. A record in plaintext ({@link EncryptedSecret#PLAINTEXT_KEY_ID}) while a real cipher is
     * configured is refused unless the builder asked to accept them for the migration: anyone who can write to the
     * store could otherwise plant a secret of their choosing.
     */
    byte[] open(String userId, EncryptedSecret sealed) {
        if (EncryptedSecret.PLAINTEXT_KEY_ID.equals(sealed.keyId())
                && !EncryptedSecret.PLAINTEXT_KEY_ID.equals(cipher.currentKeyId()) && !acceptPlaintextSecrets) {
            throw new IllegalStateException("Refused a TOTP secret stored in plaintext while a cipher is configured: "
                    + "if it is left from plaintext mode, build the service with "
                    + "acceptPlaintextSecretsForMigration(true) and run reencryptSecrets; otherwise someone wrote it "
                    + "into the store");
        }
        return cipher.open(userId, sealed);
    }

    /** Runs {@code operation} and wipes the password afterwards, whatever happens. */
    static <T> T wiping(char[] password, Supplier<T> operation) {
        Objects.requireNonNull(password, "password");
        try {
            return operation.get();
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
