package dev.twofactor.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.CodeAccepted;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcSchema;
import dev.twofactor.jdbc.JdbcTwoFactorStore;

/**
 * Counts the SQL statements one sign-in verification executes, through a {@link DataSource} wrapper that counts every
 * {@code execute*} call on the statements it hands out. Run by the runner in its own process, untimed, on the same
 * store, pool and users as {@link JdbcVerifyBenchmark}.
 */
final class StatementCount {

    private StatementCount() {
    }

    /**
     * @return statements executed per accepted verification, over {@code verifications} of them
     */
    static double perVerification(String db, int verifications) {
        try (HikariDataSource pool = JdbcVerifyBenchmark.pool(db, 1)) {
            LongAdder statements = new LongAdder();
            JdbcTwoFactorStore store = JdbcVerifyBenchmark.newStore(counting(pool, statements));
            try {
                SecretCipher cipher = JdbcVerifyBenchmark.cipher();
                SignInUsers users = SignInUsers.seed(store, cipher, "user-", 64, 1_000_000L);
                TwoFactorService service = TwoFactorService.builder()
                        .issuer("Benchmarks")
                        .store(store)
                        .secretCipher(cipher)
                        .clock(users.clock)
                        .listener(TwoFactorListener.NONE)
                        .build();
                SignInUsers.Driver driver = users.new Driver(0, 64);
                driver.prepare(verifications);
                statements.reset();
                for (int i = 0; i < verifications; i++) {
                    String userId = driver.next();
                    Outcome<CodeAccepted> outcome = service.verifyCode(userId, driver.code());
                    driver.record(outcome);
                }
                driver.checkAllAccepted();
                return statements.sum() / (double) verifications;
            } finally {
                JdbcSchema.drop(pool, store.dialect(), store.tablePrefix());
            }
        }
    }

    /** Wraps a data source so that every statement executed through its connections is counted. */
    static DataSource counting(DataSource target, LongAdder statements) {
        return proxy(DataSource.class, target, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? counting(connection, statements) : result;
        });
    }

    private static Connection counting(Connection target, LongAdder statements) {
        return proxy(Connection.class, target, (proxy, method, args) -> {
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
