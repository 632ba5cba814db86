package dev.twofactor;

import java.util.Objects;

import dev.twofactor.internal.Ascii;
import dev.twofactor.internal.PercentEncoding;

/**
 * An {@code otpauth://totp/} key URI in the Google Authenticator Key URI format: what the enrolment QR code
 * contains and what authenticator apps import.
 *
 * <p>Form written by {@link #toUriString()}:
 * <pre>
 * otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&amp;issuer=ISSUER[&amp;algorithm=SHA256][&amp;digits=8][&amp;period=60]
 * </pre>
 * The issuer appears both as the label prefix (for older apps) and as the {@code issuer} parameter (which newer apps
 * prefer). {@code algorithm}, {@code digits} and {@code period} are written only when they differ from the defaults
 * SHA1, 6 and 30, because some apps ignore them and others mishandle them when present.
 *
 * <p>Validation happens in the constructor, so every instance is writable and reads back equal:
 * {@code KeyUri.parse(uri.toUriString()).equals(uri)}. Issuer and account name are stripped of leading and trailing
 * whitespace (the format allows spaces before the account name, and nobody means them), must not be blank, must not
 * contain a colon (it separates them in the label, and apps split at the first one), control characters or unpaired
 * surrogates.
 *
 * <p>Immutable and thread-safe. {@link #toString()} is the record's, which shows the secret as
 * {@link TotpSecret#toString() redacted}; {@link #toUriString()} contains the secret and must be treated as one.
 *
 * @param issuer        the service name shown in the app, e.g. {@code "ACME Co"}
 * @param accountName   the user's name at that service, e.g. {@code "alice@example.com"}
 * @param secret        the shared secret
 * @param algorithm     the HMAC algorithm
 * @param digits        the code length, 6 to 8
 * @param periodSeconds the time step in seconds, at least 1
 */
