package dev.twofactor.servlet;

import java.util.Objects;

/**
 * The paths of the host's screens that the filter sends users to and keeps reachable, within the application
 * (without the context path). One value, validated once, here: each path is a plain path ({@code /login}: starting
 * with {@code /}, no query, wildcard, {@code //}, {@code %}, {@code ;}, backslash, whitespace or trailing {@code /};
 * only {@link #home} may be {@code /}), the five sign-in and enrolment screens differ, the step-up screen is none of
 * the sign-in screens, and the home path is a page of the application rather than a sign-in or sign-out path.
 *
 * <pre>{@code
 * TwoFactorPaths paths = TwoFactorPaths.DEFAULTS.withLogin("/signin").withHome("/dashboard");
 * TwoFactorWebConfig.builder(service).paths(paths) ...
 * }</pre>
 *
 * @param login the sign-in screen, where an expired challenge sends the user; default {@value #DEFAULT_LOGIN}
 * @param challenge the challenge screen; it and the paths beneath it stay reachable while half-open; default
 *                  {@value #DEFAULT_CHALLENGE}
 * @param challengeCancel "Sign in as a different user" ({@code POST} only): ends a half-open sign-in; default
 *                        {@value #DEFAULT_CHALLENGE_CANCEL}
 * @param enrolment the enrolment screen; it and the paths beneath it stay reachable for a user the policy sends
 *                  there; default {@value #DEFAULT_ENROLMENT}
 * @param stepUp the step-up ("Unlock settings") screen, where a sensitive path sends a user whose last verification is
 *               older than the service's step-up window; default {@value #DEFAULT_STEP_UP}
 * @param signOut the host's sign-out, reachable in every state; default {@value #DEFAULT_SIGN_OUT}
 * @param home where a passed challenge continues when no page was asked for before it; default
 *             {@value #DEFAULT_HOME}
 */
public record TwoFactorPaths(String login, String challenge, String challengeCancel, String enrolment, String stepUp,
                             String signOut, String home) {

    /** Default sign-in screen path. */
    public static final String DEFAULT_LOGIN = "/login";
    /** Default challenge screen path. */
    public static final String DEFAULT_CHALLENGE = "/login/two-factor";
    /** Default path of "Sign in as a different user". */
    public static final String DEFAULT_CHALLENGE_CANCEL = "/login/two-factor/cancel";
    /** Default enrolment (security settings) screen path. */
    public static final String DEFAULT_ENROLMENT = "/my/profile/two-factor";
    /** Default step-up ("Unlock settings") screen path. */
    public static final String DEFAULT_STEP_UP = "/my/profile/two-factor/unlock";
    /** Default sign-out path. */
    public static final String DEFAULT_SIGN_OUT = "/logout";
    /** Default path to continue at after the challenge when no page was asked for before it. */
    public static final String DEFAULT_HOME = "/";

    /** All defaults. */
    public static final TwoFactorPaths DEFAULTS = new TwoFactorPaths(DEFAULT_LOGIN, DEFAULT_CHALLENGE,
            DEFAULT_CHALLENGE_CANCEL, DEFAULT_ENROLMENT, DEFAULT_STEP_UP, DEFAULT_SIGN_OUT, DEFAULT_HOME);

    /**
     * Validates, as described above.
     *
     * @param login the sign-in screen
     * @param challenge the challenge screen
     * @param challengeCancel "Sign in as a different user"
     * @param enrolment the enrolment screen
     * @param stepUp the step-up screen
     * @param signOut the sign-out path
     * @param home the home path
     * @throws NullPointerException if a path is {@code null}
     * @throws IllegalArgumentException if a path is not a plain path
     * @throws IllegalStateException if two screens share a path, or the home path would end the session
     */
    public TwoFactorPaths {
        check("login", login, false);
        check("challenge", challenge, false);
        check("challengeCancel", challengeCancel, false);
        check("enrolment", enrolment, false);
        check("stepUp", stepUp, false);
        check("signOut", signOut, false);
        check("home", home, true);
        String[] screens = {login, challenge, challengeCancel, enrolment, signOut};
        for (int i = 0; i < screens.length; i++) {
            for (int j = i + 1; j < screens.length; j++) {
                if (screens[i].equals(screens[j])) {
                    throw new IllegalStateException("two screens share the path " + screens[i]);
                }
            }
        }
        if (stepUp.equals(login) || stepUp.equals(challenge) || stepUp.equals(signOut)) {
            throw new IllegalStateException("the step-up path must differ from the sign-in screens: " + stepUp);
        }
        if (home.equals(signOut) || home.equals(challengeCancel) || home.equals(login)) {
            throw new IllegalStateException("the home path must be a page of the application, not a sign-in or"
                    + " sign-out path: " + home);
        }
    }

    /**
     * @param path the sign-in screen
     * @return a copy with it
     */
    public TwoFactorPaths withLogin(String path) {
        return new TwoFactorPaths(path, challenge, challengeCancel, enrolment, stepUp, signOut, home);
    }

    /**
     * @param path the challenge screen
     * @return a copy with it
     */
    public TwoFactorPaths withChallenge(String path) {
        return new TwoFactorPaths(login, path, challengeCancel, enrolment, stepUp, signOut, home);
    }

    /**
     * @param path "Sign in as a different user"
     * @return a copy with it
     */
    public TwoFactorPaths withChallengeCancel(String path) {
        return new TwoFactorPaths(login, challenge, path, enrolment, stepUp, signOut, home);
    }

    /**
     * @param path the enrolment screen
     * @return a copy with it
     */
    public TwoFactorPaths withEnrolment(String path) {
        return new TwoFactorPaths(login, challenge, challengeCancel, path, stepUp, signOut, home);
    }

    /**
     * @param path the step-up screen
     * @return a copy with it
     */
    public TwoFactorPaths withStepUp(String path) {
        return new TwoFactorPaths(login, challenge, challengeCancel, enrolment, path, signOut, home);
    }

    /**
     * @param path the sign-out path
     * @return a copy with it
     */
    public TwoFactorPaths withSignOut(String path) {
        return new TwoFactorPaths(login, challenge, challengeCancel, enrolment, stepUp, path, home);
    }

    /**
     * @param path the home path
     * @return a copy with it
     */
    public TwoFactorPaths withHome(String path) {
        return new TwoFactorPaths(login, challenge, challengeCancel, enrolment, stepUp, signOut, path);
    }

    /**
     * Checks one path's form (the first half of the validation above), for builders that take the paths one at a
     * time and validate each at once.
     *
     * @return {@code value}
     */
    static String check(String name, String value, boolean rootAllowed) {
        Objects.requireNonNull(value, name);
        boolean valid = value.startsWith("/") && value.length() <= 1024 && !value.contains("//")
                && (rootAllowed || value.length() > 1) && (value.length() == 1 || !value.endsWith("/"))
                && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && "?#*;\\%".indexOf(c) < 0);
        if (!valid) {
            throw new IllegalArgumentException(name + " must be a path within the application such as"
                    + " \"/login\": starting with '/', without query, wildcard, '//', '%' or trailing '/': " + value);
        }
        return value;
    }
}
