package io.updraft.api;

import io.updraft.UpdraftException;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.UserRepository;
import io.updraft.store.UserRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Creating, removing, re-keying users and changing their role, once for the CLI ({@code updraft
 * users}) and the API's users endpoints ({@link UserRoutes}): passwords checked and hashed here,
 * each change recorded in the audit log with who made it (never the password).
 */
public final class UserAccounts {
  private final Database db;
  private final UserRepository users;

  public UserAccounts(Database db) {
    this.db = db;
    this.users = new UserRepository(db);
  }

  /** Creates a user; a one-line error when the name is taken or the password too weak. */
  public void create(String username, Role role, String password, String who, Instant now) {
    requireUsername(username);
    if (!users.create(username, Passwords.hash(password), role.id(), now)) {
      throw new UpdraftException(
          "a user named '"
              + username
              + "' exists already: choose another name, or 'updraft users reset-password "
              + username
              + "'");
    }
    audit("user.create", who, Map.of("username", username, "role", role.id()), now);
  }

  public void delete(String username, String who, Instant now) {
    if (!users.delete(username)) {
      throw noSuchUser(username);
    }
    audit("user.delete", who, Map.of("username", username), now);
  }

  public void resetPassword(String username, String password, String who, Instant now) {
    if (!users.setPasswordHash(username, Passwords.hash(password), now)) {
      throw noSuchUser(username);
    }
    audit("user.reset_password", who, Map.of("username", username), now);
  }

  /** Gives a user another role; their tokens keep the old one until they expire. */
  public void setRole(String username, Role role, String who, Instant now) {
    if (!users.setRole(username, role.id(), now)) {
      throw noSuchUser(username);
    }
    audit("user.set_role", who, Map.of("username", username, "role", role.id()), now);
  }

  public java.util.Optional<UserRow> get(String username) {
    return users.get(username);
  }

  public List<UserRow> list() {
    return users.list();
  }

  public boolean exists(String username) {
    return users.get(username).isPresent();
  }

  private void audit(String event, String who, Map<String, String> extra, Instant now) {
    new LogRepository(db)
        .record(event, null, null, null, who, Json.write(new TreeMap<>(extra)), now);
  }

  private static UpdraftException noSuchUser(String username) {
    return new UpdraftException(
        "there is no user '" + username + "' ('updraft users list' shows them)");
  }

  /** 1 to 250 letters, digits and {@code _.@-}: safe in a token, a log line and a URL. */
  static void requireUsername(String username) {
    if (username == null || !username.matches("[A-Za-z0-9_.@-]{1,250}")) {
      throw new UpdraftException(
          "invalid username '"
              + username
              + "': use 1 to 250 letters, digits and the characters _ . @ -");
    }
  }
}
