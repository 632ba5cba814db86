package dev.twofactor.examples.demo;

import dev.twofactor.PasswordVerifier;
import dev.twofactor.SecretHasher;
import dev.twofactor.UserDirectory;
import java.nio.CharBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The host application's own accounts (the SDK does not manage passwords): three seeded users, passwords stored as
 * PBKDF2 hashes with the SDK's {@link SecretHasher}. Also the SDK's {@link PasswordVerifier} and {@link UserDirectory}.
 */
public final class DemoUsers implements PasswordVerifier, UserDirectory {

    /** A seeded account; the password is printed at start, since this is a demo. */
    public record Seed(String id, String displayName, String email, String password, boolean administrator) {
    }

    /** An account as the pages show it. */
    public record User(String id, String displayName, String email, boolean administrator) {
    }

    /** The seeded accounts. */
    public static final List<Seed> SEEDS = List.of(
            new Seed("admin", "Ada Admin", "admin@acme.example", "admin-password", true),
            new Seed("alice", "Alice Member", "alice@acme.example", "alice-password", false),
            new Seed("bob", "Bob Member", "bob@acme.example", "bob-password", false));

    private final DataSource dataSource;
    private final SecretHasher hasher;
    /** Compared against when the user is unknown, so that a wrong user name costs the same as a wrong password. */
    private final String dummyHash;

    DemoUsers(DataSource dataSource, SecretHasher hasher) {
        this.dataSource = dataSource;
        this.hasher = hasher;
        this.dummyHash = hasher.hash("no such user");
        seed();
    }

    private void seed() {
        try (Connection connection = dataSource.getConnection()) {
            for (Seed seed : SEEDS) {
                try (PreparedStatement insert = connection.prepareStatement("MERGE INTO demo_user (id, display_name,"
                        + " email, password_hash, administrator) KEY (id) SELECT ?, ?, ?, ?, ? FROM DUAL"
                        + " WHERE NOT EXISTS (SELECT 1 FROM demo_user WHERE id = ?)")) {
                    insert.setString(1, seed.id());
                    insert.setString(2, seed.displayName());
                    insert.setString(3, seed.email());
                    insert.setString(4, hasher.hash(seed.password()));
                    insert.setBoolean(5, seed.administrator());
                    insert.setString(6, seed.id());
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed the demo users", e);
        }
    }

    /**
     * @param id a user id
     * @return the account, if it exists
     */
    public Optional<User> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, display_name, email, administrator FROM demo_user WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(user(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read a demo user", e);
        }
    }

    /** @return every account, administrators first */
    public List<User> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, display_name, email, administrator FROM demo_user ORDER BY administrator DESC, id");
             ResultSet rows = select.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rows.next()) {
                users.add(user(rows));
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list the demo users", e);
        }
    }

    /**
     * The host's own password check at sign-in; the same check serves the SDK's disable and step-up.
     *
     * @param userId the user name as typed
     * @param password the password as typed
     * @return whether the user exists and the password matches (the same cost either way)
     */
    public boolean passwordMatches(String userId, char[] password) {
        String hash = null;
        if (userId != null) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT password_hash FROM demo_user WHERE id = ?")) {
                select.setString(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    hash = rows.next() ? rows.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read a demo user", e);
            }
        }
        boolean matches = hasher.matches(CharBuffer.wrap(password), hash != null ? hash : dummyHash);
        return hash != null && matches;
    }

    @Override
    public Verdict verify(String userId, char[] password) {
        return passwordMatches(userId, password) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    @Override
    public boolean exists(String userId) {
        return find(userId).isPresent();
    }

    private static User user(ResultSet rows) throws SQLException {
        return new User(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBoolean(4));
    }
}
