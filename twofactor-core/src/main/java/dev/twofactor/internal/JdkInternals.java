package dev.twofactor.internal;

import java.security.Provider;
import java.util.Locale;

/**
 * What every fast path into the JDK's crypto internals checks first, in one place: its kill-switch system property,
 * whether {@code java.base} opens the package it reaches into to twofactor, and whether a provider is the JDK's own
 * class (not merely one with the same name). Used by {@link JdkCompression} (HMAC and PBKDF2 from midstates,
 * {@code sun.security.provider}) and {@link JdkGcm} (the AES-GCM open, {@code com.sun.crypto.provider}).
 */
final class JdkInternals {

    private JdkInternals() {
    }

    /**
     * Reads a kill-switch property.
     *
     * @param property the system property
     * @return its value, {@code null} if unset, or {@code "unreadable"} (which turns the path off) if a security
     *         manager forbids reading it
     */
    static String readProperty(String property) {
        try {
            return System.getProperty(property);
        } catch (SecurityException e) {
            return "unreadable";
        }
    }

    /**
     * Returns why a kill switch turns its path off.
     *
     * @param property the system property
     * @param value    its value, {@code null} if unset
     * @return {@code null} for unset or {@code true} (ASCII case and surrounding spaces ignored); otherwise the
     *         reason, e.g. {@code "disabled by -Ddev.twofactor.midstates=false"}: any value but {@code true} turns
     *         the path off, so that a misspelt attempt to turn it off does not leave it on
     */
    static String switchReason(String property, String value) {
        if (value == null || value.strip().toLowerCase(Locale.ROOT).equals("true")) {
            return null;
        }
        return "disabled by -D" + property + "=" + value;
    }

    /**
     * Returns why twofactor cannot reach into a package of {@code java.base}: it is not open to twofactor's module.
     *
     * @param jdkPackage the package, such as {@code sun.security.provider}
     * @return the reason, naming the flag that opens it, or {@code null} if it is open
     */
    static String openReason(String jdkPackage) {
        Module self = JdkInternals.class.getModule();
        if (!Object.class.getModule().isOpen(jdkPackage, self)) {
            return self.isNamed()
                    ? "java.base does not open " + jdkPackage + " to " + self.getName()
                            + " (--add-opens java.base/" + jdkPackage + "=" + self.getName() + ")"
                    : "java.base does not open " + jdkPackage + " to twofactor on the class path (--add-opens "
                            + "java.base/" + jdkPackage + "=ALL-UNNAMED)";
        }
        return null;
    }

    /**
     * Returns whether a provider is the JDK's own provider of a class: by the class and its module, not the name,
     * since any provider may call itself "SUN" or "SunJCE".
     *
     * @param provider  the provider, may be {@code null}
     * @param className the JDK's provider class, such as {@code com.sun.crypto.provider.SunJCE}
     * @return whether it is that class of {@code java.base}
     */
    static boolean isJdkProvider(Provider provider, String className) {
        return provider != null && provider.getClass().getName().equals(className)
                && provider.getClass().getModule() == Object.class.getModule();
    }
}
