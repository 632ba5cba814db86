package dev.twofactor;

import dev.twofactor.internal.ConstantTime;
import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TwoFactorStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusted devices ("remember this device"): after a passed challenge a user's browser may be remembered, so that
 * the next sign-in on it needs only the password, until the device expires (default 30 days) or is revoked. Reached
 * through {@link TwoFactorService#trustedDevices()}; off unless
 * {@link TwoFactorService.Builder#trustedDevices(boolean)} turned it on. The trade-off a host accepts by turning it
 * on: whoever holds the device cookie and the password signs in without the second factor.
 *
 * <p><b>The token.</b> {@code <deviceId>.<secret>}: the device's random id (a UUID) and 256 random bits from
 * {@code SecureRandom} in unpadded base64url, {@value #TOKEN_LENGTH} characters in all. It is returned once, by
 * {@link #remember}; the store keeps only the SHA-256 hash of the secret. A fast hash is enough, and the right
 * choice, for a secret of 256 random bits: nobody can search that space, so a slow hash (as passwords need) would
 * only slow every sign-in down. The id makes a verification one lookup by primary key; the hash is then compared
 * in constant time ({@code ConstantTime}).
 *
 * <p><b>Recognition.</b> {@link #recognise} answers only "recognised" or "not recognised": a malformed or
 * megabyte-long token, another user's token, an unknown, expired or revoked device, and a user whose second factor
 * is disabled, locked or in a running backoff are all simply not recognised. Nothing counts toward the backoff,
 * nothing is thrown, and nothing is logged except one DEBUG line without the token. A trusted device never bypasses
 * a lock: the lock and backoff are read in the same store read as the device (one {@code SELECT} on JDBC). Nothing
 * is cached, so a revoked or expired device is refused at once on every node.
 *
 * <p><b>Revocation.</b> The user revokes one device or all; all of a user's devices are revoked when they disable
 * two-factor authentication (either way), when a new authenticator app is confirmed (as soon as its code matched;
 * not when the change is only started: until then the old app still works), when recovery codes are regenerated
 * (before the new set is stored; unless
 * {@link TwoFactorService.Builder#regeneratingRecoveryCodesRevokesTrustedDevices(boolean)} turned it off), when an
 * administrator unenrols them (in the same atomic store step as the rest of the second factor, with one store), and
 * when the host reports a password change ({@link #passwordChanged}). Revocation works whether or not the feature
 * is on, as long as there is a store, so turning it off and on again brings no revoked device back.
 *
 * <p><b>Expiry.</b> A device is refused from its expiry on; its record stays in the store until
 * {@link #purgeExpired} (a scheduled job of the host) removes it.
 *
 * <p>Events: {@link TwoFactorEventType#DEVICE_TRUSTED}, {@link TwoFactorEventType#TRUSTED_DEVICE_USED},
 * {@link TwoFactorEventType#TRUSTED_DEVICE_REVOKED}; never with the token or its hash. Thread-safe.
 */
public final class TrustedDevices {

    /** The lifetime of a remembered device unless the builder sets another: 30 days. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

    /** The length of a device token: a 36-character id, a dot and 43 characters of base64url. */
    public static final int TOKEN_LENGTH = 80;

    /** A recognised device's last use is written only when the recorded one is older than this (or missing). */
    static final Duration LAST_USED_GRANULARITY = Duration.ofHours(1);

    /** The most devices one store call of {@link #purgeExpired()} removes. */
    static final int PURGE_BATCH = 1000;

    /** How long an accepted authenticator code stays good as the proof {@link #remember} asks for. */
    static final Duration PROOF_MAX_AGE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(TrustedDevices.class);
    private static final int ID_LENGTH = 36;
    private static final int SECRET_BYTES = 32;

    private final Context context;

    TrustedDevices(Context context) {
        this.context = context;
    }

    /**
     * @return whether devices may be remembered and recognised ({@link TwoFactorService.Builder#trustedDevices})
     */
    public boolean enabled() {
        return context.trustedDevicesEnabled;
    }

    /**
     * @return how long a remembered device is recognised
     */
    public Duration lifetime() {
        return context.trustedDeviceLifetime;
    }

    /**
     * Remembers the user's device after a passed challenge and returns its token, once. The proof is the successful
     * outcome of {@link TwoFactorService#verifyCode} or {@link TwoFactorService#redeemRecoveryCode} (an accepted
     * authenticator code must be at most 10 minutes old); it guards against a host remembering a device without a
     * challenge by mistake, and is no defence against a host that forges one. The proof must be for {@code userId};
     * it does not name its user, so that is the caller's duty. Two-factor authentication must be enabled and the
     * second factor neither locked nor in a backoff. Should it be disabled concurrently, the device is removed again.
     *
     * @param userId the user who just passed the challenge
     * @param passedChallenge the {@link Outcome.Success} of {@code verifyCode} or {@code redeemRecoveryCode}
     * @param userAgent the request's {@code User-Agent} header, or {@code null}; only a short display name derived
     *                  from it is stored ("Chrome on Linux")
     * @return the device with its token (put it in the device cookie; it cannot be read again);
     *         {@link Reason#TRUSTED_DEVICE_CHALLENGE_REQUIRED} for a stale code, {@link Reason#NOT_ENABLED};
     *         rate-limited; locked
     * @throws IllegalStateException if trusted devices are off
     * @throws IllegalArgumentException if {@code passedChallenge} is not such a success
     */
    public Outcome<NewTrustedDevice> remember(String userId, Outcome<?> passedChallenge, String userAgent) {
        Context.user(userId);
        Objects.requireNonNull(passedChallenge, "passedChallenge");
        if (!enabled()) {
            throw new IllegalStateException("Trusted devices are off: turn them on with Builder.trustedDevices(true)");
        }
        if (!(passedChallenge instanceof Outcome.Success<?> success)
                || !(success.value() instanceof CodeAccepted || success.value() instanceof RecoveryCodeAccepted)) {
            throw new IllegalArgumentException("A device can be remembered only with the successful outcome of "
                    + "verifyCode or redeemRecoveryCode");
        }
        Instant now = context.now();
        if (success.value() instanceof CodeAccepted accepted && !recent(accepted, now)) {
            return Outcome.rejected(Reason.TRUSTED_DEVICE_CHALLENGE_REQUIRED);
        }
        CredentialWithBackoff read = context.readForCheck(userId);
        if (read.credential() == null || !read.credential().enabled()) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        Outcome<NewTrustedDevice> refused = BackoffGate.refusal(read.backoff(), now);
        if (refused != null) {
            return refused;
        }
        byte[] secret = new byte[SECRET_BYTES];
        Randomness.shared().nextBytes(secret);
        String id = Ids.newId();
        String token = id + '.' + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = now.plus(context.trustedDeviceLifetime).truncatedTo(ChronoUnit.MILLIS);
        TrustedDeviceRecord record = new TrustedDeviceRecord(id, userId, DeviceNames.of(userAgent),
                Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(secret)), now, null, expiresAt);
        java.util.Arrays.fill(secret, (byte) 0);
        context.trustedDevices.insertTrustedDevice(record);
        if (!context.twoFactorEnabled(userId)) {
            // Disabled meanwhile (the removal may have run before the insert): no device outlives the factor.
            context.trustedDevices.deleteTrustedDevice(userId, id);
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        context.events.emit(TwoFactorEventType.DEVICE_TRUSTED, userId, now,
                Map.of("deviceId", id, "device", record.name(), "expiresAt", expiresAt.toString()));
        return Outcome.success(new NewTrustedDevice(toDevice(record), token));
    }

    /**
     * Whether the token from the device cookie is a valid, unexpired, unrevoked device of this user, whose two-factor
     * authentication is enabled and neither locked nor in a backoff. Costs one store read (one statement on JDBC),
     * plus a write at most once an hour per device to record its last use. Never throws for bad input (a
     * {@code null}, malformed or overlong token is just not recognised), counts nothing toward the backoff and logs
     * at most a DEBUG line without the token. Always {@code false}-like (empty) while trusted devices are off.
     *
     * @param userId the user whose password the host just accepted
     * @param token the cookie's value, or {@code null}
     * @return the recognised device, or empty
     * @throws IllegalArgumentException only for a malformed user id (as everywhere in the service), never for the
     *                                  token
     */
    public Optional<TrustedDevice> recognise(String userId, CharSequence token) {
        Context.user(userId);
        if (!enabled() || token == null || token.length() != TOKEN_LENGTH || token.charAt(ID_LENGTH) != '.') {
            return notRecognised(userId, "malformed token or feature off");
        }
        String id = token.subSequence(0, ID_LENGTH).toString();
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(token.subSequence(ID_LENGTH + 1, TOKEN_LENGTH).toString()
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return notRecognised(userId, "malformed token");
        }
        if (secret.length != SECRET_BYTES || !id.chars().allMatch(c -> c == '-' || c >= '0' && c <= '9'
                || c >= 'a' && c <= 'f')) {
            return notRecognised(userId, "malformed token");
        }
        Instant now = context.now();
        TrustedDeviceCheck check = context.trustedDevices.findTrustedDeviceForCheck(userId, id).orElse(null);
        if (check == null || !check.device().userId().equals(userId)) {
            return notRecognised(userId, "no such device");
        }
        TrustedDeviceRecord device = check.device();
        byte[] stored;
        try {
            stored = Base64.getUrlDecoder().decode(device.tokenHash());
        } catch (IllegalArgumentException e) {
            return notRecognised(userId, "unreadable stored hash");
        }
        boolean matches = ConstantTime.equals(sha256(secret), stored);
        if (!matches || device.isExpired(now)) {
            return notRecognised(userId, matches ? "expired device" : "wrong token");
        }
        boolean open;
        if (context.trustedDevices == context.combined) {
            BackoffState backoff = check.backoff();
            open = check.secondFactorEnabled() && !backoff.locked() && !backoff.blockedUntil().isAfter(now);
        } else {
            // Devices kept apart from credentials and backoffs: what the device store says of them is not trusted
            // (it may hold none); their state is read from where it lives.
            CredentialWithBackoff read = context.readForCheck(userId);
            open = read.credential() != null && read.credential().enabled() && !read.backoff().locked()
                    && !read.backoff().blockedUntil().isAfter(now);
        }
        if (!open) {
            return notRecognised(userId, "second factor disabled, locked or in a backoff");
        }
        if (device.lastUsedAt() == null || !device.lastUsedAt().plus(LAST_USED_GRANULARITY).isAfter(now)) {
            if (!context.trustedDevices.recordTrustedDeviceUse(userId, id, now)) {
                return notRecognised(userId, "revoked meanwhile");
            }
            device = device.withLastUsedAt(now);
        }
        context.events.emit(TwoFactorEventType.TRUSTED_DEVICE_USED, userId, now, Map.of("deviceId", id));
        return Optional.of(toDevice(device));
    }

    /**
     * @param userId the user
     * @return the user's unexpired trusted devices (never their tokens), oldest first; empty without a store
     */
    public List<TrustedDevice> list(String userId) {
        Context.user(userId);
        if (context.trustedDevices == null) {
            return List.of();
        }
        Instant now = context.now();
        List<TrustedDevice> list = new ArrayList<>();
        for (TrustedDeviceRecord record : context.trustedDevices.findTrustedDevices(userId)) {
            if (!record.isExpired(now)) {
                list.add(toDevice(record));
            }
        }
        return List.copyOf(list);
    }

    /**
     * Revokes one of the user's devices; it is refused at once everywhere.
     *
     * @param userId the user
     * @param deviceId the device's id (from {@link #list})
     * @return the revoked device, or {@link Reason#TRUSTED_DEVICE_NOT_FOUND} (also for another user's device)
     */
    public Outcome<TrustedDevice> revoke(String userId, String deviceId) {
        Context.user(userId);
        Objects.requireNonNull(deviceId, "deviceId");
        if (context.trustedDevices == null) {
            return Outcome.rejected(Reason.TRUSTED_DEVICE_NOT_FOUND);
        }
        TrustedDeviceRecord found = null;
        for (TrustedDeviceRecord record : context.trustedDevices.findTrustedDevices(userId)) {
            if (record.id().equals(deviceId)) {
                found = record;
            }
        }
        if (found == null || !context.trustedDevices.deleteTrustedDevice(userId, deviceId)) {
            return Outcome.rejected(Reason.TRUSTED_DEVICE_NOT_FOUND);
        }
        emitRevoked(userId, List.of(found), context.now(), "USER");
        return Outcome.success(toDevice(found));
    }

    /**
     * Revokes all the user's devices ("sign out everywhere else" for remembered devices).
     *
     * @param userId the user
     * @return how many were revoked
     */
    public int revokeAll(String userId) {
        return revokeAll(Context.user(userId), "ALL_BY_USER");
    }

    /**
     * The host reports that the user's password changed (or was reset): all their trusted devices are revoked, since
     * a device stands in for the second factor only together with the password it was remembered with. Call it
     * after the new password is stored.
     *
     * @param userId the user
     * @return how many devices were revoked
     */
    public int passwordChanged(String userId) {
        return revokeAll(Context.user(userId), "PASSWORD_CHANGED");
    }

    /**
     * Purges the devices of every user that have expired by now (their expiry at or before the service clock's
     * instant). Expired devices are refused and not listed from their expiry on, but stay in the store until purged:
     * call this from a scheduled job (daily is plenty), on one node or several at once. Works whether or not trusted
     * devices are on. It removes up to 1,000 devices per store call (on JDBC one {@code DELETE} in its own
     * transaction, found through the index on the expiry), and calls again as long as a call removed that many, so a
     * large backlog never holds locks for long. Unexpired devices are untouched. No event is emitted (nothing is
     * revoked: the devices had already stopped working); one log line gives the count and the instant.
     *
     * @return how many devices were removed; 0 without a device store
     * @throws UnsupportedOperationException if the device store does not implement
     *                                       {@link dev.twofactor.spi.TrustedDeviceStore#deleteExpiredTrustedDevices}
     */
    public int purgeExpired() {
        if (context.trustedDevices == null) {
            return 0;
        }
        Instant now = context.now();
        int total = 0;
        int removed;
        do {
            removed = context.trustedDevices.deleteExpiredTrustedDevices(now, PURGE_BATCH);
            total += removed;
        } while (removed >= PURGE_BATCH);
        if (total > 0) {
            LOG.info("Purged {} expired trusted devices (expired at or before {})", total, now);
        } else {
            LOG.debug("No expired trusted devices to purge (expired at or before {})", now);
        }
        return total;
    }

    /** Revokes all the user's devices, one event each; nothing without a store. */
    int revokeAll(String userId, String cause) {
        if (context.trustedDevices == null) {
            return 0;
        }
        List<TrustedDeviceRecord> revoked = context.trustedDevices.findTrustedDevices(userId);
        int count = context.trustedDevices.deleteAllTrustedDevices(userId);
        emitRevoked(userId, revoked, context.now(), cause);
        return count;
    }

    /**
     * Runs the removal of the user's second factor ({@code removal}) and reports their devices as revoked. With one
     * store that also holds the devices, its {@link TwoFactorStore#removeSecondFactor} removes them in the same
     * atomic step; with a separate device store they are removed right after.
     */
    void removingSecondFactor(String userId, Instant now, String cause, Runnable removal) {
        List<TrustedDeviceRecord> revoked = context.trustedDevices == null ? List.of()
                : context.trustedDevices.findTrustedDevices(userId);
        removal.run();
        if (context.trustedDevices != null && context.trustedDevices != context.whole) {
            context.trustedDevices.deleteAllTrustedDevices(userId);
        }
        emitRevoked(userId, revoked, now, cause);
    }

    private void emitRevoked(String userId, List<TrustedDeviceRecord> revoked, Instant now, String cause) {
        for (TrustedDeviceRecord record : revoked) {
            context.events.emit(TwoFactorEventType.TRUSTED_DEVICE_REVOKED, userId, now,
                    Map.of("deviceId", record.id(), "device", record.name(), "cause", cause));
        }
    }

    private boolean recent(CodeAccepted accepted, Instant now) {
        long current = context.totp.timeStep(now);
        long maxSteps = PROOF_MAX_AGE.toSeconds() / Math.max(1, context.totp.period().toSeconds());
        return accepted.timeStep() <= current + context.totp.window()
                && accepted.timeStep() >= current - maxSteps - context.totp.window();
    }

    private static Optional<TrustedDevice> notRecognised(String userId, String why) {
        LOG.debug("Device token not recognised for user {}: {}", userId, why);
        return Optional.empty();
    }

    private static TrustedDevice toDevice(TrustedDeviceRecord record) {
        return new TrustedDevice(record.id(), record.name(), record.createdAt(), record.lastUsedAt(),
                record.expiresAt());
    }

    private static byte[] sha256(byte[] secret) {
        return DigestUtils.sha256(secret);
    }
}
