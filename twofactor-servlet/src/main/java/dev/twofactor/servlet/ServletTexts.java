package dev.twofactor.servlet;

import dev.twofactor.TwoFactorTexts;
import java.util.Locale;

/**
 * The texts the servlet adapter shows (JSON {@code "message"} values, its plain pages, the recovery-codes file),
 * all read from core's bundle ({@link TwoFactorTexts}) so that none is hard-coded here.
 *
 * <p>The adapter answers in the bundle's default language (English) whatever the request's
 * {@code Accept-Language}: it does no per-request locale negotiation (yet). A host that renders its own screens
 * reads the same keys with {@link TwoFactorTexts#get(TwoFactorTexts.Key, Locale)} in the locale it chooses.
 */
final class ServletTexts {

    /** The locale of every text the adapter writes: the bundle's base file, English. */
    static final Locale LOCALE = Locale.ROOT;

    private ServletTexts() {
    }

    /**
     * @param key a key of the bundle
     * @return its English text
     */
    static String text(TwoFactorTexts.Key key) {
        return TwoFactorTexts.get(key, LOCALE);
    }

    /**
     * @param key a key whose text is a pattern
     * @param arguments its arguments
     * @return the formatted English text
     */
    static String format(TwoFactorTexts.Key key, Object... arguments) {
        return TwoFactorTexts.format(key, LOCALE, arguments);
    }
}
