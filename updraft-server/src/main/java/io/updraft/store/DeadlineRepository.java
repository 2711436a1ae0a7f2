package io.updraft.store;

import java.time.Instant;
import java.util.List;

/**
 * The {@code deadline} table: a run's deadline alert (Airflow 3.1), written with the run. Due rows
 * are found through the index on {@code (state, deadline_at)} — never by scanning runs — locked
 * {@code FOR UPDATE SKIP LOCKED} so two runners never fire one twice, and closed in the same
 * transaction as the callback they cause. Its SQL lives here only.
 */
public final class DeadlineRepository {
  /** A due deadline. */
  public record DueDeadline(
      long id,
      long dagRunId,
      String dagId,
      String runId,
      Instant deadlineAt,
      String callbackJson) {}

  private static final String INSERT =
      """
      INSERT INTO deadline (dag_run_id, dag_id, run_id, deadline_at, callback, state, updated_at)
      VALUES (?, ?, ?, ?, ?, 'pending', ?)
      """;

  private static final String DUE =
      """
      SELECT id, dag_run_id, dag_id, run_id, deadline_at, callback
      FROM deadline
      WHERE state = 'pending' AND deadline_at <= ?
      ORDER BY deadline_at
      LIMIT ?
      FOR UPDATE SKIP LOCKED
      """;

  private static final String CLOSE =
      """
      UPDATE deadline SET state = ?, updated_at = ?
      WHERE id = ? AND state = 'pending'
      """;

  private static final String STATE = "SELECT state FROM deadline WHERE dag_id = ? AND run_id = ?";

  private final Jdbc jdbc;
  private final Dialect dialect;

  public DeadlineRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** Records the deadline of a new run, in the caller's transaction. */
  public void add(
      long dagRunId,
      String dagId,
      String runId,
      Instant deadlineAt,
      String callbackJson,
      Instant now) {
    jdbc.update(
        "recording the deadline of run " + runId,
        INSERT,
        ps -> {
          ps.setLong(1, dagRunId);
          ps.setString(2, dagId);
          ps.setString(3, runId);
          dialect.setInstant(ps, 4, deadlineAt);
          ps.setString(5, callbackJson);
          dialect.setInstant(ps, 6, now);
        });
  }

  /**
   * The pending deadlines due at {@code now}, locked until the caller's transaction ends (which
   * must {@link #close} each).
   */
  public List<DueDeadline> lockDue(Instant now, int limit) {
    jdbc.requireTransaction("finding due deadlines");
    return jdbc.query(
        "finding due deadlines",
        DUE,
        ps -> {
          dialect.setInstant(ps, 1, now);
          ps.setInt(2, limit);
        },
        rs ->
            new DueDeadline(
                rs.getLong("id"),
                rs.getLong("dag_run_id"),
                rs.getString("dag_id"),
                rs.getString("run_id"),
                dialect.getInstant(rs, "deadline_at"),
                rs.getString("callback")));
  }

  /** Closes a due deadline: {@code fired} (its callback was written) or {@code met}. */
  public boolean close(long id, boolean fired, Instant now) {
    return jdbc.update(
            "closing deadline id=" + id,
            CLOSE,
            ps -> {
              ps.setString(1, fired ? "fired" : "met");
              dialect.setInstant(ps, 2, now);
              ps.setLong(3, id);
            })
        > 0;
  }

  /** The state of a run's deadline (pending, fired, met), or null when it has none. */
  /** Deletes the deadline of a run being deleted; returns how many rows (0 or 1). */
  public int deleteForRun(String dagId, String runId) {
    return jdbc.update(
        "deleting the deadline of run " + runId,
        "DELETE FROM deadline WHERE dag_id = ? AND run_id = ?",
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        });
  }

  public String state(String dagId, String runId) {
    return jdbc.queryOne(
            "reading the deadline of run " + runId,
            STATE,
            ps -> {
              ps.setString(1, dagId);
              ps.setString(2, runId);
            },
            rs -> rs.getString(1))
        .orElse(null);
  }
}
