/**
 * twofactor-jdbc: the storage SPI over any {@link javax.sql.DataSource} ({@code dev.twofactor.jdbc}). The SQL and
 * its helpers live in a package that is not exported.
 */
module dev.twofactor.jdbc {
    requires transitive dev.twofactor;
    requires transitive java.sql;

    exports dev.twofactor.jdbc;
}
