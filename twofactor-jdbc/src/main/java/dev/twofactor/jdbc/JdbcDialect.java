package dev.twofactor.jdbc;

import dev.twofactor.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The databases {@link JdbcTwoFactorStore} speaks. Only a few statements differ between them (the upserts and one
 * parameter cast); everything else is shared SQL.
 */
public enum JdbcDialect {

    /** H2 2.x, embedded or server. */
    H2("h2"),

    /** PostgreSQL 9.5 or later. */
    POSTGRESQL("postgresql"),

    /** MySQL 5.7 or later, and MariaDB 10.2 or later. */
    MYSQL("mysql");

    private final String scriptSuffix;

    JdbcDialect(String scriptSuffix) {
        this.scriptSuffix = scriptSuffix;
    }

    /**
     * @return the class-path resource of the script that creates the tables, with a {@code ${prefix}} placeholder
     *         for the table prefix, e.g. {@code dev/twofactor/jdbc/schema-postgresql.sql}
     */
    public String createScriptResource() {
        return "dev/twofactor/jdbc/schema-" + scriptSuffix + ".sql";
    }

    /**
     * @return the class-path resource of the script that drops the tables, e.g.
     *         {@code dev/twofactor/jdbc/schema-drop-postgresql.sql}
     */
    public String dropScriptResource() {
        return "dev/twofactor/jdbc/schema-drop-" + scriptSuffix + ".sql";
    }

    /**
     * Picks the dialect from a JDBC driver's product name ({@link java.sql.DatabaseMetaData#getDatabaseProductName}).
     *
     * @param databaseProductName e.g. {@code "PostgreSQL"}, {@code "MySQL"}, {@code "MariaDB"}, {@code "H2"}
     * @return the dialect
     * @throws IllegalArgumentException if the database is not supported
     */
    public static JdbcDialect forProductName(String databaseProductName) {
        Objects.requireNonNull(databaseProductName, "databaseProductName");
        String name = databaseProductName.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("Unsupported database \"" + databaseProductName
                + "\": twofactor-jdbc supports H2, PostgreSQL, MySQL and MariaDB");
    }

    /**
     * Asks the database which it is, over one connection of the data source.
     *
     * @param dataSource the data source
     * @return the dialect
     * @throws IllegalArgumentException if the database is not supported
     * @throws StorageException if no connection could be had
     */
    public static JdbcDialect detect(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            return forProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StorageException("Could not detect the database dialect", e);
        }
    }
}
