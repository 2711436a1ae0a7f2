package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pool} table. The pattern for every repository: its SQL as readable text here, prepared
 * statements through {@link Jdbc}, dialect differences (the upsert) asked of {@link Dialect} once.
 */
public final class PoolRepository {
  private static final String LIST =
      """
      SELECT pool, slots, description, include_deferred
      FROM pool
      ORDER BY pool
      """;

  private static final String GET =
      """
      SELECT pool, slots, description, include_deferred
      FROM pool
      WHERE pool = ?
      """;

  private static final String DELETE =
      """
      DELETE FROM pool
      WHERE pool = ?
      """;

  private static final String INSERT =
      """
      INSERT INTO pool (pool, slots, description, include_deferred)
      VALUES (?, ?, ?, ?)
      """;

  private static final String LOCK_ALL =
      """
      SELECT pool
      FROM pool
      ORDER BY pool
      FOR UPDATE NOWAIT
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final String upsert;

  public PoolRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.upsert =
        database
            .dialect()
            .upsert(
                "pool",
                List.of("pool"),
                List.of("pool", "slots", "description", "include_deferred"));
  }

  /** Every pool, by name. */
  public List<Pool> list() {
    return jdbc.query("listing pools", LIST, Jdbc.Binder.NONE, PoolRepository::pool);
  }

  public Optional<Pool> get(String name) {
    return jdbc.queryOne(
        "reading pool '" + name + "'", GET, ps -> ps.setString(1, name), PoolRepository::pool);
  }

  /** Creates a pool; false (nothing written) when one of that name exists. */
  public boolean add(Pool pool) {
    try {
      jdbc.update(
          "adding pool '" + pool.name() + "'",
          INSERT,
          ps -> {
            ps.setString(1, pool.name());
            ps.setInt(2, pool.slots());
            ps.setString(3, pool.description());
            ps.setBoolean(4, pool.includeDeferred());
          });
      return true;
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        return false;
      }
      throw e;
    }
  }

  /** Creates the pool or replaces its slots, description and include_deferred. */
  public void set(Pool pool) {
    jdbc.update(
        "setting pool '" + pool.name() + "'",
        upsert,
        ps -> {
          ps.setString(1, pool.name());
          ps.setInt(2, pool.slots());
          ps.setString(3, pool.description());
          ps.setBoolean(4, pool.includeDeferred());
        });
  }

  /**
   * Deletes a pool; false if there was none. Refuses {@value Pool#DEFAULT_POOL}, which tasks
   * without a pool need.
   */
  public boolean delete(String name) {
    if (Pool.DEFAULT_POOL.equals(name)) {
      throw new InvalidPoolException(
          "cannot delete "
              + Pool.DEFAULT_POOL
              + ": tasks without a pool run in it — change its slots instead"
              + " (updraft pools set default_pool <slots>)");
    }
    return jdbc.update("deleting pool '" + name + "'", DELETE, ps -> ps.setString(1, name)) > 0;
  }

  private static Pool pool(ResultSet rs) throws SQLException {
    return new Pool(
        rs.getString("pool"),
        rs.getInt("slots"),
        rs.getString("description"),
        rs.getBoolean("include_deferred"));
  }

  /**
   * Locks every pool row for the caller's transaction without waiting: the scheduler's critical
   * section. Returns false at once when another transaction (another scheduler's critical section)
   * holds them — the caller skips its turn rather than queue past the other's count of free slots.
   */
  public boolean tryLockAll() {
    jdbc.requireTransaction("locking the pools");
    try {
      jdbc.query("locking the pools", LOCK_ALL, Jdbc.Binder.NONE, rs -> rs.getString(1));
      return true;
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isLockNotAvailable(sql)) {
        return false;
      }
      throw e;
    }
  }
}
