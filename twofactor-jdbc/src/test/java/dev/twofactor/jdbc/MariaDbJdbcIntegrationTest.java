package dev.twofactor.jdbc;

/** The contract kit and the JDBC scenarios on MariaDB. */
class MariaDbJdbcIntegrationTest extends JdbcIntegrationSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
