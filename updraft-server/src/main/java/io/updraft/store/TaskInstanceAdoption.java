package io.updraft.store;

import java.time.Instant;
import java.util.List;

/**
 * What an executor whose tries run outside its JVM (the kubernetes executor's pods) needs of the
 * {@code task_instance} table: the instances of its tries read in one statement, and a queued
 * instance taken over from a scheduler that ended, so the orphan reset leaves it queued (its pod is
 * already there and will start the try). The table's other jobs have their own classes ({@link
 * TaskInstanceRows} lists them).
 */
public final class TaskInstanceAdoption {
  private static final String ADOPT_QUEUED =
      """
      UPDATE task_instance SET queued_by_job_id = ?, updated_at = ?
      WHERE id = ? AND state = 'queued' AND try_number = ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TaskInstanceRows rows;

  public TaskInstanceAdoption(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.rows = new TaskInstanceRows(database);
  }

  /** The task instances of these ids that still exist, in no particular order. */
  public List<TaskInstanceRow> getAll(List<Long> ids) {
    return ids.isEmpty() ? List.of() : rows.getAll(ids);
  }

  /**
   * Makes job {@code jobId} the queuer of a task instance still queued for try {@code
   * queuedTryNumber + 1}; false when it has moved on (started, reset, cleared).
   */
  public boolean adoptQueued(long id, int queuedTryNumber, long jobId, Instant now) {
    return jdbc.update(
            "adopting queued task instance id=" + id,
            ADOPT_QUEUED,
            ps -> {
              ps.setLong(1, jobId);
              dialect.setInstant(ps, 2, now);
              ps.setLong(3, id);
              ps.setInt(4, queuedTryNumber);
            })
        > 0;
  }
}
