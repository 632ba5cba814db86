package dev.twofactor;

import dev.twofactor.internal.Randomness;
import java.util.UUID;

/** Random record ids: version 4 UUIDs drawn from the one shared {@code SecureRandom}. */
final class Ids {

    private Ids() {
    }

    static String newId() {
        byte[] bytes = new byte[16];
        Randomness.shared().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(most, least).toString();
    }
}
