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
        POLICY_EVERYONE("policy.EVERYONE");

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
        MessageFormat format = new MessageFormat(get(Key.BACKOFF_WAIT, locale), locale);
        return format.format(new Object[] {seconds, Long.toString(seconds)});
    }
}
