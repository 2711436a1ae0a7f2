package io.updraft.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.InvalidPoolException;
import io.updraft.store.LogRepository;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a person does to a pool, once for every way in: {@code updraft pools set | delete} and the
 * REST API's {@code /api/v2/pools}. Each change is validated by {@link Pool}, recorded in the audit
 * {@code log} with who made it, and wakes the schedulers (a pool that grew frees slots now).
 */
public final class PoolActions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PoolActions() {}

  /**
   * A pool's fields to change: null leaves one as it is (or, for a new pool, at its default: no
   * description, deferred tasks not counted).
   */
  public record Change(Integer slots, String description, Boolean includeDeferred) {}

  /** Creates a pool; false (nothing written) when one of that name exists. */
  public static boolean create(Database db, Pool pool, String who, Instant now) {
    if (!new PoolRepository(db).add(pool)) {
      return false;
    }
    audit(db, "pool.create", pool, who, now);
    return true;
  }

  /**
   * Changes the fields of an existing pool that {@code change} names.
   *
   * @return the pool as it is now; empty when there is no such pool (nothing written)
   */
  public static Optional<Pool> update(
      Database db, String name, Change change, String who, Instant now) {
    PoolRepository pools = new PoolRepository(db);
    Optional<Pool> stored = pools.get(name);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Pool changed = merged(stored.get(), change);
    pools.set(changed);
    audit(db, "pool.update", changed, who, now);
    return Optional.of(changed);
  }

  /** Creates the pool or changes it ({@code pools set}); a new pool needs its slots. */
  public static Pool set(Database db, String name, Change change, String who, Instant now) {
    PoolRepository pools = new PoolRepository(db);
    Optional<Pool> stored = pools.get(name);
    if (stored.isEmpty() && change.slots() == null) {
      throw new InvalidPoolException("pool '" + name + "' does not exist: give its slots");
    }
    Pool changed = merged(stored.orElse(new Pool(name, 0, null, false)), change);
    pools.set(changed);
    audit(db, "pool.set", changed, who, now);
    return changed;
  }

  /**
   * Deletes a pool; false when there is none. {@value Pool#DEFAULT_POOL} cannot be deleted ({@link
   * InvalidPoolException}).
   */
  public static boolean delete(Database db, String name, String who, Instant now) {
    if (!new PoolRepository(db).delete(name)) {
      return false;
    }
    new LogRepository(db)
        .record("pool.delete", null, null, null, who, json(Map.of("pool", name)), now);
    ChangeSignals.announce(db);
    return true;
  }

  private static Pool merged(Pool p, Change c) {
    return new Pool(
        p.name(),
        c.slots() != null ? c.slots() : p.slots(),
        c.description() != null ? emptyIsNone(c.description()) : p.description(),
        c.includeDeferred() != null ? c.includeDeferred() : p.includeDeferred());
  }

  private static String emptyIsNone(String description) {
    return description.isEmpty() ? null : description;
  }

  private static void audit(Database db, String event, Pool p, String who, Instant now) {
    TreeMap<String, Object> extra = new TreeMap<>();
    extra.put("pool", p.name());
    extra.put("slots", p.slots());
    extra.put("include_deferred", p.includeDeferred());
    new LogRepository(db).record(event, null, null, null, who, json(extra), now);
    ChangeSignals.announce(db);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an audit record", e);
    }
  }
}
