package io.updraft.store;

import java.time.Instant;
import java.util.List;

/**
 * What the web UI's live feed reads: the task instances and runs whose {@code updated_at} is at or
 * after a watermark, in one statement over both tables (every state change sets {@code
 * updated_at}). Ordered by {@code updated_at} and bounded, so a burst is read in slices.
 */
public final class StateFeed {
  /**
   * A task instance's or a run's state as it is now.
   *
   * @param taskId null for a run
   * @param mapIndex -1 for an unmapped task instance; meaningless for a run
   * @param state Airflow's name ({@code none} for a task instance not yet scheduled)
   */
  public record Change(
      String dagId, String runId, String taskId, int mapIndex, String state, Instant updatedAt) {
    public boolean isRun() {
      return taskId == null;
    }
  }

  private static final String CHANGED_SINCE =
      """
      SELECT dag_id, run_id, task_id, map_index, state, updated_at
      FROM task_instance
      WHERE updated_at >= ?
      UNION ALL
      SELECT dag_id, run_id, NULL, -1, state, updated_at
      FROM dag_run
      WHERE updated_at >= ?
      ORDER BY updated_at
      LIMIT ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public StateFeed(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** The changes at or after {@code since}, oldest first, at most {@code limit}. */
  public List<Change> since(Instant since, int limit) {
    return jdbc.query(
        "reading the states changed since " + since,
        CHANGED_SINCE,
        ps -> {
          dialect.setInstant(ps, 1, since);
          dialect.setInstant(ps, 2, since);
          ps.setInt(3, limit);
        },
        rs -> {
          String state = rs.getString("state");
          return new Change(
              rs.getString("dag_id"),
              rs.getString("run_id"),
              rs.getString("task_id"),
              rs.getInt("map_index"),
              state == null ? "none" : state,
              dialect.getInstant(rs, "updated_at"));
        });
  }
}
