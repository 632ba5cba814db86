package dev.twofactor;

import dev.twofactor.spi.AppPasswordStore;
import dev.twofactor.spi.BackoffStore;
import dev.twofactor.spi.CredentialStore;
import dev.twofactor.spi.PolicyStore;
import dev.twofactor.spi.RecoveryCodeStore;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of a {@link TwoFactorService}: every setting of {@link TwoFactorService.Builder}, with its
 * default, in one place (the builder adds only {@code build()}). Setters reject {@code null} and out-of-range values
 * at once. Not thread-safe. Only {@link TwoFactorService.Builder} extends it, so the setters return that type.
 */
abstract class Settings {

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
    boolean disableAfterStepUp;
    Set<String> appPasswordPermissions = Set.of();
    OrganisationPolicy configuredPolicy;
    boolean trustedDevices;
    Duration trustedDeviceLifetime = TrustedDevices.DEFAULT_LIFETIME;
    TrustedDeviceStore trustedDeviceStore;
    boolean regeneratingRecoveryCodesRevokesTrustedDevices = true;

    Settings() {
    }

    private TwoFactorService.Builder self() {
        return (TwoFactorService.Builder) this;
    }

    /**
     * @param issuer the name shown in authenticator apps ("ACME Corp"); required, no colon
     * @return this builder
     * @throws IllegalArgumentException if blank or containing a colon
     */
    public TwoFactorService.Builder issuer(String issuer) {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.isBlank() || issuer.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Issuer must not be blank or contain a colon");
        }
        this.issuer = issuer.strip();
        return self();
    }

    /**
     * @param store all five stores in one (the in-memory or the JDBC store)
     * @return this builder
     */
    public TwoFactorService.Builder store(TwoFactorStore store) {
        Objects.requireNonNull(store, "store");
        credentialStore = store;
        recoveryCodeStore = store;
        backoffStore = store;
        appPasswordStore = store;
        policyStore = store;
        return self();
    }

    /**
     * @param store where authenticator secrets live
     * @return this builder
     */
    public TwoFactorService.Builder credentialStore(CredentialStore store) {
        this.credentialStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param store where recovery code hashes live
     * @return this builder
     */
    public TwoFactorService.Builder recoveryCodeStore(RecoveryCodeStore store) {
        this.recoveryCodeStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param store where backoff state lives
     * @return this builder
     */
    public TwoFactorService.Builder backoffStore(BackoffStore store) {
        this.backoffStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param store where app passwords live
     * @return this builder
     */
    public TwoFactorService.Builder appPasswordStore(AppPasswordStore store) {
        this.appPasswordStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param store where the organisation policy lives
     * @return this builder
     */
    public TwoFactorService.Builder policyStore(PolicyStore store) {
        this.policyStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param cipher how secrets are sealed at rest; required: {@link SecretCipher#aesGcm(KeyRing)}, or
     *               {@link SecretCipher#plaintext()} asked for explicitly
     * @return this builder
     */
    public TwoFactorService.Builder secretCipher(SecretCipher cipher) {
        this.secretCipher = Objects.requireNonNull(cipher, "cipher");
        return self();
    }

    /**
     * @param clock the time source for codes, expiry and backoff; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public TwoFactorService.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * @param totp algorithm, digits, period and window of the codes (its clock is replaced by {@link #clock});
     *             default {@link Totp#defaults()}: SHA1, 6 digits, 30 s, ±1 step. Changing algorithm, digits or
     *             period after users enrolled breaks their authenticator entries.
     * @return this builder
     */
    public TwoFactorService.Builder totp(Totp totp) {
        this.totp = Objects.requireNonNull(totp, "totp");
        return self();
    }

    /**
     * @param hasher how recovery codes and app passwords are hashed; default {@link SecretHasher#pbkdf2()}
     * @return this builder
     */
    public TwoFactorService.Builder hasher(SecretHasher hasher) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        return self();
    }

    /**
     * @param policy recovery code format and behaviour; default {@link RecoveryCodePolicy#STANDARD}
     * @return this builder
     */
    public TwoFactorService.Builder recoveryCodePolicy(RecoveryCodePolicy policy) {
        this.recoveryCodePolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * @param policy the brute-force backoff; default {@link BackoffPolicy#DEFAULT}
     * @return this builder
     */
    public TwoFactorService.Builder backoffPolicy(BackoffPolicy policy) {
        this.backoffPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * @param ttl how long a pending enrolment stays confirmable, at least 1 second; default 10 minutes
     * @return this builder
     */
    public TwoFactorService.Builder pendingEnrolmentTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1000) {
            throw new IllegalArgumentException("pendingEnrolmentTtl must be at least 1 second");
        }
        this.pendingEnrolmentTtl = ttl;
        return self();
    }

    /**
     * @param window how long a step-up unlocks sensitive actions, not negative ({@link Duration#ZERO}: always ask);
     *               default 5 minutes
     * @return this builder
     */
    public TwoFactorService.Builder stepUpWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("stepUpWindow must not be negative");
        }
        this.stepUpWindow = window;
        return self();
    }

    /**
     * @param required whether the user must acknowledge "I have saved my recovery codes" before the state becomes
     *                 {@code ENABLED}; default {@code false}
     * @return this builder
     */
    public TwoFactorService.Builder requireRecoveryCodeAcknowledgement(boolean required) {
        this.requireRecoveryCodeAcknowledgement = required;
        return self();
    }

    /**
     * @param max the most app passwords one user may hold, 1 to 1000; default 20
     * @return this builder
     */
    public TwoFactorService.Builder maxAppPasswordsPerUser(int max) {
        if (max < 1 || max > 1000) {
            throw new IllegalArgumentException("maxAppPasswordsPerUser must be 1 to 1000");
        }
        this.maxAppPasswordsPerUser = max;
        return self();
    }

    /**
     * @param accept whether secrets stored in plaintext ({@link SecretCipher#plaintext()}) are opened although a
     *               real cipher is configured; default {@code false}: such a record is refused with
     *               {@link IllegalStateException}, since anyone who can write to the store could plant one. Turn
     *               it on only to migrate with {@link TwoFactorService#reencryptSecrets}, which logs when none are left
     * @return this builder
     */
    public TwoFactorService.Builder acceptPlaintextSecretsForMigration(boolean accept) {
        this.acceptPlaintextSecretsForMigration = accept;
        return self();
    }

    /**
     * @param verifier the host's password check, for disable and step-up; without one those operations throw
     *                 {@link IllegalStateException}
     * @return this builder
     */
    public TwoFactorService.Builder passwordVerifier(PasswordVerifier verifier) {
        this.passwordVerifier = Objects.requireNonNull(verifier, "verifier");
        return self();
    }

    /**
     * @param directory which user ids exist, for admin requests; default {@link UserDirectory#ANY_USER_EXISTS}
     * @return this builder
     */
    public TwoFactorService.Builder userDirectory(UserDirectory directory) {
        this.userDirectory = Objects.requireNonNull(directory, "directory");
        return self();
    }

    /**
     * @param listener receives every event; default an SLF4J audit logger (logger {@code dev.twofactor.audit})
     * @return this builder
     */
    public TwoFactorService.Builder listener(TwoFactorListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * @param allowed whether {@link TwoFactorService#disableAfterStepUp} may disable two-factor authentication on the
     *                strength of a recent step-up instead of the password (hosts on single sign-on have none);
     *                default {@code false}: only {@link TwoFactorService#disable} with the password
     * @return this builder
     */
    public TwoFactorService.Builder disableAfterStepUp(boolean allowed) {
        this.disableAfterStepUp = allowed;
        return self();
    }

    /**
     * @param catalogue every permission an app password may be limited to ({@link AppPasswordScope.Limited}); names
     *                  as the host checks them ({@link AppPasswordGrant#allows}), none blank; default none, so only
     *                  {@link AppPasswordScope#FULL} app passwords can be created
     * @return this builder
     * @throws IllegalArgumentException if a name is blank
     */
    public TwoFactorService.Builder appPasswordPermissions(Set<String> catalogue) {
        Set<String> copy = Set.copyOf(catalogue);
        for (String permission : copy) {
            if (permission.isBlank()) {
                throw new IllegalArgumentException("Permission names must not be blank");
            }
        }
        this.appPasswordPermissions = copy;
        return self();
    }

    /**
     * @param enabled whether users may have a device remembered after a passed challenge, so that signing in on it
     *                needs only the password until it expires or is revoked ({@link TwoFactorService#trustedDevices});
     *                default {@code false}. The trade-off: whoever holds the device cookie and the password signs in.
     *                Needs a {@link TrustedDeviceStore}: the one given to {@link #store} when it implements that
     *                interface too (the in-memory and JDBC stores do), or one set with {@link #trustedDeviceStore}
     * @return this builder
     */
    public TwoFactorService.Builder trustedDevices(boolean enabled) {
        this.trustedDevices = enabled;
        return self();
    }

    /**
     * @param lifetime how long a remembered device is recognised, 1 minute to 400 days; default 30 days. Counted from
     *                 when it was remembered; recognising it does not extend it
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public TwoFactorService.Builder trustedDeviceLifetime(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofDays(400)) > 0) {
            throw new IllegalArgumentException("trustedDeviceLifetime must be 1 minute to 400 days");
        }
        this.trustedDeviceLifetime = lifetime;
        return self();
    }

    /**
     * @param store where trusted devices live, when not in the store given to {@link #store}; default: that store,
     *              if it implements {@link TrustedDeviceStore}
     * @return this builder
     */
    public TwoFactorService.Builder trustedDeviceStore(TrustedDeviceStore store) {
        this.trustedDeviceStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param revokes whether {@link TwoFactorService#regenerateRecoveryCodes} also revokes all the user's trusted
     *                devices; default {@code true}, since users regenerate codes when they fear a leak. Disabling,
     *                changing the authenticator app, an admin unenrol and a password change always revoke them
     * @return this builder
     */
    public TwoFactorService.Builder regeneratingRecoveryCodesRevokesTrustedDevices(boolean revokes) {
        this.regeneratingRecoveryCodesRevokesTrustedDevices = revokes;
        return self();
    }

    /**
     * Binds settings from configuration properties (as a host's JVM flags or a properties file give them); only
     * keys that start with {@code twofactor.} are read, the others are ignored. The keys
     * ({@link ConfigurationProperties} lists them with their formats):
     * <ul>
     *   <li>{@code twofactor.enforcement}: {@code NONE}, {@code ADMINS} or {@code EVERYONE}; fixes the organisation
     *       policy by configuration, over the stored one ({@link TwoFactorService#setPolicy} then throws);</li>
     *   <li>{@code twofactor.enforcement.gracePeriod}: ISO-8601 duration ({@code P7D}), with
     *       {@code twofactor.enforcement}; default none. A configured policy has no start date of its own: the grace
     *       period runs from {@link UserContext#policyAppliesSince()};</li>
     *   <li>{@code twofactor.backoff.toleratedFailures}: failures that pass without delay, 0 or more;</li>
     *   <li>{@code twofactor.backoff.lockAfter}: consecutive failures that lock the second factor;</li>
     *   <li>{@code twofactor.stepUpWindow}: ISO-8601 duration, {@code PT0S} to ask every time.</li>
     * </ul>
     * Applied at once, over earlier settings; a later setter overrides them again.
     *
     * @param properties the properties, for example {@link System#getProperties()}
     * @return this builder
     * @throws IllegalArgumentException naming the key, for an unknown {@code twofactor.*} key or a malformed value
     */
    public TwoFactorService.Builder properties(java.util.Properties properties) {
        ConfigurationProperties.apply(Objects.requireNonNull(properties, "properties"), self());
        return self();
    }
}
