package dev.twofactor.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import dev.twofactor.SecretCipher;
import dev.twofactor.TotpSecret;
import dev.twofactor.jdbc.JdbcDialect;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.spi.BackoffScope;
import dev.twofactor.spi.BackoffState;
import dev.twofactor.spi.CredentialWithBackoff;
import dev.twofactor.spi.EncryptedSecret;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Enabled users written straight into the JDBC store's tables in bulk (PostgreSQL {@code COPY}, H2 batched inserts):
 * the rows a confirmed enrolment leaves (secret sealed by the benchmark's cipher for that user, last used step just
 * before the benchmark's first step, no pending enrolment), a million of them in seconds where the storage SPI takes
 * two statements per user. Each user's key comes from its index, so only the users a benchmark exercises are kept in
 * memory. {@link #seed} reads the first exercised user back through the store and opens its secret, so a change of
 * the table layout fails the run instead of measuring rows the store cannot read.
 */
final class BulkUsers {

    private static final int CHUNK = 16_384;

    private BulkUsers() {
    }

    /**
     * Leaves freshly loaded PostgreSQL tables as a table that has been in use for a while is, before anything is
     * measured on them: {@code VACUUM (ANALYZE)} does at once what autovacuum would do within a minute of such a load
     * (in the middle of a measurement, sharing the cores with it), marks every row visible and gives the planner the
     * tables' sizes; {@code CHECKPOINT} then writes out the load's dirty pages, where the role may (a superuser, or
     * {@code pg_checkpoint}), so that no checkpoint of the load lands in the measured calls. Both run outside a
     * transaction, as {@code VACUUM} must.
     */
    private static void settle(Connection connection, String prefix) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) " + prefix + "credential");
            statement.execute("VACUUM (ANALYZE) " + prefix + "backoff");
            try {
                statement.execute("CHECKPOINT");
            } catch (SQLException e) {
                System.out.println("(no CHECKPOINT after the load: " + e.getMessage() + ")");
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Seeds {@code total} enabled users {@code idPrefix + index} and returns the {@code exercised} of them a benchmark
     * signs in: all of them if {@code exercised == total}, otherwise one at a random place in each of
     * {@code exercised} equal stretches of the table, so that the sign-ins reach every part of the index.
     *
     * @param backoffEvery every how many users also have a second-factor backoff row with the values a reset leaves
     *                     (as after an earlier failure), 0 for none
     */
    static SignInUsers seed(DataSource dataSource, JdbcTwoFactorStore store, SecretCipher cipher, String idPrefix,
                            int total, int exercised, int backoffEvery, long firstStep) {
        if (exercised > total) {
            throw new IllegalArgumentException("Cannot exercise " + exercised + " of " + total + " users");
        }
        try (Connection connection = dataSource.getConnection()) {
            String prefix = store.tablePrefix();
            if (store.dialect() == JdbcDialect.POSTGRESQL) {
                copy(connection, prefix, cipher, idPrefix, total, backoffEvery, firstStep);
                settle(connection, prefix);
            } else {
                insert(connection, prefix, cipher, idPrefix, total, backoffEvery, firstStep);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not seed " + total + " benchmark users", e);
        }
        String[] userIds = new String[exercised];
        TotpSecret[] secrets = new TotpSecret[exercised];
        SplittableRandom pick = new SplittableRandom(4_711L);
        long stretch = total / exercised;
        for (int i = 0; i < exercised; i++) {
            int index = exercised == total ? i : (int) (i * stretch + pick.nextLong(stretch));
            userIds[i] = idPrefix + index;
            secrets[i] = TotpSecret.ofBytes(key(index));
        }
        check(store, cipher, userIds[0], key(indexOf(userIds[0], idPrefix)), firstStep);
        return SignInUsers.of(userIds, secrets, firstStep);
    }

    /** The user's 20-byte key, derived from its index. */
    private static byte[] key(int index) {
        byte[] key = new byte[20];
        new SplittableRandom(0x5EED_0000_0000L + index).nextBytes(key);
        return key;
    }

    private static int indexOf(String userId, String idPrefix) {
        return Integer.parseInt(userId.substring(idPrefix.length()));
    }

    private static void check(JdbcTwoFactorStore store, SecretCipher cipher, String userId, byte[] key,
                              long firstStep) {
        CredentialWithBackoff read = store.findCredentialWithBackoff(userId);
        if (read.credential() == null || !read.credential().enabled()
                || read.credential().lastUsedStep() != firstStep - 1
                || !Arrays.equals(cipher.open(userId, read.credential().secret()), key)) {
            throw new IllegalStateException("A bulk-seeded user does not read back as enabled with its secret: "
                    + "the benchmark's rows no longer match the store's tables");
        }
        if (!read.backoff().equals(BackoffState.NONE)) {
            throw new IllegalStateException("A bulk-seeded user reads back with a backoff");
        }
    }

    private static void copy(Connection connection, String prefix, SecretCipher cipher, String idPrefix, int total,
                             int backoffEvery, long firstStep) throws SQLException, IOException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long enabledAt = (firstStep - 1) * SignInUsers.PERIOD_MILLIS;
        CopyIn credentials = pg.getCopyAPI().copyIn("COPY " + prefix + "credential (user_id, secret_key_id, secret, "
                + "last_used_step, enabled_at) FROM STDIN");
        try {
            for (int from = 0; from < total; from += CHUNK) {
                int to = Math.min(total, from + CHUNK);
                // Sealing (AES-GCM, a fresh nonce each) is most of the work: both cores do it.
                String rows = IntStream.range(from, to).parallel().mapToObj(index -> {
                    String userId = idPrefix + index;
                    EncryptedSecret sealed = cipher.seal(userId, key(index));
                    return userId + '\t' + sealed.keyId() + "\t\\\\x" + HexFormat.of().formatHex(sealed.sealed())
                            + '\t' + (firstStep - 1) + '\t' + enabledAt + '\n';
                }).collect(Collectors.joining());
                byte[] bytes = rows.getBytes(StandardCharsets.UTF_8);
                credentials.writeToCopy(bytes, 0, bytes.length);
            }
            credentials.endCopy();
        } finally {
            if (credentials.isActive()) {
                credentials.cancelCopy();
            }
        }
        if (backoffEvery > 0) {
            CopyIn backoffs = pg.getCopyAPI().copyIn("COPY " + prefix + "backoff (user_id, scope, failures, "
                    + "blocked_until, locked) FROM STDIN");
            try {
                StringBuilder rows = new StringBuilder();
                for (int index = 0; index < total; index += backoffEvery) {
                    rows.append(idPrefix).append(index).append('\t').append(BackoffScope.SECOND_FACTOR.name())
                            .append("\t0\t0\tf\n");
                    if (rows.length() > 1 << 20 || index + backoffEvery >= total) {
                        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                        backoffs.writeToCopy(bytes, 0, bytes.length);
                        rows.setLength(0);
                    }
                }
                backoffs.endCopy();
            } finally {
                if (backoffs.isActive()) {
                    backoffs.cancelCopy();
                }
            }
        }
    }

    private static void insert(Connection connection, String prefix, SecretCipher cipher, String idPrefix, int total,
                               int backoffEvery, long firstStep) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement credential = connection.prepareStatement("INSERT INTO " + prefix + "credential "
                + "(user_id, secret_key_id, secret, last_used_step, enabled_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement backoff = connection.prepareStatement("INSERT INTO " + prefix + "backoff "
                     + "(user_id, scope, failures, blocked_until, locked) VALUES (?, ?, 0, 0, FALSE)")) {
            for (int index = 0; index < total; index++) {
                String userId = idPrefix + index;
                EncryptedSecret sealed = cipher.seal(userId, key(index));
                credential.setString(1, userId);
                credential.setString(2, sealed.keyId());
                credential.setBytes(3, sealed.sealed());
                credential.setLong(4, firstStep - 1);
                credential.setLong(5, (firstStep - 1) * SignInUsers.PERIOD_MILLIS);
                credential.addBatch();
                if (backoffEvery > 0 && index % backoffEvery == 0) {
                    backoff.setString(1, userId);
                    backoff.setString(2, BackoffScope.SECOND_FACTOR.name());
                    backoff.addBatch();
                }
                if (index % 1000 == 999 || index == total - 1) {
                    credential.executeBatch();
                    backoff.executeBatch();
                }
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
