package dev.twofactor;

import java.time.Instant;
import java.util.Objects;

/**
 * A freshly minted, unconfirmed authenticator secret, with what the user needs to add it to their app.
 * Show it once (QR code and the grouped secret for manual entry); it is discarded if not confirmed before
 * {@link #expiresAt()}.
 *
 * <p>{@link #toString()} never shows the secret.
 *
 * @param secret the secret; {@link TotpSecret#grouped()} is the manual-entry form
 * @param keyUri the {@code otpauth://} URI
 * @param qrCode the QR code of the URI
 * @param expiresAt when the pending enrolment expires
 */
public record Enrolment(TotpSecret secret, KeyUri keyUri, QrCode qrCode, Instant expiresAt) {

    /**
     * Validates.
     *
     * @param secret the secret; {@link TotpSecret#grouped()} is the manual-entry form
     * @param keyUri the {@code otpauth://} URI
     * @param qrCode the QR code of the URI
     * @param expiresAt when the pending enrolment expires
     */

    public Enrolment {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(keyUri, "keyUri");
        Objects.requireNonNull(qrCode, "qrCode");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "Enrolment[secret=redacted, expiresAt=" + expiresAt + "]";
    }
}
