package dev.twofactor.jdbc.internal;

import dev.twofactor.UserContext;
import dev.twofactor.spi.BackoffState;
import java.util.Objects;

/** The checks of the store's arguments, made before any SQL runs. */
public final class Arguments {

    private Arguments() {
    }

    /**
     * @param userId a user id
     * @return the id, if it is not null and at most {@link UserContext#MAX_USER_ID_LENGTH} characters long (the
     *         width of the tables' columns)
     * @throws IllegalArgumentException if it is longer
     */
    public static String checkUserId(String userId) {
        Objects.requireNonNull(userId, "userId");
        if (userId.length() > UserContext.MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("userId must have at most " + UserContext.MAX_USER_ID_LENGTH
                    + " characters");
        }
        return userId;
    }

    /**
     * @param gate the backoff state a gated call is conditional on
     * @return it, if not null
     */
    public static BackoffState requireGate(BackoffState gate) {
        return Objects.requireNonNull(gate, "gate");
    }
}
