package dev.twofactor.servlet;

import dev.twofactor.TwoFactorService;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The values of a {@link TwoFactorWebConfig}, with their defaults: the state that {@link TwoFactorWebConfig.Builder}
 * sets and validates, and of which each configuration keeps a private copy. Not thread-safe; never shared once
 * copied.
 */
class WebSettings {

    /** Who may use password HTTP Basic: nobody by default. */
    static final Predicate<String> NOBODY = userId -> false;

    private static final Duration MAX_CHALLENGE_TTL = Duration.ofDays(1);

    final TwoFactorService service;
    CurrentUser currentUser = CurrentUser.SIGN_IN_HELPER;
    /** The screens in {@link TwoFactorPaths} order, each checked when set, validated together by {@link #paths()}. */
    String[] paths = {TwoFactorPaths.DEFAULT_LOGIN, TwoFactorPaths.DEFAULT_CHALLENGE,
        TwoFactorPaths.DEFAULT_CHALLENGE_CANCEL, TwoFactorPaths.DEFAULT_ENROLMENT, TwoFactorPaths.DEFAULT_STEP_UP,
        TwoFactorPaths.DEFAULT_SIGN_OUT, TwoFactorPaths.DEFAULT_HOME};
    RequestMatcher allowlist = RequestMatcher.NONE;
    RequestMatcher stepUpPaths = RequestMatcher.NONE;
    RequestMatcher appPasswordPaths = RequestMatcher.NONE;
    RequestMatcher apiRequests = RequestMatcher.ACCEPTS_JSON;
    Duration challengeTtl = Duration.ofMinutes(10);
    String basicRealm = TwoFactorWebConfig.DEFAULT_BASIC_REALM;
    boolean handleChallengeRequests = true;
    CrossSiteProtection crossSiteProtection = CrossSiteProtection.DEFAULT;
    /** {@code null}: the enrolment path plus {@code /start} and {@code /change}. */
    RequestMatcher enrolmentStartPaths;
    boolean stepUpBeforeEnrolment = true;
    Predicate<String> passwordBasicAllowed = NOBODY;
    boolean cancelPendingEnrolmentOnLeave;
    Duration requirementMaxAge = SessionFacts.DEFAULT_MAX_AGE;
    /** {@code null}: "remember this device" off. */
    TrustedDeviceCookie trustedDeviceCookie;

    WebSettings(TwoFactorService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    WebSettings(WebSettings other) {
        this.service = other.service;
        this.currentUser = other.currentUser;
        this.paths = other.paths.clone();
        this.allowlist = other.allowlist;
        this.stepUpPaths = other.stepUpPaths;
        this.appPasswordPaths = other.appPasswordPaths;
        this.apiRequests = other.apiRequests;
        this.challengeTtl = other.challengeTtl;
        this.basicRealm = other.basicRealm;
        this.handleChallengeRequests = other.handleChallengeRequests;
        this.crossSiteProtection = other.crossSiteProtection;
        this.enrolmentStartPaths = other.enrolmentStartPaths;
        this.stepUpBeforeEnrolment = other.stepUpBeforeEnrolment;
        this.passwordBasicAllowed = other.passwordBasicAllowed;
        this.cancelPendingEnrolmentOnLeave = other.cancelPendingEnrolmentOnLeave;
        this.requirementMaxAge = other.requirementMaxAge;
        this.trustedDeviceCookie = other.trustedDeviceCookie;
    }

    static Duration checkChallengeTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "challengeTtl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_CHALLENGE_TTL) > 0) {
            throw new IllegalArgumentException("challengeTtl must be more than zero and at most one day: " + ttl);
        }
        return ttl;
    }

    static String checkBasicRealm(String realm) {
        Objects.requireNonNull(realm, "basicRealm");
        if (realm.isEmpty() || realm.length() > 100
                || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException(
                    "basicRealm must be 1 to 100 printable ASCII characters without quote or backslash");
        }
        return realm;
    }

    /** The screens set so far, validated together ({@link TwoFactorPaths}). */
    TwoFactorPaths paths() {
        return new TwoFactorPaths(paths[0], paths[1], paths[2], paths[3], paths[4], paths[5], paths[6]);
    }

    /**
     * The configuration a host stored under {@link TwoFactorWebConfig#CONTEXT_ATTRIBUTE}.
     *
     * @param context the servlet context
     * @return the configuration
     * @throws IllegalStateException if none was stored
     */
    static TwoFactorWebConfig from(ServletContext context) {
        if (context.getAttribute(TwoFactorWebConfig.CONTEXT_ATTRIBUTE) instanceof TwoFactorWebConfig config) {
            return config;
        }
        throw new IllegalStateException("No TwoFactorWebConfig in the servlet context attribute "
                + TwoFactorWebConfig.CONTEXT_ATTRIBUTE
                + ": store one there (for example in a ServletContextListener) before the filter starts, or pass it"
                + " to the constructor");
    }
}
