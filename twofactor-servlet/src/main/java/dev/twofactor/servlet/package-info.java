/**
 * Two-factor authentication for servlet applications.
 *
 * <ul>
 *   <li>{@link dev.twofactor.servlet.TwoFactorWebConfig}: the immutable configuration (service, screen paths as one
 *       {@link dev.twofactor.servlet.TwoFactorPaths}, strategies, {@link dev.twofactor.servlet.CrossSiteProtection}),
 *       made by a validating builder;</li>
 *   <li>{@link dev.twofactor.servlet.TwoFactorFilter}: the filter that enforces the half-open sign-in, the
 *       organisation policy, step-up, cross-site refusal and HTTP Basic (app passwords; password Basic refused);</li>
 *   <li>{@link dev.twofactor.servlet.TwoFactorSignIn}: what the host's own sign-in, challenge, step-up and
 *       enrolment handlers call ({@link dev.twofactor.servlet.ChallengeResult},
 *       {@link dev.twofactor.servlet.EnrolmentStart});</li>
 *   <li>{@link dev.twofactor.servlet.TwoFactorSessions}: read-only accessors (who is signed in, the app-password
 *       grant, the enrolment requirement);</li>
 *   <li>{@link dev.twofactor.servlet.OutcomeResponses}: the HTTP answer of any service outcome;
 *       {@link dev.twofactor.servlet.RecoveryCodesDownload}: recovery codes as a file;</li>
 *   <li>{@link dev.twofactor.servlet.AdminUnenrolServlet}: the administrator's unenrol endpoint;</li>
 *   <li>strategies {@link dev.twofactor.servlet.CurrentUser} and {@link dev.twofactor.servlet.RequestMatcher}.</li>
 * </ul>
 */
package dev.twofactor.servlet;