public record KeyUri(String issuer, String accountName, TotpSecret secret, TotpAlgorithm algorithm, int digits,
                     int periodSeconds) {

    /** Longest text {@link #parse} accepts; far above what fits in a QR code that a phone can scan. */
    public static final int MAX_LENGTH = 4096;

    private static final String SCHEME = "otpauth://";
    private static final int DEFAULT_PERIOD_SECONDS = (int) Totp.DEFAULT_PERIOD.getSeconds();

    /**
     * Validates and normalises the components: issuer and account name are stripped of surrounding whitespace.
     *
     * @param issuer        the service name; not blank, no colon
     * @param accountName   the user's name at the service; not blank, no colon
     * @param secret        the shared secret
     * @param algorithm     the HMAC algorithm
     * @param digits        the code length, 6 to 8
     * @param periodSeconds the time step in seconds, at least 1
     * @throws IllegalArgumentException if a component is invalid; messages name the component, not its value
     * @throws NullPointerException     if a component is {@code null}
     */
    public KeyUri {
        issuer = checkName(issuer, "issuer", "Issuer");
        accountName = checkName(accountName, "accountName", "Account name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(algorithm, "algorithm");
        if (digits < Totp.MIN_DIGITS || digits > Totp.MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "Digits must be from " + Totp.MIN_DIGITS + " to " + Totp.MAX_DIGITS + ", got " + digits);
        }
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("Period must be at least 1 second, got " + periodSeconds);
        }
    }

    /**
     * Creates a key URI with the default settings: SHA1, 6 digits, 30 seconds.
     *
     * @param issuer      the service name
     * @param accountName the user's name at the service
     * @param secret      the secret
     * @return the key URI
     * @throws IllegalArgumentException if issuer or account name is blank or contains a colon
     */
    public static KeyUri of(String issuer, String accountName, TotpSecret secret) {
        return new KeyUri(issuer, accountName, secret, Totp.DEFAULT_ALGORITHM, Totp.DEFAULT_DIGITS,
                DEFAULT_PERIOD_SECONDS);
    }

    /**
     * Creates a key URI with the algorithm, digits and period of an engine, so that the app generates exactly the
     * codes the engine verifies.
     *
     * @param issuer      the service name
     * @param accountName the user's name at the service
     * @param secret      the secret
     * @param totp        the engine whose settings to use
     * @return the key URI
     * @throws IllegalArgumentException if issuer or account name is blank or contains a colon
     */
    public static KeyUri of(String issuer, String accountName, TotpSecret secret, Totp totp) {
        Objects.requireNonNull(totp, "totp");
        return new KeyUri(issuer, accountName, secret, totp.algorithm(), totp.digits(),
                Math.toIntExact(totp.period().getSeconds()));
    }

    /**
     * Writes the URI. Issuer and account name are percent-encoded as UTF-8 per RFC 3986: everything but
     * {@code A-Z a-z 0-9 - . _ ~} is escaped, a space as {@code %20} (never {@code +}).
     *
     * @return e.g. {@code "otpauth://totp/ACME%20Co:alice%40example.com?secret=JBSW...&issuer=ACME%20Co"}; it contains
     *         the secret, so do not log it
     */
    public String toUriString() {
        String encodedIssuer = PercentEncoding.encode(issuer);
        StringBuilder uri = new StringBuilder(128)
                .append(SCHEME).append("totp/")
                .append(encodedIssuer).append(':').append(PercentEncoding.encode(accountName))
                .append("?secret=").append(secret.base32())
                .append("&issuer=").append(encodedIssuer);
        if (algorithm != Totp.DEFAULT_ALGORITHM) {
            uri.append("&algorithm=").append(algorithm.uriName());
        }
        if (digits != Totp.DEFAULT_DIGITS) {
            uri.append("&digits=").append(digits);
        }
        if (periodSeconds != DEFAULT_PERIOD_SECONDS) {
            uri.append("&period=").append(periodSeconds);
        }
        return uri.toString();
    }

    /**
     * Reads a key URI in the format {@link #toUriString()} writes, and the common variations of it.
     *
     * <ul>
     *     <li>The scheme and the type {@code totp} are matched ignoring ASCII case; other types such as {@code hotp}
     *     are rejected.</li>
     *     <li>The label is {@code ISSUER:ACCOUNT} or just {@code ACCOUNT}; the issuer comes from the {@code issuer}
     *     parameter or else the label prefix, and when both are present they must agree. Spaces after the colon
     *     are ignored.</li>
     *     <li>Percent-escapes are decoded as UTF-8 in the label and in parameter values. A {@code +} is a literal
     *     plus sign, as RFC 3986 says, not a space: URIs from libraries that form-encode spaces as {@code +} will
     *     show a {@code +}, which is visible and harmless, whereas guessing would misread a real plus sign.</li>
     *     <li>{@code secret} is required Base32 (case, spaces and padding tolerated, as in
     *     {@link TotpSecret#fromBase32}); {@code algorithm} is SHA1, SHA256 or SHA512 in any case; {@code digits}
     *     is 6 to 8 and {@code period} at least 1, in plain ASCII digits. Parameter names are matched ignoring
     *     ASCII case; unknown parameters (such as {@code image}) are ignored; a repeated known parameter is
     *     rejected, as is a fragment.</li>
     * </ul>
     *
     * @param uri the URI text
     * @return the key URI
     * @throws IllegalArgumentException if the text is not a valid TOTP key URI; the message says what is wrong and
     *                                  never contains the URI or the secret
     * @throws NullPointerException     if {@code uri} is {@code null}
     */
    public static KeyUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Key URI is too long: at most " + MAX_LENGTH + " characters");
        }
        if (uri.length() < SCHEME.length()
                || !Ascii.equalsIgnoreCase(uri.substring(0, SCHEME.length()), SCHEME)) {
            throw new IllegalArgumentException("Key URI must start with otpauth://");
        }
        if (uri.indexOf('#') >= 0) {
            throw new IllegalArgumentException("Key URI must not have a fragment ('#')");
        }
        int slash = uri.indexOf('/', SCHEME.length());
        if (slash < 0) {
            throw new IllegalArgumentException("Key URI has no label: expected /ISSUER:ACCOUNT after the type");
        }
        if (!Ascii.equalsIgnoreCase(uri.substring(SCHEME.length(), slash), "totp")) {
            throw new IllegalArgumentException("Key URI type must be totp; other types such as hotp are not supported");
        }
        int question = uri.indexOf('?', slash + 1);
        String label = decode(question < 0 ? uri.substring(slash + 1) : uri.substring(slash + 1, question), "label");
        Parameters parameters = Parameters.parse(question < 0 ? "" : uri.substring(question + 1));

        int colon = label.indexOf(':');
        String labelIssuer = colon < 0 ? null : label.substring(0, colon);
        String accountName = colon < 0 ? label : label.substring(colon + 1);
        String issuer;
        if (parameters.issuer != null) {
            if (labelIssuer != null && !labelIssuer.strip().equals(parameters.issuer.strip())) {
                throw new IllegalArgumentException(
                        "Key URI issuer in the label disagrees with the issuer parameter");
            }
            issuer = parameters.issuer;
        } else if (labelIssuer != null) {
            issuer = labelIssuer;
        } else {
            throw new IllegalArgumentException(
                    "Key URI names no issuer: expected an ISSUER: label prefix or an issuer parameter");
        }

        if (parameters.secret == null || parameters.secret.isEmpty()) {
            throw new IllegalArgumentException("Key URI has no secret parameter");
        }
        TotpSecret secret;
        try {
            secret = TotpSecret.fromBase32(parameters.secret);
        } catch (IllegalArgumentException e) {
            // TotpSecret's messages never contain the text, so they are safe to pass on.
            throw new IllegalArgumentException("Key URI secret is invalid: " + e.getMessage(), e);
        }
        TotpAlgorithm algorithm = parameters.algorithm == null
                ? Totp.DEFAULT_ALGORITHM
                : TotpAlgorithm.fromUriName(parameters.algorithm);
        int digits = parameters.digits == null ? Totp.DEFAULT_DIGITS : number(parameters.digits, "digits");
        int period = parameters.period == null ? DEFAULT_PERIOD_SECONDS : number(parameters.period, "period");
        return new KeyUri(issuer, accountName, secret, algorithm, digits, period);
    }

    private static int number(String text, String name) {
        int value = Ascii.parseNonNegativeInt(text);
        if (value < 0) {
            throw new IllegalArgumentException(
                    "Key URI " + name + " must be a plain decimal number no larger than " + Integer.MAX_VALUE);
        }
        return value;
    }

    private static String decode(String text, String part) {
        try {
            return PercentEncoding.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key URI " + part + " is invalid: " + e.getMessage(), e);
        }
    }

    private static String checkName(String value, String component, String what) {
        Objects.requireNonNull(value, component);
        String stripped = value.strip();
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c == ':') {
                throw new IllegalArgumentException(what + " must not contain a colon");
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " must not contain control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < stripped.length()
                    && Character.isLowSurrogate(stripped.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " must not contain unpaired surrogates");
            }
        }
        return stripped;
    }

    /** The query parameters twofactor knows, percent-decoded; {@code null} when absent. */
    private static final class Parameters {
        private String secret;
        private String issuer;
        private String algorithm;
        private String digits;
        private String period;

        static Parameters parse(String query) {
            Parameters parameters = new Parameters();
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = lowerCase(equals < 0 ? pair : pair.substring(0, equals));
                String raw = equals < 0 ? "" : pair.substring(equals + 1);
                switch (name) {
                    case "secret" -> parameters.secret = once(parameters.secret, decode(raw, "secret"), name);
                    case "issuer" -> parameters.issuer = once(parameters.issuer, decode(raw, "issuer"), name);
                    case "algorithm" -> parameters.algorithm =
                            once(parameters.algorithm, decode(raw, "algorithm"), name);
                    case "digits" -> parameters.digits = once(parameters.digits, decode(raw, "digits"), name);
                    case "period" -> parameters.period = once(parameters.period, decode(raw, "period"), name);
                    default -> {
                        // Unknown parameters (image, counter, vendor extensions) do not affect the codes.
                    }
                }
            }
            return parameters;
        }

        private static String once(String previous, String value, String name) {
            if (previous != null) {
                throw new IllegalArgumentException("Key URI has the " + name + " parameter more than once");
            }
            return value;
        }

        private static String lowerCase(String text) {
            char[] chars = text.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                chars[i] = Ascii.toLowerCase(chars[i]);
            }
            return new String(chars);
        }
    }
}
