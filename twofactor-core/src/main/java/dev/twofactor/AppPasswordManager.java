package dev.twofactor;

import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * App passwords (SPEC §10): create, list, revoke, verify, and their removal with the second factor.
 *
 * <p>Verification tells nobody which accounts have app passwords (issue 11, finding 6): a malformed or unknown user
 * id, a user without two-factor authentication or without app passwords, one with app passwords and a wrong guess,
 * and one whose app-password backoff is running all make the same reads, compute exactly one slow hash (the
 * {@linkplain #dummyHash() dummy} when no record is a candidate) and get the same answer,
 * {@link Reason#WRONG_APP_PASSWORD}. The candidate is chosen by a lookup tag derived from the input, unique among
 * the user's app passwords, so the cost does not grow with their number; the number is capped per user.
 */
final class AppPasswordManager {

    static final int DIGITS = 20;
    private static final int MAX_NAME = 100;
    private static final int TAG_ATTEMPTS = 8;

    private final Context context;
    private final BackoffGate gate;
    private volatile String dummyHash;

    AppPasswordManager(Context context, BackoffGate gate) {
        this.context = context;
        this.gate = gate;
    }

    Outcome<NewAppPassword> create(String userId, String name, AppPasswordScope scope) {
        // Stored as today: an empty set is full access, which only FULL can now produce.
        Set<String> granted = scope.permissions();
        if (scope instanceof AppPasswordScope.Limited) {
            if (granted.isEmpty()) {
                return Outcome.rejected(Reason.APP_PASSWORD_NO_PERMISSIONS);
            }
            if (!context.appPasswordPermissions.containsAll(granted)) {
                return Outcome.rejected(Reason.APP_PASSWORD_UNKNOWN_PERMISSION);
            }
        }
        String trimmed = name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            return Outcome.rejected(Reason.APP_PASSWORD_NAME_INVALID);
        }
        if (!context.twoFactorEnabled(userId)) {
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        for (int attempt = 0; attempt < TAG_ATTEMPTS; attempt++) {
            List<AppPasswordRecord> existing = context.appPasswords.findAppPasswords(userId);
            if (existing.size() >= context.maxAppPasswordsPerUser) {
                return Outcome.rejected(Reason.APP_PASSWORD_LIMIT_REACHED);
            }
            String code = newCode(tags(existing));
            Instant now = context.now();
            AppPasswordRecord record = new AppPasswordRecord(Ids.newId(), userId, trimmed, granted,
                    context.hasher.hash(code), now, null, lookupTag(code));
            context.appPasswords.insertAppPassword(record);
            // Checked again after the insert: a concurrent disable, a concurrent creation past the cap, or one that
            // drew the same tag. Then this one is removed again (concurrent creators may both give way: safe).
            List<AppPasswordRecord> after = context.appPasswords.findAppPasswords(userId);
            boolean tagTaken = after.stream().anyMatch(other -> !other.id().equals(record.id())
                    && record.lookupTag().equals(other.lookupTag()));
            if (!context.twoFactorEnabled(userId) || after.size() > context.maxAppPasswordsPerUser || tagTaken) {
                context.appPasswords.deleteAppPassword(userId, record.id());
                if (!context.twoFactorEnabled(userId)) {
                    return Outcome.rejected(Reason.NOT_ENABLED);
                }
                if (!tagTaken) {
                    return Outcome.rejected(Reason.APP_PASSWORD_LIMIT_REACHED);
                }
                continue;
            }
            context.events.emit(TwoFactorEventType.APP_PASSWORD_CREATED, userId, now, Map.of("appPasswordId",
                    record.id(), "appPassword", record.name(), "permissions", describePermissions(granted)));
            StringBuilder display = new StringBuilder(DIGITS + DIGITS / 4);
            for (int i = 0; i < code.length(); i += 4) {
                display.append(i == 0 ? "" : " ").append(code, i, i + 4);
            }
            return Outcome.success(new NewAppPassword(toAppPassword(record), display.toString()));
        }
        throw new IllegalStateException("Could not draw an app password with a free lookup tag");
    }

    List<AppPassword> list(String userId) {
        List<AppPassword> list = new ArrayList<>();
        for (AppPasswordRecord record : context.appPasswords.findAppPasswords(userId)) {
            list.add(toAppPassword(record));
        }
        return List.copyOf(list);
    }

    Outcome<AppPassword> revoke(String userId, String appPasswordId) {
        AppPasswordRecord found = null;
        for (AppPasswordRecord record : context.appPasswords.findAppPasswords(userId)) {
            if (record.id().equals(appPasswordId)) {
                found = record;
            }
        }
        if (found == null || !context.appPasswords.deleteAppPassword(userId, appPasswordId)) {
            return Outcome.rejected(Reason.APP_PASSWORD_NOT_FOUND);
        }
        context.events.emit(TwoFactorEventType.APP_PASSWORD_REVOKED, userId, context.now(),
                Map.of("appPasswordId", found.id(), "appPassword", found.name()));
        return Outcome.success(toAppPassword(found));
    }

    Outcome<AppPasswordGrant> verify(String userId, CharSequence appPassword) {
        String digits = normalise(appPassword);
        if (!UserContext.isValidUserId(userId)) {
            hashOnce(digits, List.of()); // as long as any other attempt, and no store work
            return wrong();
        }
        Instant now = context.now();
        boolean enabled = context.twoFactorEnabled(userId);
        BackoffState backoff = context.backoffs.findBackoff(userId, BackoffScope.APP_PASSWORD);
        List<AppPasswordRecord> records = context.appPasswords.findAppPasswords(userId);
        boolean open = BackoffGate.refusal(backoff, now) == null;
        List<AppPasswordRecord> candidates = enabled && open && digits != null ? candidates(records, digits)
                : List.of();
        AppPasswordRecord matched = hashOnce(digits, candidates);
        if (!enabled || !open || records.isEmpty()) {
            // Without an enabled second factor no app password may stand in for it; without app passwords there is
            // nothing to guess (counting would let anyone write state for invented ids); a closed gate is answered
            // as a wrong password, so that the backoff does not tell which accounts have app passwords either.
            return wrong();
        }
        if (matched == null) {
            return asWrong(gate.fail(userId, backoff, now, Check.APP_PASSWORD, Reason.WRONG_APP_PASSWORD));
        }
        String id = matched.id();
        // Not recorded with the gate open: revoked concurrently, and revocation wins.
        Outcome<AppPasswordGrant> notUsed = gate.admit(userId, backoff, now, Check.APP_PASSWORD,
                g -> context.gated.recordUse(userId, id, now, g), Reason.WRONG_APP_PASSWORD, true);
        if (notUsed != null) {
            return asWrong(notUsed);
        }
        context.events.emit(TwoFactorEventType.APP_PASSWORD_USED, userId, now,
                Map.of("appPasswordId", matched.id(), "appPassword", matched.name()));
        return Outcome.success(new AppPasswordGrant(userId, matched.id(), matched.name(), matched.permissions()));
    }

    /**
     * Checks the input against each candidate (one, unless records without a tag remain from an older version), or
     * against the dummy hash when there is none, so that every attempt costs at least one slow hash.
     */
    private AppPasswordRecord hashOnce(String digits, List<AppPasswordRecord> candidates) {
        if (candidates.isEmpty()) {
            context.hasher.matches(digits != null ? digits : "0".repeat(DIGITS), dummyHash());
            return null;
        }
        AppPasswordRecord matched = null;
        for (AppPasswordRecord record : candidates) {
            boolean hit = context.hasher.matches(digits, record.hash());
            if (hit && matched == null) {
                matched = record;
            }
        }
        return matched;
    }

    private static List<AppPasswordRecord> candidates(List<AppPasswordRecord> records, String digits) {
        String tag = lookupTag(digits);
        List<AppPasswordRecord> candidates = new ArrayList<>(1);
        for (AppPasswordRecord record : records) {
            if (record.lookupTag() == null || record.lookupTag().equals(tag)) {
                candidates.add(record);
            }
        }
        return candidates;
    }

    /** A hash of a random code made with the configured hasher, once: what an attempt without a candidate checks. */
    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = context.hasher.hash(newCode(Set.of()));
            dummyHash = hash;
        }
        return hash;
    }

    /**
     * The lookup tag of a code: the first 3 hex digits of a SHA-256 of it (12 of the code's 66 bits, so a reader of
     * the table still faces 2^54 slow hashes per record).
     */
    static String lookupTag(String digits) {
        return DigestUtils.sha256Hex("twofactor app password tag:" + digits).substring(0, 3);
    }

    private static Set<String> tags(List<AppPasswordRecord> records) {
        Set<String> tags = new HashSet<>();
        for (AppPasswordRecord record : records) {
            if (record.lookupTag() != null) {
                tags.add(record.lookupTag());
            }
        }
        return tags;
    }

    /** A random 20-digit code whose tag none of {@code taken} has. */
    private static String newCode(Set<String> taken) {
        char[] digits = new char[DIGITS];
        while (true) {
            for (int i = 0; i < digits.length; i++) {
                digits[i] = (char) ('0' + Randomness.shared().nextInt(10));
            }
            String code = new String(digits);
            if (!taken.contains(lookupTag(code))) {
                Arrays.fill(digits, '\0');
                return code;
            }
        }
    }

    private static <T> Outcome<T> wrong() {
        return Outcome.rejected(Reason.WRONG_APP_PASSWORD);
    }

    /** A closed gate (rate-limited, locked) is answered as a wrong app password; rejections stay as they are. */
    private static <T> Outcome<T> asWrong(Outcome<T> failure) {
        return failure instanceof Outcome.Rejected<T> ? failure : wrong();
    }

    /**
     * Removes the user's second factor (credential, recovery codes, app passwords) and reports each app password as
     * revoked. With one {@link dev.twofactor.spi.TwoFactorStore} the removal is its atomic
     * {@code removeSecondFactor}; with separate stores it is three calls in this order, not atomic (a failure part-way
     * leaves the later parts, unusable without a credential). The app passwords are read before the removal. One
     * created concurrently is removed by {@link #create} itself, which checks the credential again after storing it.
     */
    void removeSecondFactor(String userId, Instant now) {
        List<AppPasswordRecord> revoked = context.appPasswords.findAppPasswords(userId);
        if (context.whole != null) {
            context.whole.removeSecondFactor(userId);
        } else {
            context.credentials.deleteCredential(userId);
            context.recoveryCodes.deleteAll(userId);
            context.appPasswords.deleteAllAppPasswords(userId);
        }
        for (AppPasswordRecord record : revoked) {
            context.events.emit(TwoFactorEventType.APP_PASSWORD_REVOKED, userId, now,
                    Map.of("appPasswordId", record.id(), "appPassword", record.name()));
        }
    }

    private static String normalise(CharSequence input) {
        if (input == null || input.length() > 2 * DIGITS + 8) {
            return null;
        }
        StringBuilder digits = new StringBuilder(DIGITS);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c < '0' || c > '9' || digits.length() == DIGITS) {
                return null;
            }
            digits.append(c);
        }
        return digits.length() == DIGITS ? digits.toString() : null;
    }

    private static AppPassword toAppPassword(AppPasswordRecord record) {
        return new AppPassword(record.id(), record.name(), record.permissions(), record.createdAt(),
                record.lastUsedAt());
    }

    private static String describePermissions(Set<String> permissions) {
        return permissions.isEmpty() ? "full access" : String.join(",", new TreeSet<>(permissions));
    }
}
