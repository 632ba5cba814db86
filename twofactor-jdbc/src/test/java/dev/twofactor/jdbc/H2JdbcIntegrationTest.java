package dev.twofactor.jdbc;

/** The contract kit and the JDBC scenarios on H2 (in memory, always). */
class H2JdbcIntegrationTest extends JdbcIntegrationSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
