package dev.twofactor.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code twofactor.web.*} properties: the Spring Security integration's paths and switches
 * ({@link dev.twofactor.spring.security.TwoFactorConfigurer}).
 */
public class TwoFactorWebProperties {

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
     * How long a signed-in session's requests may rely on what was last read about its user (two-factor
     * authentication enabled, the policy's demand), so they cost no store statement: from 0 (read on every request)
     * to 10 minutes. A user enabling two-factor authentication elsewhere, a policy change or a disable applies to
     * the session within this bound; a grace period ends on time.
     */
    private Duration requirementMaxAge = Duration.ofSeconds(10);

    /**
     * Render plain built-in screens for the challenge, the step-up and the two-factor card on the paths above.
     * The starter's default filter chain (when the application defines none) always does.
     */
    private boolean defaultPages;

    /**
     * @return The challenge screen (the application renders GET, twofactor handles POST).
     */
    public String getChallengePath() {
        return challengePath;
    }

    /**
     * @param challengePath The challenge screen (the application renders GET, twofactor handles POST).
     */
    public void setChallengePath(String challengePath) {
        this.challengePath = challengePath;
    }

    /**
     * @return The enrolment screen; it and the paths beneath it stay reachable for users who must enrol.
     */
    public String getEnrolmentPath() {
        return enrolmentPath;
    }

    /**
     * @param enrolmentPath The enrolment screen; it and the paths beneath it stay reachable for users who must enrol.
     */
    public void setEnrolmentPath(String enrolmentPath) {
        this.enrolmentPath = enrolmentPath;
    }

    /**
     * @return The step-up screen (the application renders GET, twofactor handles POST).
     */
    public String getStepUpPath() {
        return stepUpPath;
    }

    /**
     * @param stepUpPath The step-up screen (the application renders GET, twofactor handles POST).
     */
    public void setStepUpPath(String stepUpPath) {
        this.stepUpPath = stepUpPath;
    }

    /**
     * @return The password sign-in screen.
     */
    public String getLoginPath() {
        return loginPath;
    }

    /**
     * @param loginPath The password sign-in screen.
     */
    public void setLoginPath(String loginPath) {
        this.loginPath = loginPath;
    }

    /**
     * @return Path patterns of sensitive actions that need a recent verification.
     */
    public List<String> getStepUpPaths() {
        return stepUpPaths;
    }

    /**
     * @param stepUpPaths Path patterns of sensitive actions that need a recent verification.
     */
    public void setStepUpPaths(List<String> stepUpPaths) {
        this.stepUpPaths = stepUpPaths;
    }

    /**
     * @return Path patterns where HTTP Basic with app passwords is accepted.
     */
    public List<String> getApiPaths() {
        return apiPaths;
    }

    /**
     * @param apiPaths Path patterns where HTTP Basic with app passwords is accepted.
     */
    public void setApiPaths(List<String> apiPaths) {
        this.apiPaths = apiPaths;
    }

    /**
     * @return Path patterns always reachable (static resources).
     */
    public List<String> getPermitPaths() {
        return permitPaths;
    }

    /**
     * @param permitPaths Path patterns always reachable (static resources).
     */
    public void setPermitPaths(List<String> permitPaths) {
        this.permitPaths = permitPaths;
    }

    /**
     * @return The authority of administrators, for the "Require MFA for admins" policy.
     */
    public String getAdministratorAuthority() {
        return administratorAuthority;
    }

    /**
     * @param administratorAuthority The authority of administrators, for the "Require MFA for admins" policy.
     */
    public void setAdministratorAuthority(String administratorAuthority) {
        this.administratorAuthority = administratorAuthority;
    }

    /**
     * @return Whether app passwords are accepted over HTTP Basic on the API paths.
     */
    public boolean isAppPasswords() {
        return appPasswords;
    }

    /**
     * @param appPasswords Whether app passwords are accepted over HTTP Basic on the API paths.
     */
    public void setAppPasswords(boolean appPasswords) {
        this.appPasswords = appPasswords;
    }

    /**
     * @return Render plain built-in screens for the challenge, the step-up and the two-factor card on the paths above.
     *         The starter's default filter chain (when the application defines none) always does.
     */
    public boolean isDefaultPages() {
        return defaultPages;
    }

    /**
     * @param defaultPages Render plain built-in screens for the challenge, the step-up and the two-factor card on the
     *     paths above. The starter's default filter chain (when the application defines none) always does.
     */
    public void setDefaultPages(boolean defaultPages) {
        this.defaultPages = defaultPages;
    }

    /**
     * @return How long after the password the sign-in challenge can be answered.
     */
    public Duration getChallengeTtl() {
        return challengeTtl;
    }

    /**
     * @param challengeTtl How long after the password the sign-in challenge can be answered.
     */
    public void setChallengeTtl(Duration challengeTtl) {
        this.challengeTtl = challengeTtl;
    }

    /**
     * @return How long a signed-in session's requests may rely on what was last read about its user, from 0 (read on
     *     every request) to 10 minutes.
     */
    public Duration getRequirementMaxAge() {
        return requirementMaxAge;
    }

    /**
     * @param requirementMaxAge How long a signed-in session's requests may rely on what was last read about its
     *     user, from 0 (read on every request) to 10 minutes.
     */
    public void setRequirementMaxAge(Duration requirementMaxAge) {
        this.requirementMaxAge = requirementMaxAge;
    }
}
