package dev.twofactor.spring.boot;

import dev.twofactor.EnforcementLevel;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code twofactor.*} properties. Only {@code twofactor.issuer} and a key ({@code twofactor.keys}, usually from
 * the environment variable {@code TWOFACTOR_KEYS}) are needed; everything else has the SDK's defaults.
 */
@ConfigurationProperties(prefix = "twofactor")
public class TwoFactorProperties {

    /** The name authenticator apps show beside the account ("ACME Co"); required, no colon. */
    private String issuer;

    /**
     * The AES-256 keys that seal authenticator secrets, as comma-separated id:base64 pairs of 32 random bytes each
     * (openssl rand -base64 32); the first is the primary key, the others open older records. Set it through the
     * environment variable TWOFACTOR_KEYS, never in a committed file.
     */
    private String keys;

    /**
     * Store secrets unencrypted. Development only: every seal logs a warning. Without keys and without this, the
     * application does not start.
     */
    private boolean plaintextSecrets;

    /** How long a step-up unlocks sensitive actions; 0 asks before every sensitive action. */
    private Duration stepUpWindow = Duration.ofMinutes(5);

    /** How long a pending enrolment stays confirmable. */
    private Duration pendingEnrolmentTtl = Duration.ofMinutes(10);

    /** Whether users must acknowledge "I have saved my recovery codes" before two-factor authentication is enabled. */
    private boolean requireRecoveryCodeAcknowledgement;

    /**
     * The permissions a limited app password may be granted ("reports:read"); empty: only full-access app passwords.
     */
    private Set<String> appPasswordPermissions = Set.of();

    /** The organisation policy applied at start-up. */
    private final Policy policy = new Policy();
    /** The backoff after failed verifications. */
    private final Backoff backoff = new Backoff();
    /** The shape of recovery codes. */
    private final RecoveryCodes recoveryCodes = new RecoveryCodes();
    /** The JDBC store on the application's DataSource. */
    private final Jdbc jdbc = new Jdbc();
    /** The Spring Security integration. */
    @NestedConfigurationProperty
    private final TwoFactorWebProperties web = new TwoFactorWebProperties();
    /** Core's SLF4J audit log. */
    private final AuditLog auditLog = new AuditLog();
    /** "Remember this device". */
    @NestedConfigurationProperty
    private final TwoFactorTrustedDeviceProperties trustedDevices = new TwoFactorTrustedDeviceProperties();

    /**
     * @return The name authenticator apps show beside the account ("ACME Co"); required, no colon.
     */
    public String getIssuer() {
        return issuer;
    }

    /**
     * @param issuer The name authenticator apps show beside the account ("ACME Co"); required, no colon.
     */
    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    /**
     * @return The AES-256 keys that seal authenticator secrets, as comma-separated id:base64 pairs of 32 random bytes
     *         each (openssl rand -base64 32); the first is the primary key, the others open older records. Set it
     *         through the environment variable TWOFACTOR_KEYS, never in a committed file.
     */
    public String getKeys() {
        return keys;
    }

    /**
     * @param keys The AES-256 keys that seal authenticator secrets, as comma-separated id:base64 pairs of 32 random
     *     bytes each (openssl rand -base64 32); the first is the primary key, the others open older records. Set it
     *     through the environment variable TWOFACTOR_KEYS, never in a committed file.
     */
    public void setKeys(String keys) {
        this.keys = keys;
    }

    /**
     * @return Store secrets unencrypted. Development only: every seal logs a warning. Without keys and without this,
     *         the application does not start.
     */
    public boolean isPlaintextSecrets() {
        return plaintextSecrets;
    }

    /**
     * @param plaintextSecrets Store secrets unencrypted. Development only: every seal logs a warning. Without keys and
     *     without this, the application does not start.
     */
    public void setPlaintextSecrets(boolean plaintextSecrets) {
        this.plaintextSecrets = plaintextSecrets;
    }

    /**
     * @return How long a step-up unlocks sensitive actions; 0 asks before every sensitive action.
     */
    public Duration getStepUpWindow() {
        return stepUpWindow;
    }

    /**
     * @param stepUpWindow How long a step-up unlocks sensitive actions; 0 asks before every sensitive action.
     */
    public void setStepUpWindow(Duration stepUpWindow) {
        this.stepUpWindow = stepUpWindow;
    }

