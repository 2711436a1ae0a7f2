package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every class of the {@code task_instance} table shares: its column list, the mapping of a row
 * to {@link TaskInstanceRow}, and reading many rows by id. The table's SQL is split by job, each
 * class holding the statements of its job, all in this package:
 *
 * <ul>
 *   <li>{@link TaskInstanceRepository}: creating the rows of a run, reading them, the scheduler's
 *       and a user's state changes, clearing;
 *   <li>{@link TaskInstanceQueueing}: the scheduler's critical section (candidates, pool and
 *       concurrency counts, queueing);
 *   <li>{@link TaskInstanceTries}: a worker's tries (start, heartbeat, finish) and their history in
 *       {@code task_instance_history};
 *   <li>{@link TaskInstanceDeferrals}: deferral to the triggerer and its end, and a reschedule-mode
 *       sensor's checks in {@code task_reschedule};
 *   <li>{@link StuckTaskInstances}: finding task instances nobody will move on (no heartbeat,
 *       orphaned or stuck in queued) and rescheduling queued ones.
 * </ul>
 */
final class TaskInstanceRows {
  static final String COLUMNS =
      """
      id, dag_id, run_id, task_id, map_index, state, try_number, max_tries, priority_weight, pool,
      pool_slots, queue, operator, start_date, end_date, duration, hostname, pid, queued_dttm,
      queued_by_job_id, last_heartbeat_at, next_retry_at, updated_at
      """;

  private static final String GET = "SELECT " + COLUMNS + " FROM task_instance WHERE id = ?";

  private static final String GET_ALL =
      "SELECT " + COLUMNS + " FROM task_instance WHERE id IN (%s)";

  /** Ids per statement: well within every engine's limit on parameters. */
  static final int IDS_PER_STATEMENT = 1024;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds getAll = new LockByIds(GET_ALL);

  TaskInstanceRows(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  Optional<TaskInstanceRow> get(long id) {
    return jdbc.queryOne("reading task instance id=" + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  List<TaskInstanceRow> getAll(List<Long> ids) {
    List<TaskInstanceRow> out = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
      out.addAll(
          jdbc.query(
              "reading task instances",
              getAll.sql(chunk.size()),
              ps -> getAll.bind(ps, 1, chunk),
              this::row));
    }
    return out;
  }

  /** {@link #COLUMNS} with a table alias, for queries that join. */
  static String prefixed(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(","))
        .map(String::strip)
        .map(c -> alias + c)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  static Set<Long> collectChanged(List<Long> ids, int[] counts, Set<Long> into) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        into.add(ids.get(i));
      }
    }
    return into;
  }

  static TaskInstanceState state(String id) {
    return TaskInstanceState.fromId(id)
        .orElseThrow(() -> new IllegalStateException("unknown task_instance state " + id));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  TaskInstanceRow row(ResultSet rs) throws SQLException {
    int pid = rs.getInt("pid");
    Integer pidOrNull = rs.wasNull() ? null : pid;
    return new TaskInstanceRow(
        rs.getLong("id"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        rs.getString("task_id"),
        rs.getInt("map_index"),
        state(rs.getString("state")),
        rs.getInt("try_number"),
        rs.getInt("max_tries"),
        rs.getInt("priority_weight"),
        rs.getString("pool"),
        rs.getInt("pool_slots"),
        rs.getString("queue"),
        rs.getString("operator"),
        dialect.getInstant(rs, "start_date"),
        dialect.getInstant(rs, "end_date"),
        (Double) rs.getObject("duration", Double.class),
        rs.getString("hostname"),
        pidOrNull,
        dialect.getInstant(rs, "queued_dttm"),
        nullableLong(rs, "queued_by_job_id"),
        dialect.getInstant(rs, "last_heartbeat_at"),
        dialect.getInstant(rs, "next_retry_at"),
        dialect.getInstant(rs, "updated_at"));
  }
}
