package dev.twofactor;

import dev.twofactor.internal.Randomness;
import dev.twofactor.spi.AppPasswordRecord;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** App passwords (SPEC §10): create, list, revoke, verify, and their removal with the second factor. */
final class AppPasswordManager {

    static final int DIGITS = 20;
    private static final int MAX_NAME = 100;

    private final Context context;
    private final BackoffGate gate;

    AppPasswordManager(Context context, BackoffGate gate) {
        this.context = context;
        this.gate = gate;
    }

    Outcome<NewAppPassword> create(String userId, String name, Set<String> permissions) {
        Set<String> granted = Set.copyOf(permissions);
        for (String permission : granted) {
            if (permission.isBlank()) {
                throw new IllegalArgumentException("Permission strings must not be blank");
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
        Instant now = context.now();
        char[] digits = new char[DIGITS];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = (char) ('0' + Randomness.shared().nextInt(10));
        }
        String code = new String(digits);
        Arrays.fill(digits, '\0');
        AppPasswordRecord record =
                new AppPasswordRecord(Ids.newId(), userId, trimmed, granted, context.hasher.hash(code), now, null);
        context.appPasswords.insertAppPassword(record);
        if (!context.twoFactorEnabled(userId)) {
            // Disabled or unenrolled concurrently: its revocation of all app passwords may have run before the insert.
            context.appPasswords.deleteAppPassword(userId, record.id());
            return Outcome.rejected(Reason.NOT_ENABLED);
        }
        context.events.emit(TwoFactorEventType.APP_PASSWORD_CREATED, userId, now, Map.of("appPasswordId", record.id(),
                "appPassword", record.name(), "permissions", describePermissions(granted)));
        StringBuilder display = new StringBuilder(DIGITS + DIGITS / 4);
        for (int i = 0; i < code.length(); i += 4) {
            display.append(i == 0 ? "" : " ").append(code, i, i + 4);
        }
        return Outcome.success(new NewAppPassword(toAppPassword(record), display.toString()));
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
        if (!context.twoFactorEnabled(userId)) {
            // No second factor, so no app password may stand in for it; nothing is counted, as for an invented user.
            return Outcome.rejected(Reason.WRONG_APP_PASSWORD);
        }
        Instant now = context.now();
        BackoffState backoff = context.backoffs.findBackoff(userId, BackoffScope.APP_PASSWORD);
        Outcome<AppPasswordGrant> refused = BackoffGate.refusal(backoff, now);
        if (refused != null) {
            return refused;
        }
        List<AppPasswordRecord> records = context.appPasswords.findAppPasswords(userId);
        if (records.isEmpty()) {
            // Nothing to guess: counting would only let anyone who knows (or invents) a user id write backoff state.
            return Outcome.rejected(Reason.WRONG_APP_PASSWORD);
        }
        String digits = normalise(appPassword);
        if (digits == null) {
            return gate.fail(userId, backoff, now, Check.APP_PASSWORD, Reason.WRONG_APP_PASSWORD);
        }
        AppPasswordRecord matched = null;
        for (AppPasswordRecord record : records) {
            boolean hit = context.hasher.matches(digits, record.hash());
            if (hit && matched == null) {
                matched = record;
            }
        }
        if (matched == null) {
            return gate.fail(userId, backoff, now, Check.APP_PASSWORD, Reason.WRONG_APP_PASSWORD);
        }
        String id = matched.id();
        // Not recorded with the gate open: revoked concurrently, and revocation wins.
        Outcome<AppPasswordGrant> notUsed = gate.admit(userId, backoff, now, Check.APP_PASSWORD,
                g -> context.gated.recordUse(userId, id, now, g), Reason.WRONG_APP_PASSWORD, true);
        if (notUsed != null) {
            return notUsed;
        }
        context.events.emit(TwoFactorEventType.APP_PASSWORD_USED, userId, now,
                Map.of("appPasswordId", matched.id(), "appPassword", matched.name()));
        return Outcome.success(new AppPasswordGrant(userId, matched.id(), matched.name(), matched.permissions()));
    }

    /**
     * Removes all the user's app passwords (after their credential is gone) and reports each one as revoked. An app
     * password created concurrently is removed by {@link #create} itself, which checks the credential again after
     * storing it.
     */
    void revokeAll(String userId, Instant now) {
        List<AppPasswordRecord> revoked = context.appPasswords.findAppPasswords(userId);
        context.appPasswords.deleteAllAppPasswords(userId);
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
