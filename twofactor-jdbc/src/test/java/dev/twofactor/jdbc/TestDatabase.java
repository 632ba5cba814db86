package dev.twofactor.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The databases the integration tests run on: H2 in memory always; PostgreSQL and MariaDB at the URLs of
 * {@code TWOFACTOR_TEST_POSTGRES_URL} and {@code TWOFACTOR_TEST_MARIADB_URL} (defaults: the servers of a developer
 * machine). An unreachable server skips its tests, unless {@code TWOFACTOR_TEST_REQUIRE_DATABASES=true}, which makes
 * it fail them (CI).
 */
enum TestDatabase {

    H2("H2", JdbcDialect.H2, null, null),
    POSTGRESQL("PostgreSQL", JdbcDialect.POSTGRESQL, "TWOFACTOR_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
    MARIADB("MariaDB", JdbcDialect.MYSQL, "TWOFACTOR_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=");

    static final String REQUIRE_VARIABLE = "TWOFACTOR_TEST_REQUIRE_DATABASES";

    /**
     * Connections per pool on a server: the kit's 64 racing threads share them, and two pools per test class stay well
     * under PostgreSQL's default limit of 100 connections even with two builds running at once. Embedded H2 sessions
     * cost nothing, so there every racing thread gets its own.
     */
    private static final int SERVER_POOL_SIZE = 12;
    private static final int H2_POOL_SIZE = 64;

    private final String label;
    private final JdbcDialect dialect;
    private final String urlVariable;
    private final String defaultUrl;

    TestDatabase(String label, JdbcDialect dialect, String urlVariable, String defaultUrl) {
        this.label = label;
        this.dialect = dialect;
        this.urlVariable = urlVariable;
        this.defaultUrl = defaultUrl;
    }

    JdbcDialect dialect() {
        return dialect;
    }

    String label() {
        return label;
    }

    /**
     * @param h2Name the name of the in-memory H2 database (ignored for the servers)
     * @return the JDBC URL of this database
     */
    String url(String h2Name) {
        if (this == H2) {
            return "jdbc:h2:mem:" + h2Name + ";DB_CLOSE_DELAY=-1";
        }
        String configured = System.getenv(urlVariable);
        return configured == null || configured.isBlank() ? defaultUrl : configured;
    }

    /**
     * Checks that the database answers. When it does not, and databases are required, fails the calling test class.
     *
     * @param url the URL
     * @return {@code null} if it answers, otherwise why its tests are skipped (which server, which URL)
     */
    String unreachable(String url) {
        try (Connection connection = connect(url)) {
            connection.isValid(5);
            return null;
        } catch (SQLException e) {
            String message = label + " server unreachable at " + redacted(url) + " (" + e.getMessage() + ")";
            if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
                fail(message + "; " + REQUIRE_VARIABLE + "=true requires it");
            }
            return message + "; its tests are skipped (" + urlVariable + " sets the URL, " + REQUIRE_VARIABLE
                    + "=true makes this a failure)";
        }
    }

    /**
     * @param url the URL
     * @param poolName a name for the pool's threads
     * @return a small pool
     */
    HikariDataSource pool(String url, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(this == H2 ? H2_POOL_SIZE : SERVER_POOL_SIZE);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    /**
     * @param url the URL
     * @return a data source that opens a new physical connection per call, for tests that kill connections
     */
    DataSource unpooled(String url) {
        return new SimpleDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return connect(url);
            }
        };
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        if (url.startsWith("jdbc:postgresql:")) {
            properties.setProperty("connectTimeout", "5");
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            properties.setProperty("connectTimeout", "5000");
        }
        return DriverManager.getConnection(url, properties);
    }

    /**
     * @return a table prefix no other test class uses, e.g. {@code tf_t3f9a1c_}
     */
    static String uniquePrefix() {
        return "tf_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT) + "_";
    }

    /** The URL without a password, for messages. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