    /**
     * @return The permissions a limited app password may be granted ("reports:read"); empty: only full-access app
     *         passwords.
     */
    public Set<String> getAppPasswordPermissions() {
        return appPasswordPermissions;
    }

    /**
     * @param appPasswordPermissions The permissions a limited app password may be granted ("reports:read"); empty:
     *     only full-access app passwords.
     */
    public void setAppPasswordPermissions(Set<String> appPasswordPermissions) {
        this.appPasswordPermissions = Set.copyOf(appPasswordPermissions);
    }

    /**
     * @return How long a pending enrolment stays confirmable.
     */
    public Duration getPendingEnrolmentTtl() {
        return pendingEnrolmentTtl;
    }

    /**
     * @param pendingEnrolmentTtl How long a pending enrolment stays confirmable.
     */
    public void setPendingEnrolmentTtl(Duration pendingEnrolmentTtl) {
        this.pendingEnrolmentTtl = pendingEnrolmentTtl;
    }

    /**
     * @return Whether users must acknowledge "I have saved my recovery codes" before two-factor authentication is
     *         enabled.
     */
    public boolean isRequireRecoveryCodeAcknowledgement() {
        return requireRecoveryCodeAcknowledgement;
    }

    /**
     * @param requireRecoveryCodeAcknowledgement Whether users must acknowledge "I have saved my recovery codes" before
     *     two-factor authentication is enabled.
     */
    public void setRequireRecoveryCodeAcknowledgement(boolean requireRecoveryCodeAcknowledgement) {
        this.requireRecoveryCodeAcknowledgement = requireRecoveryCodeAcknowledgement;
    }

    /**
     * @return The organisation policy applied at start-up.
     */
    public Policy getPolicy() {
        return policy;
    }

    /**
     * @return The backoff after failed verifications.
     */
    public Backoff getBackoff() {
        return backoff;
    }

    /**
     * @return The shape of recovery codes.
     */
    public RecoveryCodes getRecoveryCodes() {
        return recoveryCodes;
    }

    /**
     * @return The JDBC store on the application's DataSource.
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * @return The Spring Security integration.
     */
    public TwoFactorWebProperties getWeb() {
        return web;
    }

    /**
     * @return Core's SLF4J audit log.
     */
    public AuditLog getAuditLog() {
        return auditLog;
    }

    /**
     * @return "Remember this device".
     */
    public TwoFactorTrustedDeviceProperties getTrustedDevices() {
        return trustedDevices;
    }

    @Override
    public String toString() {
        return "TwoFactorProperties[issuer=" + issuer + ", keys=" + (keys == null ? "unset" : "redacted") + "]";
    }

    /** The organisation policy applied at start-up. */
    public static class Policy {

        /**
         * Who must use two-factor authentication: NONE, ADMINS or EVERYONE. When set, it is applied at start-up if
         * the stored policy differs (an administrator's later change holds until the next start); unset keeps the
         * stored policy.
         */
        private EnforcementLevel level;

        /** How long a user the policy applies to may still work without enrolling. */
        private Duration gracePeriod = Duration.ZERO;

        /**
         * @return Who must use two-factor authentication: NONE, ADMINS or EVERYONE. When set, it is applied at start-up
         *         if the stored policy differs (an administrator's later change holds until the next start); unset
         *         keeps the stored policy.
         */
        public EnforcementLevel getLevel() {
            return level;
        }

        /**
         * @param level Who must use two-factor authentication: NONE, ADMINS or EVERYONE. When set, it is applied at
         *     start-up if the stored policy differs (an administrator's later change holds until the next start); unset
         *     keeps the stored policy.
         */
        public void setLevel(EnforcementLevel level) {
            this.level = level;
        }

        /**
         * @return How long a user the policy applies to may still work without enrolling.
         */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /**
         * @param gracePeriod How long a user the policy applies to may still work without enrolling.
         */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /** The brute-force backoff (SPEC §7). */
    public static class Backoff {

        /** Consecutive failures that pass without delay. */
        private int toleratedFailures = 1;

        /** The first backoff; it doubles with each further failure. */
        private Duration initialDelay = Duration.ofSeconds(1);

        /** The longest backoff. */
        private Duration maxDelay = Duration.ofSeconds(3600);

        /** Consecutive failures that lock the second factor until an administrator resets it. */
        private int lockAfter = 100;

        /**
         * @return Consecutive failures that pass without delay.
         */
        public int getToleratedFailures() {
            return toleratedFailures;
        }

