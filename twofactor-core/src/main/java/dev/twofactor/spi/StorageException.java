package dev.twofactor.spi;

import java.sql.SQLException;

/**
 * The store failed (connection lost, constraint violated, timeout): the operation did not happen, or did not happen
 * completely and was rolled back. Never carries a secret, code or password in its message.
 *
 * <p>When the cause is a {@link SQLException}, its SQLState and vendor code are kept and exposed.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final int vendorCode;

    /**
     * @param message what was being done, e.g. {@code "Could not consume recovery code"}; no secrets
     * @param cause the underlying failure, possibly a {@link SQLException}
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
        if (cause instanceof SQLException sql) {
            this.sqlState = sql.getSQLState();
            this.vendorCode = sql.getErrorCode();
        } else {
            this.sqlState = null;
            this.vendorCode = 0;
        }
    }

    /**
     * @param message what went wrong; no secrets
     */
    public StorageException(String message) {
        this(message, null);
    }

    /**
     * @return the SQLState of the underlying {@link SQLException}, or {@code null} if the cause was not one
     */
    public String sqlState() {
        return sqlState;
    }

    /**
     * @return the vendor error code of the underlying {@link SQLException}, or 0
     */
    public int vendorCode() {
        return vendorCode;
    }
}
