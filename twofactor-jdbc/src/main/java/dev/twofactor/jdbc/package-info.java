/**
 * The twofactor store over a relational database: {@link dev.twofactor.jdbc.JdbcTwoFactorStore} implements every
 * storage SPI interface over any {@link javax.sql.DataSource} (H2, PostgreSQL, MySQL and MariaDB), and
 * {@link dev.twofactor.jdbc.JdbcSchema} creates or drops its tables.
 *
 * <p>Every atomicity duty of the SPI is one conditional SQL statement or one short transaction, so that any number of
 * application nodes sharing the database behave as one.
 */
package dev.twofactor.jdbc;
