package dev.twofactor;

import java.util.Locale;

/**
 * The display name of a trusted device, from the browser's {@code User-Agent} header: "Chrome on Linux". Only a
 * short list of well-known browser and system names can come out, so whatever a client sends, the name is short
 * and free of control characters (the header itself is never stored).
 */
final class DeviceNames {

    /** Only the start of a header is looked at: a megabyte-long one costs no more than this. */
    private static final int MAX_EXAMINED = 512;

    private DeviceNames() {
    }

    static String of(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), MAX_EXAMINED));
        return TwoFactorTexts.format(TwoFactorTexts.Key.TRUSTED_DEVICE_NAME, Locale.ROOT, browser(ua), system(ua));
    }

    private static String browser(String ua) {
        if (ua.contains("Edg/") || ua.contains("Edge/")) {
            return "Edge";
        }
        if (ua.contains("OPR/") || ua.contains("Opera")) {
            return "Opera";
        }
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
            return "Firefox";
        }
        if (ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/")) {
            return "Chrome";
        }
        if (ua.contains("Safari/")) {
            return "Safari";
        }
        return TwoFactorTexts.get(TwoFactorTexts.Key.TRUSTED_DEVICE_UNKNOWN_BROWSER, Locale.ROOT);
    }

    private static String system(String ua) {
        if (ua.contains("Android")) {
            return "Android";
        }
        if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")) {
            return "iOS";
        }
        if (ua.contains("CrOS")) {
            return "ChromeOS";
        }
        if (ua.contains("Windows")) {
            return "Windows";
        }
        if (ua.contains("Mac OS X") || ua.contains("Macintosh")) {
            return "macOS";
        }
        if (ua.contains("Linux") || ua.contains("X11")) {
            return "Linux";
        }
        return TwoFactorTexts.get(TwoFactorTexts.Key.TRUSTED_DEVICE_UNKNOWN_SYSTEM, Locale.ROOT);
    }
}
