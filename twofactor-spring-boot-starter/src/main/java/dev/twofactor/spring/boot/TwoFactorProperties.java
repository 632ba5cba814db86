package dev.twofactor.spring.boot;

import dev.twofactor.EnforcementLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code twofactor.*} properties. Only {@code twofactor.issuer} and a key ({@code twofactor.keys}, usually from
 * the environment variable {@code TWOFACTOR_KEYS}) are needed; everything else has the SDK's defaults.
 */
@ConfigurationProperties(prefix = "twofactor")
public class TwoFactorProperties {

    /** The name authenticator apps show beside the account ("ACME Co"); required, no colon. */
    private String issuer;

    /**
     * The AES-256 keys that seal authenticator secrets, as comma-separated {@code id:base64} pairs of 32 random
     * bytes each ({@code openssl rand -base64 32}); the first is the primary key, the others open older records.
     * Set it through the environment variable {@code TWOFACTOR_KEYS}, never in a committed file.
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

    private final Policy policy = new Policy();
    private final Backoff backoff = new Backoff();
    private final RecoveryCodes recoveryCodes = new RecoveryCodes();
    private final Jdbc jdbc = new Jdbc();
    private final Web web = new Web();
    private final AuditLog auditLog = new AuditLog();

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getKeys() {
        return keys;
    }

    public void setKeys(String keys) {
        this.keys = keys;
    }

    public boolean isPlaintextSecrets() {
        return plaintextSecrets;
    }

    public void setPlaintextSecrets(boolean plaintextSecrets) {
        this.plaintextSecrets = plaintextSecrets;
    }

    public Duration getStepUpWindow() {
        return stepUpWindow;
    }

    public void setStepUpWindow(Duration stepUpWindow) {
        this.stepUpWindow = stepUpWindow;
    }

    public Duration getPendingEnrolmentTtl() {
        return pendingEnrolmentTtl;
    }

    public void setPendingEnrolmentTtl(Duration pendingEnrolmentTtl) {
        this.pendingEnrolmentTtl = pendingEnrolmentTtl;
    }

    public boolean isRequireRecoveryCodeAcknowledgement() {
        return requireRecoveryCodeAcknowledgement;
    }

    public void setRequireRecoveryCodeAcknowledgement(boolean requireRecoveryCodeAcknowledgement) {
        this.requireRecoveryCodeAcknowledgement = requireRecoveryCodeAcknowledgement;
    }

    public Policy getPolicy() {
        return policy;
    }

    public Backoff getBackoff() {
        return backoff;
    }

    public RecoveryCodes getRecoveryCodes() {
        return recoveryCodes;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Web getWeb() {
        return web;
    }

    public AuditLog getAuditLog() {
        return auditLog;
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

        public EnforcementLevel getLevel() {
            return level;
        }

        public void setLevel(EnforcementLevel level) {
            this.level = level;
        }

        public Duration getGracePeriod() {
            return gracePeriod;
        }

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

        public int getToleratedFailures() {
            return toleratedFailures;
        }

        public void setToleratedFailures(int toleratedFailures) {
            this.toleratedFailures = toleratedFailures;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public int getLockAfter() {
            return lockAfter;
        }

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

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public int getGroups() {
            return groups;
        }

        public void setGroups(int groups) {
            this.groups = groups;
        }

        public int getGroupLength() {
            return groupLength;
        }

        public void setGroupLength(int groupLength) {
            this.groupLength = groupLength;
        }

        public boolean isRotateOnUse() {
            return rotateOnUse;
        }

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

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isCreateSchema() {
            return createSchema;
        }

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

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The Spring Security integration. */
    public static class Web {

        /** The challenge screen (the application renders GET, twofactor handles POST). */
        private String challengePath = "/login/two-factor";

        /** The enrolment screen; it and the paths beneath it stay reachable for users who must enrol. */
        private String enrolmentPath = "/my/profile/two-factor";

        /** The step-up screen (the application renders GET, twofactor handles POST). */
        private String stepUpPath = "/my/profile/two-factor/unlock";

        /** The password sign-in screen. */
        private String loginPath = "/login";

        /** Path patterns of sensitive actions that need a recent verification. */
        private List<String> stepUpPaths = new ArrayList<>();

        /** Path patterns where HTTP Basic with app passwords is accepted. */
        private List<String> apiPaths = new ArrayList<>(List.of("/api/**"));

        /** Path patterns always reachable (static resources). */
        private List<String> permitPaths = new ArrayList<>(
                List.of("/error", "/css/**", "/js/**", "/images/**", "/webjars/**", "/favicon.ico"));

        /** The authority of administrators, for the "Require MFA for admins" policy. */
        private String administratorAuthority = "ROLE_ADMIN";

        /** Whether app passwords are accepted over HTTP Basic on the API paths. */
        private boolean appPasswords = true;

        /** How long after the password the sign-in challenge can be answered. */
        private Duration challengeTtl = Duration.ofMinutes(10);

        /**
         * Render plain built-in screens for the challenge, the step-up and the two-factor card on the paths above.
         * The starter's default filter chain (when the application defines none) always does.
         */
        private boolean defaultPages;

        public String getChallengePath() {
            return challengePath;
        }

        public void setChallengePath(String challengePath) {
            this.challengePath = challengePath;
        }

        public String getEnrolmentPath() {
            return enrolmentPath;
        }

        public void setEnrolmentPath(String enrolmentPath) {
            this.enrolmentPath = enrolmentPath;
        }

        public String getStepUpPath() {
            return stepUpPath;
        }

        public void setStepUpPath(String stepUpPath) {
            this.stepUpPath = stepUpPath;
        }

        public String getLoginPath() {
            return loginPath;
        }

        public void setLoginPath(String loginPath) {
            this.loginPath = loginPath;
        }

        public List<String> getStepUpPaths() {
            return stepUpPaths;
        }

        public void setStepUpPaths(List<String> stepUpPaths) {
            this.stepUpPaths = stepUpPaths;
        }

        public List<String> getApiPaths() {
            return apiPaths;
        }

        public void setApiPaths(List<String> apiPaths) {
            this.apiPaths = apiPaths;
        }

        public List<String> getPermitPaths() {
            return permitPaths;
        }

        public void setPermitPaths(List<String> permitPaths) {
            this.permitPaths = permitPaths;
        }

        public String getAdministratorAuthority() {
            return administratorAuthority;
        }

        public void setAdministratorAuthority(String administratorAuthority) {
            this.administratorAuthority = administratorAuthority;
        }

        public boolean isAppPasswords() {
            return appPasswords;
        }

        public void setAppPasswords(boolean appPasswords) {
            this.appPasswords = appPasswords;
        }

        public boolean isDefaultPages() {
            return defaultPages;
        }

        public void setDefaultPages(boolean defaultPages) {
            this.defaultPages = defaultPages;
        }

        public Duration getChallengeTtl() {
            return challengeTtl;
        }

        public void setChallengeTtl(Duration challengeTtl) {
            this.challengeTtl = challengeTtl;
        }
    }
}