        /**
         * @param toleratedFailures Consecutive failures that pass without delay.
         */
        public void setToleratedFailures(int toleratedFailures) {
            this.toleratedFailures = toleratedFailures;
        }

        /**
         * @return The first backoff; it doubles with each further failure.
         */
        public Duration getInitialDelay() {
            return initialDelay;
        }

        /**
         * @param initialDelay The first backoff; it doubles with each further failure.
         */
        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        /**
         * @return The longest backoff.
         */
        public Duration getMaxDelay() {
            return maxDelay;
        }

        /**
         * @param maxDelay The longest backoff.
         */
        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        /**
         * @return Consecutive failures that lock the second factor until an administrator resets it.
         */
        public int getLockAfter() {
            return lockAfter;
        }

        /**
         * @param lockAfter Consecutive failures that lock the second factor until an administrator resets it.
         */
        public void setLockAfter(int lockAfter) {
            this.lockAfter = lockAfter;
        }
    }

    /** The recovery-code policy (SPEC §5). */
    public static class RecoveryCodes {

        /** Codes per set, 1 to 32 (1 with rotate-on-use is the "emergency recovery key"). */
        private int count = 8;

        /** Groups per code, 1 to 8. */
        private int groups = 2;

        /** Symbols per group, 2 to 8; a code carries at least 40 bits. */
        private int groupLength = 4;

        /** Whether using a code replaces the whole set with a new one. */
        private boolean rotateOnUse;

        /**
         * @return Codes per set, 1 to 32 (1 with rotate-on-use is the "emergency recovery key").
         */
        public int getCount() {
            return count;
        }

        /**
         * @param count Codes per set, 1 to 32 (1 with rotate-on-use is the "emergency recovery key").
         */
        public void setCount(int count) {
            this.count = count;
        }

        /**
         * @return Groups per code, 1 to 8.
         */
        public int getGroups() {
            return groups;
        }

        /**
         * @param groups Groups per code, 1 to 8.
         */
        public void setGroups(int groups) {
            this.groups = groups;
        }

        /**
         * @return Symbols per group, 2 to 8; a code carries at least 40 bits.
         */
        public int getGroupLength() {
            return groupLength;
        }

        /**
         * @param groupLength Symbols per group, 2 to 8; a code carries at least 40 bits.
         */
        public void setGroupLength(int groupLength) {
            this.groupLength = groupLength;
        }

        /**
         * @return Whether using a code replaces the whole set with a new one.
         */
        public boolean isRotateOnUse() {
            return rotateOnUse;
        }

        /**
         * @param rotateOnUse Whether using a code replaces the whole set with a new one.
         */
        public void setRotateOnUse(boolean rotateOnUse) {
            this.rotateOnUse = rotateOnUse;
        }
    }

    /** The JDBC store on the application's DataSource. */
    public static class Jdbc {

        /** The prefix of twofactor's tables. */
        private String tablePrefix = "tf_";

        /**
         * Create the tables at start-up when missing (embedded databases, development); otherwise run the shipped
         * schema scripts with your migration tool.
         */
        private boolean createSchema;

        /**
         * @return The prefix of twofactor's tables.
         */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /**
         * @param tablePrefix The prefix of twofactor's tables.
         */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /**
         * @return Create the tables at start-up when missing (embedded databases, development); otherwise run the
         *         shipped schema scripts with your migration tool.
         */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /**
         * @param createSchema Create the tables at start-up when missing (embedded databases, development); otherwise
         *     run the shipped schema scripts with your migration tool.
         */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** Core's SLF4J audit log (logger {@code dev.twofactor.audit}). */
    public static class AuditLog {

        /**
         * Write one line per event to the logger dev.twofactor.audit (INFO for changes, WARN for failures, backoffs
         * and locks), besides publishing the events as TwoFactorApplicationEvents and handing them to the
         * application's TwoFactorListener bean.
         */
        private boolean enabled = true;

        /**
         * @return Write one line per event to the logger dev.twofactor.audit (INFO for changes, WARN for failures,
         *         backoffs and locks), besides publishing the events as TwoFactorApplicationEvents and handing them to
         *         the application's TwoFactorListener bean.
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled Write one line per event to the logger dev.twofactor.audit (INFO for changes, WARN for
         *     failures, backoffs and locks), besides publishing the events as TwoFactorApplicationEvents and handing
         *     them to the application's TwoFactorListener bean.
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
