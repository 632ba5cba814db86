package dev.twofactor.jdbc;

/** The contract kit and the JDBC scenarios on PostgreSQL. */
class PostgresJdbcIntegrationTest extends JdbcIntegrationSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
