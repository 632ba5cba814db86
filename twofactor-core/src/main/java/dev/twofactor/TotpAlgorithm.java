package dev.twofactor;

import java.util.Optional;

import dev.twofactor.internal.Ascii;
import dev.twofactor.internal.Hotp;

/**
 * The HMAC hash function of a TOTP key (RFC 6238 section 1.2).
 *
 * <p>{@link #SHA1} is the default and the only choice every authenticator app supports; HMAC-SHA-1 remains secure for
 * this use (the known SHA-1 collision attacks do not apply to HMAC). Choose {@link #SHA256} or {@link #SHA512} only
 * when all your users' apps are known to honour the {@code algorithm} parameter of the key URI; some apps silently
 * ignore it and then show codes that never verify.
 */
public enum TotpAlgorithm {
    /** HMAC-SHA-1: the default, supported by every authenticator app. */
    SHA1("HmacSHA1", "SHA1", Hotp.Hash.SHA1),
    /** HMAC-SHA-256. */
    SHA256("HmacSHA256", "SHA256", Hotp.Hash.SHA256),
    /** HMAC-SHA-512. */
    SHA512("HmacSHA512", "SHA512", Hotp.Hash.SHA512);

    private final String macName;
    private final String uriName;
    private final Hotp.Hash hash;

    TotpAlgorithm(String macName, String uriName, Hotp.Hash hash) {
        this.macName = macName;
        this.uriName = uriName;
        this.hash = hash;
    }

    /**
     * Returns the JCA name of the MAC, for use with {@code javax.crypto.Mac.getInstance}.
     *
     * @return {@code "HmacSHA1"}, {@code "HmacSHA256"} or {@code "HmacSHA512"}
     */
    public String macName() {
        return macName;
    }

    /**
     * Returns the name used in the {@code algorithm} parameter of a key URI.
     *
     * @return {@code "SHA1"}, {@code "SHA256"} or {@code "SHA512"}
     */
    public String uriName() {
        return uriName;
    }

    /**
     * Looks up an algorithm by its key URI name, ignoring ASCII case.
     *
     * <p>Only ASCII letters are folded: {@code String.equalsIgnoreCase} would also accept, for example, the Latin
     * long s ({@code "ſHA1"}), which no honest producer writes.
     *
     * @param name {@code "SHA1"}, {@code "SHA256"} or {@code "SHA512"} in any ASCII case
     * @return the algorithm
     * @throws IllegalArgumentException if the name is none of these; the message does not repeat the name, which
     *                                  may come from an untrusted URI
     * @throws NullPointerException     if {@code name} is {@code null}
     */
    public static TotpAlgorithm fromUriName(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        for (TotpAlgorithm algorithm : values()) {
            if (Ascii.equalsIgnoreCase(algorithm.uriName, name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unsupported algorithm: expected SHA1, SHA256 or SHA512");
    }

    /**
     * Returns whether verifying with this algorithm uses the fast HMAC path on the calling thread: the key's padded
     * blocks hashed once per {@link TotpSecret} (the HMAC "midstates", two block compressions when the secret is
     * first used), so that each HMAC takes two block compressions instead of four. Available for {@link #SHA1} and
     * {@link #SHA256} when all of these hold:
     * <ul>
     *   <li>the application opens the JDK's SHA implementation to twofactor:
     *       {@code --add-opens java.base/sun.security.provider=dev.twofactor} on the module path,
     *       {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} on the class path, or the manifest
     *       attribute {@code Add-Opens: java.base/sun.security.provider} of an executable jar;
     *   <li>the system property {@code dev.twofactor.midstates} is unset or {@code true}:
     *       {@code -Ddev.twofactor.midstates=false} (or any other value) turns the path off, whatever the flags; it
     *       is read once, when twofactor's HMAC classes load;
     *   <li>{@code MessageDigest.getInstance} returns the JDK's own {@code SUN} provider for the hash: a FIPS or any
     *       other provider configured before it is used as configured, never bypassed. This is checked whenever
     *       a thread's HMAC state is created, so install providers at start-up;
     *   <li>a known-answer check of the JDK's compression against {@code MessageDigest} passed (run once).
     * </ul>
     * Otherwise HMAC runs over the public {@code MessageDigest} API, and {@link #midstateUnavailableReason()} says
     * why; the reason is also logged once at INFO under the logger {@code dev.twofactor.midstates}. Codes and results
     * are the same on both paths; only the speed differs.
     *
     * @return whether this algorithm's HMAC starts from per-key midstates
     */
    public boolean midstateHmac() {
        return Hotp.usesMidstates(hash);
    }

    /**
     * Returns why {@link #midstateHmac()} is {@code false} on the calling thread, for an application's start-up log
     * or health page. The reasons are meant for a person, and their wording may change; among them:
     * {@code "disabled by -Ddev.twofactor.midstates=false"},
     * {@code "java.base does not open sun.security.provider to dev.twofactor (...)"},
     * {@code "provider SunPKCS11-NSS-FIPS is configured first for SHA-1"}, a failed known-answer check, and for
     * {@link #SHA512}, whose JDK state has 64-bit words, that it always runs over {@code MessageDigest}.
     *
     * @return the reason, or empty exactly when {@link #midstateHmac()} is {@code true}
     */
    public Optional<String> midstateUnavailableReason() {
        return Hotp.unavailableReason(hash);
    }

    Hotp.Hash hash() {
        return hash;
    }
}
