package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The audit {@code log}: who did what to which DAG, run or task, newest first when read. */
public final class LogRepository {
  private static final String INSERT =
      """
      INSERT INTO log (dttm, event, dag_id, task_id, run_id, owner, extra)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String RECENT =
      """
      SELECT id, dttm, event, dag_id, task_id, run_id, owner, extra
      FROM log
      ORDER BY dttm DESC, id DESC
      LIMIT ?
      """;

  private static final String RECENT_FOR_DAG =
      """
      SELECT id, dttm, event, dag_id, task_id, run_id, owner, extra
      FROM log
      WHERE dag_id = ?
      ORDER BY dttm DESC, id DESC
      LIMIT ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public LogRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /**
   * Records an action; returns its id. Any of dagId, taskId, runId, owner, extraJson may be null.
   */
  public long record(
      String event,
      String dagId,
      String taskId,
      String runId,
      String owner,
      String extraJson,
      Instant now) {
    return jdbc.insertReturningId(
        "recording audit event '" + event + "'",
        INSERT,
        ps -> {
          dialect.setInstant(ps, 1, now);
          ps.setString(2, event);
          ps.setString(3, dagId);
          ps.setString(4, taskId);
          ps.setString(5, runId);
          ps.setString(6, owner);
          ps.setString(7, extraJson);
        });
  }

  /** The latest {@code limit} events, newest first. */
  public List<LogRow> recent(int limit) {
    return jdbc.query("reading the audit log", RECENT, ps -> ps.setInt(1, limit), this::row);
  }

  /** The latest {@code limit} events of one DAG, newest first. */
  public List<LogRow> recentForDag(String dagId, int limit) {
    return jdbc.query(
        "reading the audit log of DAG '" + dagId + "'",
        RECENT_FOR_DAG,
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, limit);
        },
        this::row);
  }

  private LogRow row(ResultSet rs) throws SQLException {
    return new LogRow(
        rs.getLong("id"),
        dialect.getInstant(rs, "dttm"),
        rs.getString("event"),
        rs.getString("dag_id"),
        rs.getString("task_id"),
        rs.getString("run_id"),
        rs.getString("owner"),
        rs.getString("extra"));
  }
}
