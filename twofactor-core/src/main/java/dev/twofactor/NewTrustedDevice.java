package dev.twofactor;

import java.util.Objects;

/**
 * A device just remembered ({@link TrustedDevices#remember}), with its token: the only time the token exists
 * outside the user's browser. Put it in the device cookie and drop it; the store keeps only a hash.
 * {@link #toString()} leaves the token out.
 *
 * @param device the device as listed
 * @param token the device token, {@value TrustedDevices#TOKEN_LENGTH} characters of {@code [0-9a-f-]}, a dot and
 *              unpadded base64url ({@code <deviceId>.<secret>}): the cookie value
 */
public record NewTrustedDevice(TrustedDevice device, String token) {

    /**
     * Validates.
     *
     * @param device the device as listed
     * @param token the device token
     */
    public NewTrustedDevice {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "NewTrustedDevice[" + device + ", token=redacted]";
    }
}
