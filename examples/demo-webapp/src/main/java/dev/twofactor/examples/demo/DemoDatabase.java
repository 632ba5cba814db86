package dev.twofactor.examples.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The demo's embedded H2 file database under the data directory, through a HikariCP pool: the SDK's tables (created by
 * the JDBC store) and the demo's own ({@code demo_user}, {@code demo_event}, {@code demo_setting}).
 */
final class DemoDatabase implements AutoCloseable {

    private final HikariDataSource pool;

    DemoDatabase(Path dataDir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("demo") + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(8);
        config.setPoolName("demo");
        this.pool = new HikariDataSource(config);
        createDemoTables();
    }

    DataSource dataSource() {
        return pool;
    }

    private void createDemoTables() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS demo_user (id VARCHAR(64) PRIMARY KEY,"
                    + " display_name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL,"
                    + " password_hash VARCHAR(400) NOT NULL, administrator BOOLEAN NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS demo_event (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " user_id VARCHAR(255) NOT NULL, actor_id VARCHAR(255), type VARCHAR(40) NOT NULL,"
                    + " at_millis BIGINT NOT NULL, detail VARCHAR(400))");
            statement.execute("CREATE INDEX IF NOT EXISTS demo_event_user ON demo_event (user_id, id)");
            statement.execute("CREATE TABLE IF NOT EXISTS demo_setting (name VARCHAR(64) PRIMARY KEY,"
                    + " setting_value VARCHAR(200) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the demo tables", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
