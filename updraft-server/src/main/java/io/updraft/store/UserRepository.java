package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code users} table: who may sign in to the API, with which role, and how many of their
 * sign-ins failed in a row. It stores password hashes made elsewhere ({@code api.Passwords}); it
 * never sees a password.
 */
public final class UserRepository {
  private static final String COLUMNS =
      "username, password_hash, role, created_at, changed_at, failed_logins, last_failed_login";

  private static final String INSERT =
      """
      INSERT INTO users (username, password_hash, role, created_at, changed_at, failed_logins)
      VALUES (?, ?, ?, ?, ?, 0)
      """;

  private static final String GET = "SELECT " + COLUMNS + " FROM users WHERE username = ?";

  private static final String LIST = "SELECT " + COLUMNS + " FROM users ORDER BY username";

  private static final String COUNT = "SELECT COUNT(*) FROM users";

  private static final String DELETE = "DELETE FROM users WHERE username = ?";

  private static final String SET_PASSWORD =
      """
      UPDATE users
      SET password_hash = ?, changed_at = ?, failed_logins = 0, last_failed_login = NULL
      WHERE username = ?
      """;

  private static final String SET_ROLE =
      "UPDATE users SET role = ?, changed_at = ? WHERE username = ?";

  /** One statement, so two API servers counting failures at once lose none. */
  private static final String FAILED_LOGIN =
      """
      UPDATE users
      SET failed_logins = failed_logins + 1, last_failed_login = ?
      WHERE username = ?
      """;

  private static final String GOOD_LOGIN =
      """
      UPDATE users
      SET failed_logins = 0, last_failed_login = NULL
      WHERE username = ? AND failed_logins > 0
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public UserRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /**
   * Adds a user.
   *
   * @return false when the username is taken (nothing is written)
   */
  public boolean create(String username, String passwordHash, String role, Instant now) {
    if (get(username).isPresent()) {
      return false;
    }
    try {
      jdbc.update(
          "creating user '" + username + "'",
          INSERT,
          ps -> {
            ps.setString(1, username);
            ps.setString(2, passwordHash);
            ps.setString(3, role);
            dialect.setInstant(ps, 4, now);
            dialect.setInstant(ps, 5, now);
          });
      return true;
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        return false; // created by someone else between our check and our insert
      }
      throw e;
    }
  }

  public Optional<UserRow> get(String username) {
    return jdbc.queryOne(
        "reading user '" + username + "'", GET, ps -> ps.setString(1, username), this::row);
  }

  /** Every user, by username. */
  public List<UserRow> list() {
    return jdbc.query("listing users", LIST, ps -> {}, this::row);
  }

  public int count() {
    return jdbc.queryOne("counting users", COUNT, ps -> {}, rs -> rs.getInt(1)).orElse(0);
  }

  /** Removes a user; false if there was none. */
  public boolean delete(String username) {
    return jdbc.update("deleting user '" + username + "'", DELETE, ps -> ps.setString(1, username))
        == 1;
  }

  /** Replaces a user's password hash and clears the failed sign-ins; false if there is no user. */
  public boolean setPasswordHash(String username, String passwordHash, Instant now) {
    return jdbc.update(
            "changing the password of user '" + username + "'",
            SET_PASSWORD,
            ps -> {
              ps.setString(1, passwordHash);
              dialect.setInstant(ps, 2, now);
              ps.setString(3, username);
            })
        == 1;
  }

  /** Gives a user another role; false if there is no user. */
  public boolean setRole(String username, String role, Instant now) {
    return jdbc.update(
            "changing the role of user '" + username + "'",
            SET_ROLE,
            ps -> {
              ps.setString(1, role);
              dialect.setInstant(ps, 2, now);
              ps.setString(3, username);
            })
        == 1;
  }

  /** Counts a failed sign-in of an existing user. */
  public void recordFailedLogin(String username, Instant now) {
    jdbc.update(
        "recording a failed sign-in of user '" + username + "'",
        FAILED_LOGIN,
        ps -> {
          dialect.setInstant(ps, 1, now);
          ps.setString(2, username);
        });
  }

  /** A good sign-in: the count of failures in a row starts again. */
  public void recordGoodLogin(String username) {
    jdbc.update(
        "recording a sign-in of user '" + username + "'",
        GOOD_LOGIN,
        ps -> ps.setString(1, username));
  }

  private UserRow row(ResultSet rs) throws SQLException {
    return new UserRow(
        rs.getString("username"),
        rs.getString("password_hash"),
        rs.getString("role"),
        dialect.getInstant(rs, "created_at"),
        dialect.getInstant(rs, "changed_at"),
        rs.getInt("failed_logins"),
        dialect.getInstant(rs, "last_failed_login"));
  }
}
