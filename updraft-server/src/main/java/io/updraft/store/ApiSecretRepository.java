package io.updraft.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code api_secret} table: secrets every API server on this database shares, such as the key
 * that signs tokens. The first server to start generates each; the others read it.
 */
public final class ApiSecretRepository {
  private static final String GET = "SELECT secret FROM api_secret WHERE name = ?";

  private static final String INSERT =
      "INSERT INTO api_secret (name, secret, created_at) VALUES (?, ?, ?)";

  private final Jdbc jdbc;
  private final Dialect dialect;

  public ApiSecretRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  public Optional<String> get(String name) {
    return jdbc.queryOne(
        "reading the API secret '" + name + "'",
        GET,
        ps -> ps.setString(1, name),
        rs -> rs.getString(1));
  }

  /**
   * The secret of this name, stored from {@code generate} if there was none. When two servers start
   * at once, both generate one, the primary key lets only one in, and both return that one.
   */
  public String getOrCreate(String name, Supplier<String> generate, Instant now) {
    Optional<String> existing = get(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    String secret = generate.get();
    try {
      jdbc.update(
          "storing the API secret '" + name + "'",
          INSERT,
          ps -> {
            ps.setString(1, name);
            ps.setString(2, secret);
            dialect.setInstant(ps, 3, now);
          });
      return secret;
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        return get(name).orElseThrow();
      }
      throw e;
    }
  }
}
