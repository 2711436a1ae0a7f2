package io.updraft.store;

import java.time.Instant;

/**
 * A row of {@code users}: one person or machine that may call the REST API.
 *
 * @param passwordHash the bcrypt hash, never the password
 * @param role the role's id ({@code viewer}, {@code user}, {@code op}, {@code admin}, {@code
 *     worker})
 * @param failedLogins sign-ins that failed in a row since the last good one
 * @param lastFailedLogin when the latest of them failed; null if none did
 */
public record UserRow(
    String username,
    String passwordHash,
    String role,
    Instant createdAt,
    Instant changedAt,
    int failedLogins,
    Instant lastFailedLogin) {

  /** Never prints the hash: a row in a log line or a test failure must not carry it. */
  @Override
  public String toString() {
    return "UserRow[" + username + ", role " + role + ", failed logins " + failedLogins + "]";
  }
}
