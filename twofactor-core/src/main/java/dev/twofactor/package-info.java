/**
 * The twofactor API: TOTP two-factor authentication with enrolment, recovery codes, brute-force backoff, policy,
 * step-up, administration and app passwords. A reading map, in the order a host meets it:
 *
 * <ol>
 *   <li><b>Entry point.</b> {@link dev.twofactor.TwoFactorService}, built once with
 *       {@link dev.twofactor.TwoFactorService#builder()} and shared: every operation for every user. Its
 *       {@link dev.twofactor.TwoFactorService#clock() clock} is the one every time stamp comes from.</li>
 *   <li><b>Outcomes.</b> What an operation answers: {@link dev.twofactor.Outcome} (success, rejected with a
 *       {@link dev.twofactor.Reason}, rate-limited, locked) with the values {@link dev.twofactor.TwoFactorStatus},
 *       {@link dev.twofactor.Enrolment}, {@link dev.twofactor.Confirmation}, {@link dev.twofactor.CodeAccepted},
 *       {@link dev.twofactor.RecoveryCodeAccepted}, {@link dev.twofactor.RecoveryCodes},
 *       {@link dev.twofactor.NewAppPassword}, {@link dev.twofactor.AppPassword},
 *       {@link dev.twofactor.AppPasswordGrant} (its {@link dev.twofactor.AppPasswordScope}) and
 *       {@link dev.twofactor.Requirement}; every user-facing text, by stable key and locale, in
 *       {@link dev.twofactor.TwoFactorTexts}; events
 *       ({@link dev.twofactor.TwoFactorEvent}, {@link dev.twofactor.TwoFactorEventType}) go to a
 *       {@link dev.twofactor.TwoFactorListener}.</li>
 *   <li><b>Configuration.</b> The builder's settings, and the values they take: {@link dev.twofactor.Totp}
 *       ({@link dev.twofactor.TotpAlgorithm}), {@link dev.twofactor.BackoffPolicy},
 *       {@link dev.twofactor.RecoveryCodePolicy}, {@link dev.twofactor.SecretCipher} with its
 *       {@link dev.twofactor.KeyRing} (from base64 text or an environment variable; checked against the store with
 *       {@link dev.twofactor.TwoFactorService#checkKeyRing()}),
 *       {@link dev.twofactor.SecretHasher}, {@link dev.twofactor.OrganisationPolicy}
 *       ({@link dev.twofactor.EnforcementLevel}); the {@code twofactor.*} keys of
 *       {@link dev.twofactor.ConfigurationProperties}; the host's strategies {@link dev.twofactor.PasswordVerifier} and
 *       {@link dev.twofactor.UserDirectory}; and {@link dev.twofactor.UserContext}, which also holds the one rule for
 *       an outside user id ({@link dev.twofactor.UserContext#isValidUserId}). The TOTP engine and its formats can be
 *       used alone: {@link dev.twofactor.TotpSecret}, {@link dev.twofactor.KeyUri}, {@link dev.twofactor.QrCode},
 *       {@link dev.twofactor.RecoveryCodeFormat}.</li>
 *   <li><b>SPI.</b> {@link dev.twofactor.spi}: one small interface per kind of state, each with its atomicity duty,
 *       and {@link dev.twofactor.spi.TwoFactorStore}, all of them in one, which also carries the backoff gate of
 *       SPEC §7. The contract test kit in core's test-jar checks an implementation.</li>
 *   <li><b>Stores.</b> {@link dev.twofactor.InMemoryTwoFactorStore} here; {@code JdbcTwoFactorStore} in
 *       {@code twofactor-jdbc}.</li>
 * </ol>
 *
 * <p>Inside, {@code TwoFactorService} is a facade: each capability (enrolment, sign-in and recovery codes, step-up,
 * administration and policy, app passwords, key rotation) is a package-private class over three shared pieces, the
 * backoff gate, event emission, and the opening of a sealed secret to check a code.
 */
package dev.twofactor;
