package dev.twofactor;

import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.Credential;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.StoredRecoveryCode;
import dev.twofactor.spi.TrustedDeviceCheck;
import dev.twofactor.spi.TrustedDeviceRecord;
import dev.twofactor.spi.TrustedDeviceStore;
import dev.twofactor.spi.TwoFactorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A {@link TwoFactorStore} in this JVM's memory, for tests, demos and single-node applications: everything is lost
 * when the JVM stops, and it is not shared between application nodes.
 *
 * <p>Thread-safe. Each user's state of each kind is one immutable value in a {@link ConcurrentHashMap}, and every
 * conditional or multi-part change ({@code advanceLastUsedStep}, {@code activatePending}, {@code markUsed},
 * {@code replaceAll}, {@code consumeAndReplace}, {@code compareAndSet}, {@code recordUse}, ...) replaces that value
 * inside one {@link ConcurrentHashMap#compute} call (or, for {@code advanceLastUsedStep}, one
 * {@link ConcurrentHashMap#replace(Object, Object, Object)} of the value it read, retried if another change came
 * first), so it is a single atomic step: every atomicity duty of the SPI holds, and readers never see a half-done
 * change. A duplicate id (recovery code, app password) is refused with a
 * {@link StorageException}, as a database's unique key would be, and changes nothing. The gated accepts of
 * {@link TwoFactorStore} and every backoff change run under one lock, so an accept and the backoff state it depends
 * on form one atomic step; reads take no lock. Trusted devices ({@link TrustedDeviceStore}) are kept the same way and
 * removed with the rest of the second factor in {@code removeSecondFactor}.
 */
public final class InMemoryTwoFactorStore implements TwoFactorStore, TrustedDeviceStore {

    private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
    private final Map<String, List<CodeEntry>> recoveryCodes = new ConcurrentHashMap<>();
    private final InMemoryBackoffs backoffs = new InMemoryBackoffs();
    /**
     * Held by every change of a backoff state and by every gated accept, so that an accept and the state it is
     * conditional on form one atomic step (reads take no lock).
     */
    private final Object gateLock = new Object();
    private final Map<String, List<AppPasswordRecord>> appPasswords = new ConcurrentHashMap<>();
    private final AtomicReference<OrganisationPolicy> policy = new AtomicReference<>(OrganisationPolicy.NONE);
    private final Map<String, Instant> enrolmentRequired = new ConcurrentHashMap<>();
    private final InMemoryTrustedDevices devices = new InMemoryTrustedDevices();

    /** Creates an empty store. */
    public InMemoryTwoFactorStore() {
    }

    // ---------------------------------------------------------------- credentials

    @Override
    public Optional<Credential> findCredential(String userId) {
        return Optional.ofNullable(credentials.get(Objects.requireNonNull(userId, "userId")));
    }

    @Override
    public CredentialWithBackoff findCredentialWithBackoff(String userId) {
        Objects.requireNonNull(userId, "userId");
        return new CredentialWithBackoff(credentials.get(userId), findBackoff(userId, BackoffScope.SECOND_FACTOR));
    }

    @Override
    public void savePending(String userId, PendingEnrolment pending) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(pending, "pending");
        credentials.compute(userId, (id, current) -> current == null
                ? new Credential(id, null, Credential.NO_STEP, null, pending)
                : new Credential(id, current.secret(), current.lastUsedStep(), current.enabledAt(), pending));
    }

    @Override
    public boolean deletePending(String userId, String pendingId) {
        Objects.requireNonNull(pendingId, "pendingId");
        boolean[] done = {false};
        credentials.computeIfPresent(Objects.requireNonNull(userId, "userId"), (id, current) -> {
            if (!hasPending(current, pendingId)) {
                return current;
            }
            done[0] = true;
            return current.enabled()
                    ? new Credential(id, current.secret(), current.lastUsedStep(), current.enabledAt(), null)
                    : null;
        });
        return done[0];
    }

    @Override
    public boolean markPendingConfirmed(String userId, String pendingId, long step) {
        Objects.requireNonNull(pendingId, "pendingId");
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative");
        }
        boolean[] done = {false};
        credentials.computeIfPresent(Objects.requireNonNull(userId, "userId"), (id, current) -> {
            if (!hasPending(current, pendingId) || current.pending().confirmed()) {
                return current;
            }
            done[0] = true;
            PendingEnrolment p = current.pending();
            return new Credential(id, current.secret(), current.lastUsedStep(), current.enabledAt(),
                    new PendingEnrolment(p.id(), p.secret(), p.createdAt(), p.expiresAt(), step));
        });
        return done[0];
    }

    @Override
    public boolean activatePending(String userId, String pendingId, long step, Instant enabledAt) {
        Objects.requireNonNull(pendingId, "pendingId");
        Objects.requireNonNull(enabledAt, "enabledAt");
        boolean[] done = {false};
        credentials.computeIfPresent(Objects.requireNonNull(userId, "userId"), (id, current) -> {
            if (!hasPending(current, pendingId)) {
                return current;
            }
            done[0] = true;
            return new Credential(id, current.pending().secret(), step, enabledAt, null);
        });
        return done[0];
    }

    /** A compare-and-set of the whole value ({@link ConcurrentHashMap#replace(Object, Object, Object)}), retried. */
    @Override
    public boolean advanceLastUsedStep(String userId, long step) {
        Objects.requireNonNull(userId, "userId");
        while (true) {
            Credential current = credentials.get(userId);
            if (current == null || !current.enabled() || current.lastUsedStep() >= step) {
                return false;
            }
            Credential next = new Credential(userId, current.secret(), step, current.enabledAt(), current.pending());
            if (credentials.replace(userId, current, next)) {
                return true;
            }
        }
    }

    @Override
    public boolean deleteCredential(String userId) {
        return credentials.remove(Objects.requireNonNull(userId, "userId")) != null;
    }

    @Override
    public boolean replaceSecret(String userId, EncryptedSecret expected, EncryptedSecret replacement) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(replacement, "replacement");
        boolean[] done = {false};
        credentials.computeIfPresent(Objects.requireNonNull(userId, "userId"), (id, current) -> {
            if (!current.enabled() || !current.secret().equals(expected)) {
                return current;
            }
            done[0] = true;
            return new Credential(id, replacement, current.lastUsedStep(), current.enabledAt(), current.pending());
        });
        return done[0];
    }

    @Override
    public Set<String> findKeyIds() {
        Set<String> ids = new HashSet<>();
        for (Credential credential : credentials.values()) {
            if (credential.secret() != null) {
                ids.add(credential.secret().keyId());
            }
            if (credential.pending() != null) {
                ids.add(credential.pending().secret().keyId());
            }
        }
        return Set.copyOf(ids);
    }

    @Override
    public List<String> findUsersWithSecretNotSealedBy(String keyId, int limit) {
        Objects.requireNonNull(keyId, "keyId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<String> ids = new ArrayList<>();
        for (Credential credential : credentials.values()) {
            if (ids.size() == limit) {
                break;
            }
            if (credential.enabled() && !credential.secret().keyId().equals(keyId)) {
                ids.add(credential.userId());
            }
        }
        return ids;
    }

    private static boolean hasPending(Credential credential, String pendingId) {
        return credential.pending() != null && credential.pending().id().equals(pendingId);
    }

    // ---------------------------------------------------------------- recovery codes

    /** One stored recovery code and when it was used ({@code null} while unused). Immutable. */
    private record CodeEntry(StoredRecoveryCode code, Instant usedAt) {
    }

    @Override
    public void replaceAll(String userId, List<StoredRecoveryCode> codes) {
        Objects.requireNonNull(userId, "userId");
        List<CodeEntry> entries = entries(codes);
        recoveryCodes.put(userId, entries);
    }

    @Override
    public List<StoredRecoveryCode> findUnused(String userId) {
        List<CodeEntry> entries = recoveryCodes.getOrDefault(Objects.requireNonNull(userId, "userId"), List.of());
        List<StoredRecoveryCode> unused = new ArrayList<>(entries.size());
        for (CodeEntry entry : entries) {
            if (entry.usedAt() == null) {
                unused.add(entry.code());
            }
        }
        return List.copyOf(unused);
    }

    @Override
    public boolean markUsed(String userId, String codeId, Instant usedAt) {
        return consume(userId, codeId, usedAt, null);
    }

    @Override
    public boolean consumeAndReplace(String userId, String codeId, Instant usedAt,
                                     List<StoredRecoveryCode> replacement) {
        return consume(userId, codeId, usedAt, entries(replacement));
    }

    private boolean consume(String userId, String codeId, Instant usedAt, List<CodeEntry> replacement) {
        Objects.requireNonNull(codeId, "codeId");
        Objects.requireNonNull(usedAt, "usedAt");
        boolean[] done = {false};
        recoveryCodes.computeIfPresent(Objects.requireNonNull(userId, "userId"), (id, entries) -> {
            for (int i = 0; i < entries.size(); i++) {
                CodeEntry entry = entries.get(i);
                if (entry.code().id().equals(codeId) && entry.usedAt() == null) {
                    done[0] = true;
                    if (replacement != null) {
                        return replacement;
                    }
                    List<CodeEntry> next = new ArrayList<>(entries);
                    next.set(i, new CodeEntry(entry.code(), usedAt));
                    return List.copyOf(next);
                }
            }
            return entries;
        });
        return done[0];
    }

    @Override
    public int countUnused(String userId) {
        int count = 0;
        for (CodeEntry entry : recoveryCodes.getOrDefault(Objects.requireNonNull(userId, "userId"), List.of())) {
            if (entry.usedAt() == null) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void deleteAll(String userId) {
        recoveryCodes.remove(Objects.requireNonNull(userId, "userId"));
    }

    private static List<CodeEntry> entries(List<StoredRecoveryCode> codes) {
        Objects.requireNonNull(codes, "codes");
        Set<String> ids = new HashSet<>();
        List<CodeEntry> entries = new ArrayList<>(codes.size());
        for (StoredRecoveryCode code : codes) {
            if (!ids.add(code.id())) {
                throw new StorageException("Recovery code ids must be unique");
            }
            entries.add(new CodeEntry(code, null));
        }
        return List.copyOf(entries);
    }

    // ---------------------------------------------------------------- backoff

    @Override
    public BackoffState findBackoff(String userId, BackoffScope scope) {
        return backoffs.find(userId, scope);
    }

    @Override
    public boolean compareAndSet(String userId, BackoffScope scope, BackoffState expected, BackoffState next) {
        synchronized (gateLock) {
            return backoffs.compareAndSet(userId, scope, expected, next);
        }
    }

    @Override
    public void resetBackoff(String userId, BackoffScope scope) {
        synchronized (gateLock) {
            backoffs.reset(userId, scope);
        }
    }

    // ---------------------------------------------------------------- gated accepts (SPEC §7)

    /** Runs {@code accept} only if the user's state in {@code scope} still equals {@code gate}, atomically. */
    private boolean gated(String userId, BackoffScope scope, BackoffState gate, BooleanSupplier accept) {
        Objects.requireNonNull(gate, "gate");
        synchronized (gateLock) {
            return findBackoff(userId, scope).equals(gate) && accept.getAsBoolean();
        }
    }

    /** {@link #gated} written out, as every sign-in runs it: no lambda to allocate. */
    @Override
    public boolean advanceLastUsedStep(String userId, long step, BackoffState gate) {
        Objects.requireNonNull(gate, "gate");
        synchronized (gateLock) {
            return findBackoff(userId, BackoffScope.SECOND_FACTOR).equals(gate) && advanceLastUsedStep(userId, step);
        }
    }

    @Override
    public boolean activatePending(String userId, String pendingId, long step, Instant enabledAt, BackoffState gate) {
        return gated(userId, BackoffScope.SECOND_FACTOR, gate,
                () -> activatePending(userId, pendingId, step, enabledAt));
    }

    @Override
    public boolean markPendingConfirmed(String userId, String pendingId, long step, BackoffState gate) {
        return gated(userId, BackoffScope.SECOND_FACTOR, gate, () -> markPendingConfirmed(userId, pendingId, step));
    }

    @Override
    public boolean markUsed(String userId, String codeId, Instant usedAt, BackoffState gate) {
        return gated(userId, BackoffScope.SECOND_FACTOR, gate, () -> markUsed(userId, codeId, usedAt));
    }

    @Override
    public boolean consumeAndReplace(String userId, String codeId, Instant usedAt,
                                     List<StoredRecoveryCode> replacement, BackoffState gate) {
        return gated(userId, BackoffScope.SECOND_FACTOR, gate,
                () -> consumeAndReplace(userId, codeId, usedAt, replacement));
    }

    @Override
    public boolean recordUse(String userId, String id, Instant usedAt, BackoffState gate) {
        return gated(userId, BackoffScope.APP_PASSWORD, gate, () -> recordUse(userId, id, usedAt));
    }

    // ---------------------------------------------------------------- app passwords

    @Override
    public void insertAppPassword(AppPasswordRecord record) {
        Objects.requireNonNull(record, "record");
        // Kept oldest first (by creation time, ties in insertion order), the order findAppPasswords promises.
        appPasswords.compute(record.userId(), (id, current) -> InMemoryTrustedDevices.insertedOldestFirst(current,
                record, AppPasswordRecord::id, AppPasswordRecord::createdAt, "App password"));
    }

    @Override
    public List<AppPasswordRecord> findAppPasswords(String userId) {
        return appPasswords.getOrDefault(Objects.requireNonNull(userId, "userId"), List.of());
    }

    @Override
    public boolean deleteAppPassword(String userId, String id) {
        Objects.requireNonNull(id, "id");
        boolean[] done = {false};
        appPasswords.computeIfPresent(Objects.requireNonNull(userId, "userId"), (user, current) -> {
            List<AppPasswordRecord> next = new ArrayList<>(current);
            done[0] = next.removeIf(record -> record.id().equals(id));
            return next.isEmpty() ? null : List.copyOf(next);
        });
        return done[0];
    }

    @Override
    public boolean recordUse(String userId, String id, Instant usedAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(usedAt, "usedAt");
        boolean[] done = {false};
        appPasswords.computeIfPresent(Objects.requireNonNull(userId, "userId"), (user, current) -> {
            List<AppPasswordRecord> next = new ArrayList<>(current);
            for (int i = 0; i < next.size(); i++) {
                AppPasswordRecord r = next.get(i);
                if (r.id().equals(id)) {
                    done[0] = true;
                    next.set(i, r.withLastUsedAt(usedAt));
                    return List.copyOf(next);
                }
            }
            return current;
        });
        return done[0];
    }

    @Override
    public void deleteAllAppPasswords(String userId) {
        appPasswords.remove(Objects.requireNonNull(userId, "userId"));
    }

    /** The three removals under the store's lock, so no gated accept runs between them. */
    @Override
    public boolean removeSecondFactor(String userId) {
        Objects.requireNonNull(userId, "userId");
        synchronized (gateLock) {
            boolean had = credentials.remove(userId) != null;
            recoveryCodes.remove(userId);
            appPasswords.remove(userId);
            devices.deleteAll(userId);
            return had;
        }
    }

    // ---------------------------------------------------------------- trusted devices

    @Override
    public void insertTrustedDevice(TrustedDeviceRecord record) {
        devices.insert(record);
    }

    @Override
    public Optional<TrustedDeviceCheck> findTrustedDeviceForCheck(String userId, String deviceId) {
        return devices.find(userId, deviceId).map(device -> new TrustedDeviceCheck(device,
                findCredential(userId).map(Credential::enabled).orElse(false), findBackoff(userId)));
    }

    @Override
    public List<TrustedDeviceRecord> findTrustedDevices(String userId) {
        return devices.all(userId);
    }

    @Override
    public boolean recordTrustedDeviceUse(String userId, String deviceId, Instant usedAt) {
        return devices.recordUse(userId, deviceId, usedAt);
    }

    @Override
    public boolean deleteTrustedDevice(String userId, String deviceId) {
        return devices.delete(userId, deviceId);
    }

    @Override
    public int deleteAllTrustedDevices(String userId) {
        return devices.deleteAll(userId);
    }

    @Override
    public int deleteExpiredTrustedDevices(Instant expiredAt, int limit) {
        return devices.deleteExpired(expiredAt, limit);
    }

    // ---------------------------------------------------------------- policy

    @Override
    public OrganisationPolicy loadPolicy() {
        return policy.get();
    }

    @Override
    public boolean recordEnrolmentRequired(String userId, Instant at) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        return enrolmentRequired.putIfAbsent(userId, at) == null;
    }

    @Override
    public void savePolicy(OrganisationPolicy policy) {
        this.policy.set(Objects.requireNonNull(policy, "policy"));
    }

    @Override
    public String toString() {
        return "InMemoryTwoFactorStore[" + credentials.size() + " credentials]";
    }
}
