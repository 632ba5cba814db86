package dev.twofactor.jdbc.internal;

import dev.twofactor.jdbc.JdbcDialect;
import dev.twofactor.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs the store's statements: one connection per operation, taken from the data source and closed at the end, or,
 * inside {@link #onOneConnection}, the connection it holds for the calling thread; every {@link SQLException} becomes
 * a {@link StorageException} that keeps it as the cause (and so its SQLState).
 *
 * <p>A connection that arrives with auto-commit off is committed after the operation, so that a pool configured with
 * {@code autoCommit=false} works too. Transactions run at READ COMMITTED, and the connection's auto-commit and
 * isolation level are restored before it goes back to the pool.
 */
public final class Jdbc {

    /** How often a statement or transaction runs in all when the database picks it as a deadlock or serialisation
     * victim. */
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final JdbcDialect dialect;

    /** The connection {@link #onOneConnection} holds for this thread, or none; removed when it returns. */
    private final ThreadLocal<Connection> held = new ThreadLocal<>();

    /**
     * @param dataSource where connections come from
     * @param dialect the database, for its error codes
     */
    public Jdbc(DataSource dataSource, JdbcDialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        /**
         * @param statement the statement
         * @throws SQLException from the driver
         */
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Reads a whole result set. */
    @FunctionalInterface
    public interface Reader<T> {
        /**
         * @param rows the result, before its first row
         * @return what was read
         * @throws SQLException from the driver
         */
        T read(ResultSet rows) throws SQLException;
    }

    /** The body of a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param connection the connection, in a transaction; the body neither commits nor closes it
         * @return the result; the transaction is committed after the body returns
         * @throws SQLException from the driver; the transaction is rolled back
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs one query.
     *
     * @param failure the message of the {@link StorageException} on failure, e.g. "Could not read credential"
     * @return what the reader read
     */
    public <T> T query(String failure, String sql, Binder binder, Reader<T> reader) {
        return single(failure, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows);
                }
            }
        });
    }

    /**
     * Runs one data-changing statement.
     *
     * @param failure the message of the {@link StorageException} on failure
     * @return the update count
     */
    public int update(String failure, String sql, Binder binder) {
        return single(failure, connection -> update(connection, sql, binder));
    }

    /**
     * Runs one data-changing statement that may hit a unique key.
     *
     * @param failure the message of the {@link StorageException} on a failure other than a duplicate key
     * @return the update count, or -1 if the statement failed on a duplicate key (and changed nothing)
     */
    public int updateUnlessDuplicate(String failure, String sql, Binder binder) {
        return single(failure, connection -> {
            try {
                return update(connection, sql, binder);
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    return -1;
                }
                throw e;
            }
        });
    }

    /**
     * Runs {@code work} with one connection taken for it: every operation of this instance that {@code work} runs on
     * the calling thread uses that connection instead of taking its own, and each still commits (or runs its
     * transaction) as it would alone. The connection is closed when {@code work} returns or throws. Inside work that
     * already holds one, {@code work} simply joins it.
     *
     * @param failure the message of the {@link StorageException} if no connection could be taken
     * @return what {@code work} returned
     */
    public <T> T onOneConnection(String failure, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (held.get() != null) {
            return work.get();
        }
        try (Connection connection = dataSource.getConnection()) {
            held.set(connection);
            try {
                return work.get();
            } finally {
                held.remove();
            }
        } catch (SQLException e) {
            // Taking or closing the connection failed; a failure of work itself keeps any failed close suppressed.
            throw new StorageException(failure, e);
        }
    }

    /**
     * One statement on its own connection (or on the one {@link #onOneConnection} holds). In auto-commit mode the
     * statement commits itself; a connection handed out with auto-commit off is committed after it, or rolled back if
     * it failed. A statement the database rolled back as a deadlock victim is run again (MySQL and MariaDB pick one of
     * several inserts racing a delete of the same key), up to {@value #ATTEMPTS} times in all: it had no effect, so
     * running it again is safe.
     */
    private <T> T single(String failure, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runSingle(work);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isRetryable(e)) {
                    continue;
                }
                throw new StorageException(failure, e);
            }
        }
    }

    private <T> T runSingle(Work<T> work) throws SQLException {
        return onConnection(connection -> runSingle(connection, work));
    }

    /**
     * Runs {@code work} on the connection {@link #onOneConnection} holds for this thread, or on one taken for it and
     * closed after it.
     */
    private <T> T onConnection(Work<T> work) throws SQLException {
        Connection holding = held.get();
        if (holding != null) {
            return work.run(holding);
        }
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        }
    }

    private static <T> T runSingle(Connection connection, Work<T> work) throws SQLException {
        boolean manual = !connection.getAutoCommit();
        try {
            T result = work.run(connection);
            if (manual) {
                connection.commit();
            }
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            if (manual) {
                rollback(connection, e);
            }
            throw e;
        }
    }

    /**
     * Runs a statement on a connection the caller holds.
     *
     * @return the update count
     * @throws SQLException from the driver
     */
    public static int update(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        }
    }

    /**
     * Runs {@code work} in one transaction at READ COMMITTED: committed if it returns, rolled back if it throws.
     * A deadlock or serialisation failure runs it again, up to {@value #ATTEMPTS} times in all; the
     * body must be safe to repeat (it is: each attempt starts from the committed state).
     *
     * @param failure the message of the {@link StorageException} on failure
     * @return what the body returned
     */
    public <T> T transaction(String failure, Work<T> work) {
        return transaction(failure, work, result -> true);
    }

    /**
     * As {@link #transaction(String, Work)}, but rolls back instead of committing when {@code commitWhen} rejects the
     * body's result (a conditional step found nothing to do).
     *
     * @param failure the message of the {@link StorageException} on failure
     * @return what the body returned
     */
    public <T> T transaction(String failure, Work<T> work, Predicate<? super T> commitWhen) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runTransaction(work, commitWhen);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isRetryable(e)) {
                    continue;
                }
                throw new StorageException(failure, e);
            }
        }
    }

    private <T> T runTransaction(Work<T> work, Predicate<? super T> commitWhen) throws SQLException {
        return onConnection(connection -> runTransaction(connection, work, commitWhen));
    }

    private static <T> T runTransaction(Connection connection, Work<T> work, Predicate<? super T> commitWhen)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        Throwable failure = null;
        try {
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            T result = work.run(connection);
            if (commitWhen.test(result)) {
                connection.commit();
            } else {
                connection.rollback();
            }
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            rollback(connection, e);
            throw e;
        } finally {
            restore(connection, autoCommit, isolation, failure);
        }
    }

    /** Rolls back after a failure; a failing rollback (the connection died) is attached to the first failure. */
    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restore(Connection connection, boolean autoCommit, int isolation, Throwable failure)
            throws SQLException {
        try {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /**
     * @param e a failure
     * @return whether it is a unique-key violation (PostgreSQL and H2: SQLState 23505; MySQL: error 1062)
     */
    public boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                boolean duplicate = switch (dialect) {
                    case H2, POSTGRESQL -> "23505".equals(state);
                    case MYSQL -> "23000".equals(state) && sql.getErrorCode() == 1062;
                };
                if (duplicate) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deadlock victims and serialisation failures: SQLState 40001 everywhere, 40P01 for a PostgreSQL deadlock. */
    private static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }
}
