package dev.twofactor;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The configuration keys {@link TwoFactorService.Builder#properties} binds, in one place. Values are trimmed;
 * durations are ISO-8601 ({@code PT5M}, {@code P7D}); a malformed value or an unknown {@code twofactor.*} key is an
 * {@link IllegalArgumentException} naming the key, so a typo never passes silently.
 *
 * <pre>{@code
 * java -Dtwofactor.enforcement=EVERYONE -Dtwofactor.enforcement.gracePeriod=P7D \
 *      -Dtwofactor.backoff.toleratedFailures=3 ...
 * TwoFactorService.builder().properties(System.getProperties())...
 * }</pre>
 */
public final class ConfigurationProperties {

    /** Who must use two-factor authentication: {@code NONE}, {@code ADMINS} or {@code EVERYONE}. */
    public static final String ENFORCEMENT = "twofactor.enforcement";
    /** The grace period of the configured enforcement, an ISO-8601 duration; default {@code PT0S}. */
    public static final String GRACE_PERIOD = "twofactor.enforcement.gracePeriod";
    /** {@link BackoffPolicy#toleratedFailures()}, an integer of 0 or more. */
    public static final String TOLERATED_FAILURES = "twofactor.backoff.toleratedFailures";
    /** {@link BackoffPolicy#lockAfter()}, an integer. */
    public static final String LOCK_AFTER = "twofactor.backoff.lockAfter";
    /** The step-up window, an ISO-8601 duration; {@code PT0S} asks before every sensitive action. */
    public static final String STEP_UP_WINDOW = "twofactor.stepUpWindow";

    private static final String PREFIX = "twofactor.";
    private static final Set<String> KEYS = Set.of(ENFORCEMENT, GRACE_PERIOD, TOLERATED_FAILURES, LOCK_AFTER,
            STEP_UP_WINDOW);

    private ConfigurationProperties() {
    }

    static void apply(Properties properties, TwoFactorService.Builder builder) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown configuration key " + key + "; known keys: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        String level = value(properties, ENFORCEMENT);
        String grace = value(properties, GRACE_PERIOD);
        if (level != null) {
            EnforcementLevel parsed;
            try {
                parsed = EnforcementLevel.valueOf(level.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENFORCEMENT + " must be NONE, ADMINS or EVERYONE", e);
            }
            Duration period = grace == null ? Duration.ZERO : duration(GRACE_PERIOD, grace);
            builder.configuredPolicy = new OrganisationPolicy(parsed, period, java.time.Instant.EPOCH);
        } else if (grace != null) {
            throw new IllegalArgumentException(GRACE_PERIOD + " needs " + ENFORCEMENT);
        }
        String tolerated = value(properties, TOLERATED_FAILURES);
        String lockAfter = value(properties, LOCK_AFTER);
        if (tolerated != null || lockAfter != null) {
            BackoffPolicy.Builder backoff = builder.backoffPolicy.newBuilder();
            try {
                if (tolerated != null) {
                    backoff.toleratedFailures(integer(TOLERATED_FAILURES, tolerated));
                }
                if (lockAfter != null) {
                    backoff.lockAfter(integer(LOCK_AFTER, lockAfter));
                }
                builder.backoffPolicy(backoff.build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("Invalid backoff configuration (" + TOLERATED_FAILURES + ", "
                        + LOCK_AFTER + "): " + e.getMessage(), e);
            }
        }
        String window = value(properties, STEP_UP_WINDOW);
        if (window != null) {
            Duration parsed = duration(STEP_UP_WINDOW, window);
            try {
                builder.stepUpWindow(parsed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(STEP_UP_WINDOW + " must not be negative", e);
            }
        }
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Duration duration(String key, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT5M or P7D", e);
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer", e);
        }
    }
}
