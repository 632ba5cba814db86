/**
 * The storage SPI: what an integrator implements to keep twofactor's state in their own database or key-value
 * store.
 *
 * <p>Each interface covers one kind of state and states its <em>atomicity duty</em>: the one operation that must be
 * a single indivisible step in the store, because the security of the whole feature rests on it.
 * <ul>
 *   <li>{@link dev.twofactor.spi.CredentialStore#advanceLastUsedStep} — replay protection (compare-and-set);</li>
 *   <li>{@link dev.twofactor.spi.RecoveryCodeStore#markUsed} — single use of a recovery code;</li>
 *   <li>{@link dev.twofactor.spi.RecoveryCodeStore#replaceAll} — regeneration without a moment with both sets or
 *       none;</li>
 *   <li>{@link dev.twofactor.spi.BackoffStore#compareAndSet} — failure counting that loses no failure, per
 *       {@link dev.twofactor.spi.BackoffScope};</li>
 *   <li>{@link dev.twofactor.spi.AppPasswordStore#recordUse} — a revoked app password is never accepted;</li>
 *   <li>the gated accepts of {@link dev.twofactor.spi.TwoFactorStore} — a right input is accepted only while the
 *       backoff state its check read still holds, in the same indivisible step (SPEC §7).</li>
 * </ul>
 * Implementations must be safe for concurrent use by many threads and by several application nodes sharing the
 * store. The contract test kit (core's {@code test-jar}, package {@code dev.twofactor.spi.contract}) checks every
 * method and every duty, including under concurrency; run it against your implementation.
 *
 * <p>Times cross this SPI as {@link java.time.Instant}s that the service has already truncated to whole
 * milliseconds, so a store may keep them as epoch milliseconds and compare them exactly.
 */
package dev.twofactor.spi;
