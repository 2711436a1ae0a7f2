package io.updraft.api;

import io.updraft.store.Database;
import io.updraft.store.UserRepository;
import io.updraft.store.UserRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /auth/token}'s rule: a username and password for a token, with a limit on guessing
 * (decisions/0090). After {@link #MAX_FAILURES} failed sign-ins in a row a user is refused for
 * {@link #LOCKOUT} after the latest, whatever the password; the count lives in the database, so the
 * limit holds across API servers and restarts. The answer to a wrong password and to an unknown
 * user is the same, and takes as long.
 */
public final class SignIn {
  public static final int MAX_FAILURES = 5;
  public static final Duration LOCKOUT = Duration.ofMinutes(5);

  private final UserRepository users;
  private final Tokens tokens;
  private final Clock clock;

  public SignIn(Database db, Tokens tokens, Clock clock) {
    this.users = new UserRepository(db);
    this.tokens = tokens;
    this.clock = clock;
  }

  /** How long the tokens it gives are good for. */
  public Duration lifetime() {
    return tokens.lifetime();
  }

  /**
   * A token for these credentials.
   *
   * @throws ApiException 401 for a wrong username or password, 429 while the user is locked out
   */
  public String token(String username, String password) {
    Instant now = clock.instant();
    Optional<UserRow> found = users.get(username);
    if (found.isEmpty()) {
      Passwords.checkNothing(password);
      throw wrong();
    }
    UserRow user = found.get();
    if (user.failedLogins() >= MAX_FAILURES
        && user.lastFailedLogin() != null
        && now.isBefore(user.lastFailedLogin().plus(LOCKOUT))) {
      throw new ApiException(
          429,
          "too many failed sign-ins for this user: try again after "
              + Json.instant(user.lastFailedLogin().plus(LOCKOUT))
              + ", or have an admin reset the password (updraft users reset-password)");
    }
    if (!Passwords.matches(password, user.passwordHash())) {
      users.recordFailedLogin(username, now);
      throw wrong();
    }
    users.recordGoodLogin(username);
    Role role = Role.parse(user.role());
    return tokens.issue(new Caller(user.username(), role));
  }

  private static ApiException wrong() {
    return ApiException.unauthorized("wrong username or password");
  }
}
