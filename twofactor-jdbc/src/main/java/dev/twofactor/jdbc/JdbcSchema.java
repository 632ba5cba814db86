package dev.twofactor.jdbc;

import dev.twofactor.jdbc.internal.SqlScript;
import dev.twofactor.jdbc.internal.TablePrefix;
import dev.twofactor.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates and drops the tables of {@link JdbcTwoFactorStore} with the scripts shipped in this jar.
 *
 * <p>The scripts are class-path resources, one pair per dialect: {@code dev/twofactor/jdbc/schema-h2.sql},
 * {@code schema-postgresql.sql}, {@code schema-mysql.sql} (MySQL and MariaDB) and the matching
 * {@code schema-drop-*.sql}. Every table and index name starts with the placeholder {@code ${prefix}}.
 *
 * <p><b>With Flyway or Liquibase</b>, copy the script of your database into a migration and either replace
 * {@code ${prefix}} with your prefix ({@code tf_} by default) or let the tool substitute it: {@code ${prefix}} is
 * Flyway's placeholder syntax (set {@code flyway.placeholders.prefix=tf_}) and Liquibase's changelog-property syntax
 * (a {@code sqlFile} change with a {@code prefix} property). {@link #createScript} returns the text with the prefix
 * already applied. Later versions of twofactor that change the schema ship the change as a separate script.
 *
 * <p>Without a migration tool, {@link #create} runs the script at start-up: every statement says
 * {@code IF NOT EXISTS}, so running it again is harmless ({@link JdbcTwoFactorStore.Builder#createSchemaIfMissing}
 * does exactly that).
 */
public final class JdbcSchema {

    private JdbcSchema() {
    }

    /**
     * @param dialect the database
     * @param tablePrefix the table prefix, {@code [A-Za-z_][A-Za-z0-9_]*}
     * @return the create script with the prefix applied
     */
    public static String createScript(JdbcDialect dialect, String tablePrefix) {
        return TablePrefix.apply(SqlScript.load(dialect.createScriptResource()), TablePrefix.validate(tablePrefix));
    }

    /**
     * @param dialect the database
     * @param tablePrefix the table prefix, {@code [A-Za-z_][A-Za-z0-9_]*}
     * @return the drop script with the prefix applied
     */
    public static String dropScript(JdbcDialect dialect, String tablePrefix) {
        return TablePrefix.apply(SqlScript.load(dialect.dropScriptResource()), TablePrefix.validate(tablePrefix));
    }

    /**
     * Creates the tables and indexes that do not exist yet.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @param tablePrefix the table prefix
     * @throws StorageException if a statement fails
     */
    public static void create(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {
        run(dataSource, createScript(dialect, tablePrefix), "Could not create the twofactor tables");
    }

    /**
     * Drops the tables, with all their data, if they exist.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @param tablePrefix the table prefix
     * @throws StorageException if a statement fails
     */
    public static void drop(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {
        run(dataSource, dropScript(dialect, tablePrefix), "Could not drop the twofactor tables");
    }

    private static void run(DataSource dataSource, String script, String failure) {
        Objects.requireNonNull(dataSource, "dataSource");
        List<String> statements = SqlScript.statements(script);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new StorageException(failure, e);
        }
    }
}
