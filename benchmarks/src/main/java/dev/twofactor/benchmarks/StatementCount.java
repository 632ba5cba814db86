package dev.twofactor.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.CodeAccepted;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcSchema;
import dev.twofactor.jdbc.JdbcTwoFactorStore;

/**
 * Counts the SQL statements one sign-in verification executes, through a {@link DataSource} wrapper that counts every
 * {@code execute*} call on the statements it hands out and records the text of every statement prepared. Run by the
 * runner in its own process, untimed, on the same store, pool and users as {@link JdbcSignIn}.
 */
final class StatementCount {

    /**
     * What one database's count found.
     *
     * @param perVerification statements executed per accepted verification
     * @param sameAsFloor whether the statements of a sign-in are, word for word, the two that {@link JdbcFloor} runs
     * @param statements the text of the statements one sign-in prepared, with the table prefix shown as {@code tf_}
     */
    record Count(double perVerification, boolean sameAsFloor, List<String> statements) {
    }

    private StatementCount() {
    }

    /**
     * @return statements executed per accepted verification, over {@code verifications} of them, and the statements
     *         of the last one
     */
    static Count perVerification(String db, int verifications) {
        try (HikariDataSource pool = JdbcSignIn.pool(db, 1)) {
            LongAdder statements = new LongAdder();
            List<String> prepared = Collections.synchronizedList(new ArrayList<>());
            JdbcTwoFactorStore store = JdbcSignIn.newStore(counting(pool, statements, prepared));
            try {
                SecretCipher cipher = JdbcSignIn.cipher();
                SignInUsers users = SignInUsers.seed(store, cipher, "user-", 64, 1_000_000L);
                TwoFactorService service = users.service(store, cipher);
                SignInUsers.Driver driver = users.new Driver(0, 64);
                driver.prepare(verifications);
                statements.reset();
                for (int i = 0; i < verifications; i++) {
                    String userId = driver.next();
                    prepared.clear();
                    Outcome<CodeAccepted> outcome = service.verifyCode(userId, driver.code());
                    driver.record(outcome);
                }
                driver.checkAllAccepted();
                List<String> last = List.copyOf(prepared);
                List<String> floor = JdbcFloor.statements(store.tablePrefix());
                boolean same = last.size() == floor.size();
                for (int i = 0; same && i < last.size(); i++) {
                    same = JdbcFloor.normalise(last.get(i)).equals(JdbcFloor.normalise(floor.get(i)));
                }
                List<String> shown = new ArrayList<>();
                for (String sql : last) {
                    shown.add(sql.replace(store.tablePrefix(), JdbcTwoFactorStore.DEFAULT_TABLE_PREFIX));
                }
                return new Count(statements.sum() / (double) verifications, same, shown);
            } finally {
                JdbcSchema.drop(pool, store.dialect(), store.tablePrefix());
            }
        }
    }

    /**
     * Wraps a data source so that every statement executed through its connections is counted, and the text of every
     * statement prepared is added to {@code prepared}.
     */
    static DataSource counting(DataSource target, LongAdder statements, List<String> prepared) {
        return proxy(DataSource.class, target, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? counting(connection, statements, prepared) : result;
        });
    }

    private static Connection counting(Connection target, LongAdder statements, List<String> prepared) {
        return proxy(Connection.class, target, (proxy, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                prepared.add(sql);
            }
            Object result = invoke(target, method, args);
            if (result instanceof CallableStatement statement) {
                return counting(CallableStatement.class, statement, statements);
            }
            if (result instanceof PreparedStatement statement) {
                return counting(PreparedStatement.class, statement, statements);
            }
            if (result instanceof Statement statement) {
                return counting(Statement.class, statement, statements);
            }
            return result;
        });
    }

    private static <S extends Statement> S counting(Class<S> type, S target, LongAdder statements) {
        return proxy(type, target, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.increment();
            }
            return invoke(target, method, args);
        });
    }

    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(StatementCount.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
