package dev.twofactor;

import dev.twofactor.spi.StorageException;
import dev.twofactor.spi.TrustedDeviceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The trusted devices of {@link InMemoryTwoFactorStore}: each user's devices are one immutable list in a
 * {@link ConcurrentHashMap}, replaced inside one {@code compute} call, so every change is one atomic step and a
 * removal is seen by every read that starts after it.
 */
final class InMemoryTrustedDevices {

    private final Map<String, List<TrustedDeviceRecord>> devices = new ConcurrentHashMap<>();

    void insert(TrustedDeviceRecord record) {
        Objects.requireNonNull(record, "record");
        // Oldest first (by creation time, ties in insertion order), the order findTrustedDevices promises.
        devices.compute(record.userId(), (user, current) -> insertedOldestFirst(current, record,
                TrustedDeviceRecord::id, TrustedDeviceRecord::createdAt, "Trusted device"));
    }

    /**
     * {@code current} (oldest first, or {@code null}) with {@code record} added in creation order, ties in insertion
     * order; a duplicate id is refused as a unique key would refuse it. For the in-memory store's per-user lists.
     */
    static <T> List<T> insertedOldestFirst(List<T> current, T record, Function<T, String> id,
                                           Function<T, Instant> createdAt, String what) {
        List<T> next = new ArrayList<>(current == null ? List.of() : current);
        if (next.stream().anyMatch(existing -> id.apply(existing).equals(id.apply(record)))) {
            throw new StorageException(what + " id already exists");
        }
        int position = next.size();
        while (position > 0 && createdAt.apply(next.get(position - 1)).isAfter(createdAt.apply(record))) {
            position--;
        }
        next.add(position, record);
        return List.copyOf(next);
    }

    Optional<TrustedDeviceRecord> find(String userId, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return all(userId).stream().filter(record -> record.id().equals(deviceId)).findFirst();
    }

    List<TrustedDeviceRecord> all(String userId) {
        return devices.getOrDefault(Objects.requireNonNull(userId, "userId"), List.of());
    }

    boolean recordUse(String userId, String deviceId, Instant usedAt) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(usedAt, "usedAt");
        boolean[] done = {false};
        devices.computeIfPresent(Objects.requireNonNull(userId, "userId"), (user, current) -> {
            List<TrustedDeviceRecord> next = new ArrayList<>(current);
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).id().equals(deviceId)) {
                    done[0] = true;
                    next.set(i, next.get(i).withLastUsedAt(usedAt));
                    return List.copyOf(next);
                }
            }
            return current;
        });
        return done[0];
    }

    boolean delete(String userId, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        boolean[] done = {false};
        devices.computeIfPresent(Objects.requireNonNull(userId, "userId"), (user, current) -> {
            List<TrustedDeviceRecord> next = new ArrayList<>(current);
            done[0] = next.removeIf(record -> record.id().equals(deviceId));
            return next.isEmpty() ? null : List.copyOf(next);
        });
        return done[0];
    }

    int deleteAll(String userId) {
        List<TrustedDeviceRecord> removed = devices.remove(Objects.requireNonNull(userId, "userId"));
        return removed == null ? 0 : removed.size();
    }

    /**
     * Removes up to {@code limit} devices expired at {@code expiredAt}, user by user, each user's list in one atomic
     * {@code compute}. It looks at every user's devices: the in-memory store has no index on the expiry.
     */
    int deleteExpired(Instant expiredAt, int limit) {
        Objects.requireNonNull(expiredAt, "expiredAt");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        int[] removed = {0};
        for (String userId : devices.keySet()) {
            if (removed[0] == limit) {
                break;
            }
            devices.computeIfPresent(userId, (user, current) -> {
                List<TrustedDeviceRecord> kept = new ArrayList<>(current.size());
                for (TrustedDeviceRecord record : current) {
                    if (removed[0] < limit && record.isExpired(expiredAt)) {
                        removed[0]++;
                    } else {
                        kept.add(record);
                    }
                }
                return kept.size() == current.size() ? current : kept.isEmpty() ? null : List.copyOf(kept);
            });
        }
        return removed[0];
    }
}
