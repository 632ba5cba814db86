package dev.twofactor.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper for tests: it counts the statements executed through it (one per {@code execute*}
 * call; a batch counts once, as it is one round trip), tracks that every connection and statement is closed, records
 * the state a connection is handed back in, and can make a connection die at a chosen call.
 *
 * <p>A death aborts the physical connection (so the database rolls back its open transaction, as when a network
 * link or a server process dies) and throws an {@link SQLException} with SQLState {@value #CONNECTION_FAILURE}.
 */
final class InstrumentedDataSource implements DataSource {

    /** SQLState of the injected failure: "connection failure". */
    static final String CONNECTION_FAILURE = "08006";

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    /** One call on a connection or statement, as the fault predicate sees it. */
    record Call(String method, String sql, int addBatchCount) {
    }

    /** The state of a connection when it was closed. */
    record Returned(boolean autoCommit, int isolation) {
    }

    private final DataSource target;
    private final List<String> executed = new ArrayList<>();
    private final List<Returned> returned = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger openStatements = new AtomicInteger();
    private volatile Predicate<Call> deathAt = call -> false;
    private volatile Predicate<Call> errorAt = call -> false;
    private volatile String errorState;
    private volatile Integer initialIsolation;

    InstrumentedDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * @param predicate the call at which the connection dies; checked before the call reaches the driver
     * @return this
     */
    InstrumentedDataSource dieAt(Predicate<Call> predicate) {
        this.deathAt = predicate;
        return this;
    }

    /**
     * @param predicate the calls that fail with {@code sqlState}, the connection staying usable (as when the database
     *                  picks a transaction as a deadlock victim)
     * @param sqlState the SQLState of the failure
     * @return this
     */
    InstrumentedDataSource failAt(Predicate<Call> predicate, String sqlState) {
        this.errorState = sqlState;
        this.errorAt = predicate;
        return this;
    }

    /**
     * @param isolation the isolation level every connection is set to when handed out
     * @return this
     */
    InstrumentedDataSource handOutWithIsolation(int isolation) {
        this.initialIsolation = isolation;
        return this;
    }

    synchronized List<String> executed() {
        return List.copyOf(executed);
    }

    synchronized int executions() {
        return executed.size();
    }

    synchronized void reset() {
        executed.clear();
        returned.clear();
    }

    synchronized List<Returned> returned() {
        return List.copyOf(returned);
    }

    int openConnections() {
        return openConnections.get();
    }

    int openStatements() {
        return openStatements.get();
    }

    private synchronized void recordExecution(String sql) {
        executed.add(sql == null ? "?" : sql.replaceAll("\\s+", " ").strip());
    }

    private synchronized void recordReturned(Returned state) {
        returned.add(state);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection connection) throws SQLException {
        if (initialIsolation != null) {
            connection.setTransactionIsolation(initialIsolation);
        }
        openConnections.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;
        private boolean closed;
        private boolean dead;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close")) {
                if (!closed) {
                    closed = true;
                    openConnections.decrementAndGet();
                    if (!dead) {
                        recordReturned(new Returned(connection.getAutoCommit(), connection.getTransactionIsolation()));
                    }
                }
                if (!dead) {
                    connection.close();
                }
                return null;
            }
            if (dead) {
                throw new SQLException("Connection is closed (it died)", CONNECTION_FAILURE);
            }
            if (name.equals("commit")) {
                checkDeath(new Call("commit", null, 0));
            }
            Object result = call(connection, method, args);
            if (result instanceof PreparedStatement statement) {
                openStatements.incrementAndGet();
                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class},
                        new StatementHandler(this, statement, args != null ? (String) args[0] : null));
            }
            if (result instanceof Statement statement) {
                openStatements.incrementAndGet();
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new StatementHandler(this, statement, null));
            }
            return result;
        }

        void checkDeath(Call call) throws SQLException {
            if (errorAt.test(call)) {
                throw new SQLException("Injected failure at " + call.method(), errorState);
            }
            if (deathAt.test(call)) {
                dead = true;
                if (connection.getClass().getName().startsWith("org.h2.")) {
                    // Embedded H2 has no link to lose; its abort() even leaves the session's locks held, so a
                    // death is a close, which ends the session and rolls back its transaction.
                    connection.close();
                } else {
                    connection.abort(Runnable::run);
                }
                throw new SQLException("Connection reset (injected failure at " + call.method() + ")",
                        CONNECTION_FAILURE);
            }
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final ConnectionHandler owner;
        private final Statement statement;
        private final String sql;
        private int batched;
        private boolean closed;

        StatementHandler(ConnectionHandler owner, Statement statement, String sql) {
            this.owner = owner;
            this.statement = statement;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close")) {
                if (!closed) {
                    closed = true;
                    openStatements.decrementAndGet();
                }
                if (!owner.dead) {
                    statement.close();
                }
                return null;
            }
            if (owner.dead) {
                throw new SQLException("Connection is closed (it died)", CONNECTION_FAILURE);
            }
            if (name.equals("addBatch")) {
                batched++;
                owner.checkDeath(new Call("addBatch", sql, batched));
            }
            if (EXECUTIONS.contains(name)) {
                owner.checkDeath(new Call(name, sql != null ? sql : (String) args[0], batched));
                recordExecution(sql != null ? sql : (String) args[0]);
            }
            return call(statement, method, args);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.twofactor.jdbc");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("Not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
