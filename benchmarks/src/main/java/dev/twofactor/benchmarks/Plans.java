package dev.twofactor.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The PostgreSQL plans of the statements a sign-in sends (target 5). A {@link DataSource} wrapper records each
 * statement the store prepares and executes during one real sign-in, with its bound values; each is then explained
 * twice on its own connection: {@code EXPLAIN} with those values bound (the custom plan, which the server uses for a
 * statement's first executions), and {@code EXPLAIN EXECUTE} of the same text prepared under
 * {@code plan_cache_mode = force_generic_plan} (the generic plan a server-side prepared statement can settle on).
 * Neither runs the statement. A plan "uses an index" when it has no sequential scan and reaches every table through
 * an index scan.
 */
final class Plans {

    /** One executed statement: its text and its bound values by index. */
    record Executed(String sql, List<Object> values) {
    }

    /**
     * What one explanation found.
     *
     * @param text the plans, as the server printed them, each under the statement it explains
     * @param allIndexed whether every plan of every statement uses an index
     */
    record Explained(String text, boolean allIndexed) {
    }

    private Plans() {
    }

    /** Wraps a data source so that every statement executed through it is added to {@code executed}. */
    static DataSource recording(DataSource target, List<Executed> executed) {
        return proxy(DataSource.class, target, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? recording(connection, executed) : result;
        });
    }

    private static Connection recording(Connection target, List<Executed> executed) {
        return proxy(Connection.class, target, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
                return recording(statement, sql, executed);
            }
            return result;
        });
    }

    private static PreparedStatement recording(PreparedStatement target, String sql, List<Executed> executed) {
        TreeMap<Integer, Object> values = new TreeMap<>();
        return proxy(PreparedStatement.class, target, (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer index) {
                values.put(index, args[1]);
            } else if (name.startsWith("execute")) {
                executed.add(new Executed(sql, List.copyOf(values.values())));
            }
            return invoke(target, method, args);
        });
    }

    /**
     * Explains each statement and checks that its plans use an index.
     *
     * @param tablePrefix the store's prefix, shown as {@code tf_} in the text
     */
    static Explained explain(DataSource dataSource, List<Executed> statements, String tablePrefix) {
        StringBuilder text = new StringBuilder();
        boolean allIndexed = !statements.isEmpty();
        try (Connection connection = dataSource.getConnection()) {
            for (int i = 0; i < statements.size(); i++) {
                Executed executed = statements.get(i);
                text.append("statement ").append(i + 1).append(": ")
                        .append(executed.sql().replaceAll("\\s+", " ").trim()).append('\n');
                List<String> custom = custom(connection, executed);
                List<String> generic = generic(connection, executed, i);
                text.append("  custom plan (EXPLAIN, values bound):\n");
                custom.forEach(line -> text.append("    ").append(line).append('\n'));
                text.append("  generic plan (EXPLAIN EXECUTE, plan_cache_mode = force_generic_plan):\n");
                generic.forEach(line -> text.append("    ").append(line).append('\n'));
                allIndexed &= indexed(custom) && indexed(generic);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not explain the sign-in's statements", e);
        }
        return new Explained(text.toString().replace(tablePrefix, "tf_"), allIndexed);
    }

    /** No sequential scan, and at least one index scan. */
    static boolean indexed(List<String> plan) {
        boolean index = false;
        for (String line : plan) {
            if (line.contains("Seq Scan")) {
                return false;
            }
            index |= line.contains("Index Scan") || line.contains("Index Only Scan");
        }
        return index;
    }

    private static List<String> custom(Connection connection, Executed executed) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + executed.sql())) {
            for (int i = 0; i < executed.values().size(); i++) {
                statement.setObject(i + 1, executed.values().get(i));
            }
            return lines(statement.executeQuery());
        }
    }

    private static List<String> generic(Connection connection, Executed executed, int number) throws SQLException {
        String name = "twofactor_bench_plan_" + number;
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char c : executed.sql().toCharArray()) {
            if (c == '?') {
                numbered.append('$').append(++parameter);
            } else {
                numbered.append(c);
            }
        }
        StringBuilder values = new StringBuilder();
        for (Object value : executed.values()) {
            values.append(values.length() == 0 ? "" : ", ").append(literal(value));
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE " + name + " AS " + numbered);
            try {
                return lines(statement.executeQuery("EXPLAIN EXECUTE " + name + "(" + values + ")"));
            } finally {
                statement.execute("DEALLOCATE " + name);
                statement.execute("RESET plan_cache_mode");
            }
        }
    }

    /** A benchmark's own value (a user id, a scope, a number) as an SQL literal. */
    private static String literal(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString().toUpperCase(Locale.ROOT);
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }

    private static List<String> lines(ResultSet rows) throws SQLException {
        try (rows) {
            List<String> lines = new ArrayList<>();
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
            return lines;
        }
    }

    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(Plans.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
