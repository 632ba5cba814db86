package dev.twofactor.servlet;

import dev.twofactor.RecoveryCodes;
import dev.twofactor.TwoFactorTexts;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * "Download" for a freshly issued set of recovery codes: a {@code text/plain} attachment whose first line names the
 * account, the site and the date, then the codes one per line.
 *
 * <pre>
 * Recovery codes for alice@example.com at ACME, generated 2030-01-01 00:00 UTC
 * Each code can be used once, instead of a code from your authenticator app. Keep them somewhere safe.
 *
 * K7PD-3MXA
 * ...
 * </pre>
 *
 * The codes exist only in the response that issued them (they are stored hashed, and never kept in the session), so
 * write the download in that response, for example when the host's "regenerate" or "confirm" handler is asked for
 * {@code text/plain}, or let the page offer the codes it shows as a file itself. Sent with
 * {@code Cache-Control: no-store}. Stateless and thread-safe.
 */
public final class RecoveryCodesDownload {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private RecoveryCodesDownload() {
    }

    /**
     * @param codes the codes just issued
     * @param site the site's name, as in the authenticator app (the service's issuer)
     * @param accountName the account, as in the authenticator app
     * @param issuedAt when the codes were issued (the service's clock)
     * @return the file's text: the dated header line, a hint, a blank line, the codes, each line ending in
     *         {@code \n}; control characters in the names are replaced by spaces
     */
    public static String text(RecoveryCodes codes, String site, String accountName, Instant issuedAt) {
        Objects.requireNonNull(codes, "codes");
        StringBuilder text = new StringBuilder(64 + codes.codes().size() * 11)
                .append(ServletTexts.format(TwoFactorTexts.Key.RECOVERY_CODES_FILE_HEADER, printable(accountName),
                        printable(site), DATE.format(Objects.requireNonNull(issuedAt, "issuedAt")))).append('\n')
                .append(ServletTexts.text(TwoFactorTexts.Key.RECOVERY_CODES_FILE_HINT)).append("\n\n");
        for (String code : codes.codes()) {
            text.append(code).append('\n');
        }
        return text.toString();
    }

    /**
     * Writes {@link #text} as a download: 200, {@code text/plain; charset=UTF-8},
     * {@code Content-Disposition: attachment; filename="<site>-recovery-codes.txt"} (the site's name reduced to
     * letters, digits, dots and dashes), {@code Cache-Control: no-store}.
     *
     * @param response the response, not yet committed
     * @param codes the codes just issued
     * @param site the site's name
     * @param accountName the account
     * @param issuedAt when the codes were issued
     * @throws IOException if the response cannot be written
     */
    public static void write(HttpServletResponse response, RecoveryCodes codes, String site, String accountName,
                             Instant issuedAt) throws IOException {
        byte[] body = text(codes, site, accountName, issuedAt).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName(site) + "\"");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * {@code <site>-recovery-codes.txt} with the site's name reduced to {@code [A-Za-z0-9.-]} (runs of anything else
     * become one dash; no leading or trailing dot or dash), at most 40 characters of it.
     */
    static String fileName(String site) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < site.length() && name.length() < 40; i++) {
            char c = site.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.';
            if (plain) {
                name.append(c);
            } else if (name.length() > 0 && name.charAt(name.length() - 1) != '-') {
                name.append('-');
            }
        }
        int start = 0;
        int end = name.length();
        while (start < end && (name.charAt(start) == '.' || name.charAt(start) == '-')) {
            start++;
        }
        while (end > start && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == '-')) {
            end--;
        }
        String plain = name.substring(start, end);
        return plain.isEmpty() ? "recovery-codes.txt" : plain + "-recovery-codes.txt";
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Objects.requireNonNull(text).length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }
}
