package dev.twofactor;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * Every user-facing text of twofactor in one place: the resource bundle {@value #BUNDLE} (English by default), with
 * stable keys ({@link Key}), so that a host renders the same texts and translates them. A translation is a file
 * {@code dev/twofactor/messages_<locale>.properties} (UTF-8) on the class path with the same keys; a key it lacks
 * falls back to English. The host's default locale plays no part: {@code get(key, Locale.GERMAN)} without a German
 * file gives English, whatever the JVM's locale. {@link Reason#message()} and the texts of {@link Outcome} come from
 * here.
 *
 * <pre>{@code
 * String badge = TwoFactorTexts.get(TwoFactorTexts.Key.STATE_ENABLED, request.getLocale());   // "Enabled"
 * String wait = TwoFactorTexts.waitText(limited.retryAfterSeconds(), locale);  // "... Try again in 2 seconds."
 * }</pre>
 */
public final class TwoFactorTexts {

    /** The bundle's base name. */
    public static final String BUNDLE = "dev.twofactor.messages";

    private static final ResourceBundle.Control NO_DEFAULT_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    /** The keys of the bundle, each with its English text in {@code messages.properties}. */
    public enum Key {
        /** "Not configured" (the badge of {@link TwoFactorState#NOT_CONFIGURED}). */
        STATE_NOT_CONFIGURED("state.NOT_CONFIGURED"),
        /** "Pending confirmation". */
        STATE_PENDING_CONFIRMATION("state.PENDING_CONFIRMATION"),
        /** "Enabled". */
        STATE_ENABLED("state.ENABLED"),
        /** "Enable". */
        ENROLMENT_ENABLE("enrolment.enable"),
        /** The green confirmation after the first enrolment. */
        ENROLMENT_ACTIVATED("enrolment.activated"),
        /** The organisation policy's "Set it up to continue" text (SPEC §8). */
        ENROLMENT_REQUIRED("enrolment.required"),
        /** "Save these recovery codes — shown ONCE". */
        RECOVERY_CODES_SAVE_ONCE("recoveryCodes.saveOnce"),
        /** "I have saved my recovery codes". */
        RECOVERY_CODES_ACKNOWLEDGE("recoveryCodes.acknowledge"),
        /** "Copy all codes". */
        RECOVERY_CODES_COPY_ALL("recoveryCodes.copyAll"),
        /** "Download". */
        RECOVERY_CODES_DOWNLOAD("recoveryCodes.download"),
        /** "Generate new recovery codes? Old codes will stop working immediately." */
        RECOVERY_CODES_REGENERATE_CONFIRM("recoveryCodes.regenerateConfirm"),
        /** "New recovery codes" (the title of the page that shows a replacement set). */
        RECOVERY_CODES_NEW_TITLE("recoveryCodes.newTitle"),
        /**
         * The first line of the downloaded recovery-codes file, a pattern of the account ({0}), the site ({1}) and
         * the date ({2}): use {@link #format}.
         */
        RECOVERY_CODES_FILE_HEADER("recoveryCodes.fileHeader"),
        /** The hint line of the downloaded recovery-codes file. */
        RECOVERY_CODES_FILE_HINT("recoveryCodes.fileHint"),
        /** "Verify and sign in". */
        CHALLENGE_VERIFY("challenge.verify"),
        /** "Lost your phone? Use a recovery code". */
        CHALLENGE_LOST_PHONE("challenge.lostPhone"),
        /** "Use recovery code". */
        CHALLENGE_USE_RECOVERY_CODE("challenge.useRecoveryCode"),
        /** "Can't use your mobile device?". */
        CHALLENGE_CANT_USE_DEVICE("challenge.cantUseDevice"),
        /** "Sign in as a different user". */
        CHALLENGE_SIGN_IN_AS_DIFFERENT_USER("challenge.signInAsDifferentUser"),
        /** "Enter a code from your authenticator app to finish signing in." */
        CHALLENGE_ENTER_CODE("challenge.enterCode"),
        /** "Your sign-in took too long. Sign in again." (the challenge's time to live ran out). */
        CHALLENGE_EXPIRED("challenge.expired"),
        /** "There is no sign-in waiting for a code. Sign in first." */
        CHALLENGE_NOT_PENDING("challenge.notPending"),
        /** The answer to a "Sign in as a different user" request that is no {@code POST}. */
        CHALLENGE_CANCEL_NEEDS_POST("challenge.cancelNeedsPost"),
        /** The refusal of a state-changing request from another site. */
        REQUEST_CROSS_SITE_REFUSED("request.crossSiteRefused"),
        /** The refusal of HTTP Basic with a password (two-factor authentication cannot protect it). */
        REQUEST_PASSWORD_BASIC_REFUSED("request.passwordBasicRefused"),
        /** "Sign in (with two-factor authentication) first." (administrator unenrol without a session). */
        ADMIN_NOT_SIGNED_IN("admin.notSignedIn"),
        /** "Only administrators can remove two-factor authentication." */
        ADMIN_FORBIDDEN("admin.forbidden"),
        /** "Both the user and the administrator's current code are required." */
        ADMIN_MISSING_INPUT("admin.missingInput"),
        /** "Sign in" (a link of a plain page). */
        LINK_SIGN_IN("link.signIn"),
        /** "Continue". */
        LINK_CONTINUE("link.continue"),
        /** "Try again". */
        LINK_TRY_AGAIN("link.tryAgain"),
        /** "Back". */
        LINK_BACK("link.back"),
        /** "Unlock settings". */
        STEP_UP_UNLOCK("stepUp.unlock"),
        /** "Confirm your password or an authenticator code to continue." */
        STEP_UP_REQUIRED("stepUp.required"),
        /** The 429 text, a pattern of the seconds: use {@link #waitText}. */
        BACKOFF_WAIT("backoff.wait"),
        /** The text of a locked second factor. */
        BACKOFF_LOCKED("backoff.locked"),
        /** "Not required" ({@link EnforcementLevel#NONE}). */
        POLICY_NONE("policy.NONE"),
        /** "Require MFA for admins". */
        POLICY_ADMINS("policy.ADMINS"),
        /** "Require MFA for everyone". */
        POLICY_EVERYONE("policy.EVERYONE"),
        /** The display name of a trusted device, a pattern of the browser {@code {0}} and the system {@code {1}}. */
        TRUSTED_DEVICE_NAME("trustedDevice.name"),
        /** The browser part of a trusted device's name when the user agent names none known. */
        TRUSTED_DEVICE_UNKNOWN_BROWSER("trustedDevice.unknownBrowser"),
        /** The system part of a trusted device's name when the user agent names none known. */
        TRUSTED_DEVICE_UNKNOWN_SYSTEM("trustedDevice.unknownSystem");

        private final String key;

        Key(String key) {
            this.key = key;
        }

        /**
         * @return the key in the bundle
         */
        public String key() {
            return key;
        }
    }

    private TwoFactorTexts() {
    }

    /**
     * @param key a key of the bundle
     * @param locale the reader's locale
     * @return the text, in that locale's bundle or else English
     */
    public static String get(Key key, Locale locale) {
        return get(Objects.requireNonNull(key, "key").key(), locale);
    }

    /**
     * @param key a key of the bundle, as in {@code messages.properties} (for example {@code "reason.WRONG_CODE"})
     * @param locale the reader's locale
     * @return the text
     * @throws MissingResourceException if no bundle has the key
     */
    public static String get(String key, Locale locale) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(locale, "locale");
        return ResourceBundle.getBundle(BUNDLE, locale, TwoFactorTexts.class.getClassLoader(), NO_DEFAULT_LOCALE)
                .getString(key);
    }

    /**
     * @param reason a reason
     * @param locale the reader's locale
     * @return the reason's text ({@code reason.<NAME>})
     */
    public static String reason(Reason reason, Locale locale) {
        return get("reason." + Objects.requireNonNull(reason, "reason").name(), locale);
    }

    /**
     * @param state a state
     * @param locale the reader's locale
     * @return the state's badge text
     */
    public static String state(TwoFactorState state, Locale locale) {
        return get("state." + Objects.requireNonNull(state, "state").name(), locale);
    }

    /**
     * @param seconds how long to wait, at least 0
     * @param locale the reader's locale
     * @return the 429 text with the right plural: "Too many failed attempts. Try again in 1 second." or "... in 2
     *         seconds."
     */
    public static String waitText(long seconds, Locale locale) {
        return format(Key.BACKOFF_WAIT, locale, seconds, Long.toString(seconds));
    }

    /**
     * The text of a key whose text is a {@link MessageFormat} pattern (its javadoc names the arguments).
     *
     * @param key a key whose text has arguments, such as {@link Key#RECOVERY_CODES_FILE_HEADER}
     * @param locale the reader's locale (also the locale of number formats in the pattern)
     * @param arguments the arguments, in the order of the pattern's {@code {0}}, {@code {1}}, ...
     * @return the formatted text
     */
    public static String format(Key key, Locale locale, Object... arguments) {
        return new MessageFormat(get(key, locale), locale).format(arguments);
    }
}
