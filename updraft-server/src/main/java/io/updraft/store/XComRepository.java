package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code xcom} table: values tasks pass to each other, as JSON, keyed like Airflow 2.10 by run,
 * task, map index and key. A task's values are replaced when it pushes the same key again and
 * cleared when a new try starts.
 */
public final class XComRepository {
  /** Airflow's key for a task's return value. */
  public static final String RETURN_VALUE = "return_value";

  private static final String GET =
      """
      SELECT xcom_value
      FROM xcom
      WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ? AND xcom_key = ?
      """;

  private static final String KEYS =
      """
      SELECT xcom_key
      FROM xcom
      WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ?
      ORDER BY xcom_key
      """;

  private static final String CLEAR_FOR_TASK =
      """
      DELETE FROM xcom
      WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final String upsert;

  public XComRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.upsert =
        dialect.upsert(
            "xcom",
            List.of("dag_run_id", "task_id", "map_index", "xcom_key"),
            List.of(
                "dag_run_id",
                "task_id",
                "map_index",
                "xcom_key",
                "dag_id",
                "run_id",
                "xcom_value",
                "timestamp"));
  }

  /** Stores (or replaces) a value of an unmapped task. */
  public void put(
      long dagRunId,
      String dagId,
      String runId,
      String taskId,
      String key,
      String valueJson,
      Instant now) {
    put(dagRunId, dagId, runId, taskId, -1, key, valueJson, now);
  }

  /** Stores (or replaces) a value. */
  public void put(
      long dagRunId,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      String key,
      String valueJson,
      Instant now) {
    put(new Value(dagRunId, dagId, runId, taskId, mapIndex, key, valueJson), now);
  }

  /** Stores (or replaces) a value. */
  public void put(Value v, Instant now) {
    jdbc.update(
        "storing XCom '" + v.key() + "' of " + describe(v.dagId(), v.runId(), v.taskId()),
        upsert,
        ps -> bind(ps, v, now));
  }

  /** A value for {@link #putAll}. */
  public record Value(
      long dagRunId,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      String key,
      String valueJson) {}

  /** {@link #put} for many values, in one JDBC batch (one round trip). */
  public void putAll(List<Value> values, Instant now) {
    jdbc.batch("storing " + values.size() + " XComs", upsert, values, (ps, v) -> bind(ps, v, now));
  }

  private void bind(PreparedStatement ps, Value v, Instant now) throws SQLException {
    ps.setLong(1, v.dagRunId());
    ps.setString(2, v.taskId());
    ps.setInt(3, v.mapIndex());
    ps.setString(4, v.key());
    ps.setString(5, v.dagId());
    ps.setString(6, v.runId());
    ps.setString(7, v.valueJson());
    dialect.setInstant(ps, 8, now);
  }

  /** The JSON value of an unmapped task's key, if pushed. */
  public Optional<String> get(String dagId, String runId, String taskId, String key) {
    return get(dagId, runId, taskId, -1, key);
  }

  public Optional<String> get(String dagId, String runId, String taskId, int mapIndex, String key) {
    return jdbc.queryOne(
        "reading XCom '" + key + "' of " + describe(dagId, runId, taskId),
        GET,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setString(3, taskId);
          ps.setInt(4, mapIndex);
          ps.setString(5, key);
        },
        rs -> rs.getString("xcom_value"));
  }

  /** The keys a task instance pushed, sorted. */
  public List<String> keys(String dagId, String runId, String taskId, int mapIndex) {
    return jdbc.query(
        "listing the XComs of " + describe(dagId, runId, taskId),
        KEYS,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setString(3, taskId);
          ps.setInt(4, mapIndex);
        },
        rs -> rs.getString("xcom_key"));
  }

  /** One stored value with its key and when it was written. */
  public record Entry(String key, String valueJson, Instant timestamp) {}

  /** The values of a task instance, by key. */
  public List<Entry> entries(String dagId, String runId, String taskId, int mapIndex) {
    return jdbc.query(
        "listing the XComs of " + describe(dagId, runId, taskId),
        """
        SELECT xcom_key, xcom_value, timestamp
        FROM xcom
        WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ?
        ORDER BY xcom_key
        """,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setString(3, taskId);
          ps.setInt(4, mapIndex);
        },
        rs ->
            new Entry(
                rs.getString("xcom_key"),
                rs.getString("xcom_value"),
                dialect.getInstant(rs, "timestamp")));
  }

  /**
   * Deletes every value of an unmapped task instance (a new try starts clean); returns how many.
   */
  public int clearForTask(String dagId, String runId, String taskId) {
    return clearForTask(dagId, runId, taskId, -1);
  }

  public int clearForTask(String dagId, String runId, String taskId, int mapIndex) {
    return jdbc.update(
        "clearing the XComs of " + describe(dagId, runId, taskId),
        CLEAR_FOR_TASK,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setString(3, taskId);
          ps.setInt(4, mapIndex);
        });
  }

  private static String describe(String dagId, String runId, String taskId) {
    return "dag_id=" + dagId + " run_id=" + runId + " task_id=" + taskId;
  }
}
