package io.updraft.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The slots task instances hold or wait for in each pool, by state, as Airflow's pool listing shows
 * them: scheduled, queued, running and deferred. What the REST API and UI read; the scheduler's
 * critical section counts its own ({@link TaskInstanceQueueing#poolOccupancy}), under its locks.
 */
public final class PoolUsage {
  /** Slots of one pool by state. */
  public record Slots(int scheduled, int queued, int running, int deferred) {
    public static final Slots NONE = new Slots(0, 0, 0, 0);
  }

  private static final String SLOTS =
      """
      SELECT pool, state, SUM(pool_slots) AS slots
      FROM task_instance
      WHERE state IN ('scheduled', 'queued', 'running', 'deferred')
      GROUP BY pool, state
      """;

  private final Jdbc jdbc;

  public PoolUsage(Database database) {
    this.jdbc = database.jdbc();
  }

  /** Slots per pool; a pool nothing uses is absent. */
  public Map<String, Slots> byPool() {
    Map<String, int[]> counts = new HashMap<>();
    jdbc.query(
        "counting the slots of each pool",
        SLOTS,
        Jdbc.Binder.NONE,
        rs -> {
          int[] c = counts.computeIfAbsent(rs.getString("pool"), k -> new int[4]);
          int index =
              switch (rs.getString("state")) {
                case "scheduled" -> 0;
                case "queued" -> 1;
                case "running" -> 2;
                default -> 3;
              };
          c[index] += rs.getInt("slots");
          return null;
        });
    Map<String, Slots> result = new HashMap<>();
    counts.forEach((pool, c) -> result.put(pool, new Slots(c[0], c[1], c[2], c[3])));
    return result;
  }
}
