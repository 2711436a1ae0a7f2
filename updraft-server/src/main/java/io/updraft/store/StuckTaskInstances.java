package io.updraft.store;

import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.SCHEDULED;

import io.updraft.state.TaskInstanceTransitions;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Task instances nobody will move on, for the scheduler's detectors (step 5): running without a
 * recent heartbeat, queued by a scheduler that ended, or queued for too long; and queued back to
 * scheduled. The table's other jobs have their own classes ({@link TaskInstanceRows} lists them).
 */
public final class StuckTaskInstances {
  private static final String STALE_RUNNING =
      "SELECT "
          + TaskInstanceRows.COLUMNS
          + """
          FROM task_instance
          WHERE state IN ('running', 'restarting') AND last_heartbeat_at < ?
          ORDER BY id
          LIMIT ?
          """;

  private static final String ORPHANED_QUEUED =
      "SELECT "
          + TaskInstanceRows.COLUMNS
          + """
          FROM task_instance
          WHERE state = 'queued'
            AND EXISTS (SELECT 1 FROM job
                        WHERE job.id = task_instance.queued_by_job_id AND job.state <> 'running')
          ORDER BY id
          LIMIT ?
          """;

  private static final String STUCK_QUEUED =
      "SELECT "
          + TaskInstanceRows.COLUMNS
          + """
          FROM task_instance
          WHERE state = 'queued' AND queued_dttm < ?
          ORDER BY id
          LIMIT ?
          """;

  private static final String RESET_TO_SCHEDULED =
      """
      UPDATE task_instance
      SET state = 'scheduled', queued_dttm = NULL, queued_by_job_id = NULL,
          external_executor_id = NULL, updated_at = ?
      WHERE id = ? AND state = 'queued'
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TaskInstanceRows rows;

  public StuckTaskInstances(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.rows = new TaskInstanceRows(database);
  }

  /** Running or restarting task instances whose last heartbeat is older than {@code before}. */
  public List<TaskInstanceRow> staleRunning(Instant before, int limit) {
    return jdbc.query(
        "finding task instances without heartbeat",
        STALE_RUNNING,
        ps -> {
          dialect.setInstant(ps, 1, before);
          ps.setInt(2, limit);
        },
        rows::row);
  }

  /**
   * Queued task instances whose scheduler job has ended (stopped, or failed for lack of heartbeat):
   * nobody will run them.
   */
  public List<TaskInstanceRow> orphanedQueued(int limit) {
    return jdbc.query(
        "finding queued task instances of ended schedulers",
        ORPHANED_QUEUED,
        ps -> ps.setInt(1, limit),
        rows::row);
  }

  /** Task instances queued before {@code before} and still queued. */
  public List<TaskInstanceRow> stuckQueued(Instant before, int limit) {
    return jdbc.query(
        "finding task instances stuck in queued",
        STUCK_QUEUED,
        ps -> {
          dialect.setInstant(ps, 1, before);
          ps.setInt(2, limit);
        },
        rows::row);
  }

  /**
   * Queued back to scheduled (stuck in queued: another executor may take it); forgets which job
   * queued it. Returns the ids that changed.
   */
  public Set<Long> resetToScheduled(List<Long> ids, Instant now) {
    TaskInstanceTransitions.check(QUEUED, SCHEDULED);
    int[] counts =
        jdbc.batch(
            "rescheduling task instances stuck in queued",
            RESET_TO_SCHEDULED,
            ids,
            (ps, id) -> {
              dialect.setInstant(ps, 1, now);
              ps.setLong(2, id);
            });
    return TaskInstanceRows.collectChanged(ids, counts, new LinkedHashSet<>());
  }
}
