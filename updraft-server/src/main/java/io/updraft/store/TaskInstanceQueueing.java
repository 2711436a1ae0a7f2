package io.updraft.store;

import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.SCHEDULED;

import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's critical section on the {@code task_instance} table (DESIGN step 4): the
 * scheduled candidates in queueing order, the slots held per pool, the active task instances per
 * DAG, run and task, and scheduled to queued. The table's other jobs have their own classes ({@link
 * TaskInstanceRows} lists them).
 */
public final class TaskInstanceQueueing {

  /**
   * The critical section's candidates in queueing order: highest priority, then earliest run, then
   * id. Only runs that are running, of DAGs that are not paused (Airflow's filter). The index on
   * (state, priority_weight DESC, run_date, id) lets the engine read just the first few instead of
   * sorting the whole backlog; the paused filter is a join because PostgreSQL misjudges a NOT
   * EXISTS here and sorts everything.
   */
  private static final String SCHEDULED_CANDIDATES =
      "SELECT %s"
          + TaskInstanceRows.prefixed("ti.")
          + """
          , ti.run_date AS candidate_run_date, dr.dag_hash AS candidate_dag_hash
          FROM task_instance ti
          JOIN dag_run dr ON dr.dag_id = ti.dag_id AND dr.run_id = ti.run_id
          LEFT JOIN dag d ON d.dag_id = ti.dag_id
          WHERE ti.state = 'scheduled'
            AND dr.state = 'running'
            AND d.is_paused IS NOT TRUE
          ORDER BY ti.priority_weight DESC, ti.run_date, ti.id
          LIMIT ?
          """;

  /** The candidates of one run, paused or not: what {@code dags test} runs. */
  private static final String SCHEDULED_CANDIDATES_OF_RUN =
      "SELECT %s"
          + TaskInstanceRows.prefixed("ti.")
          + """
          , ti.run_date AS candidate_run_date, dr.dag_hash AS candidate_dag_hash
          FROM task_instance ti
          JOIN dag_run dr ON dr.dag_id = ti.dag_id AND dr.run_id = ti.run_id
          WHERE ti.state = 'scheduled'
            AND dr.state = 'running'
            AND ti.dag_id = ? AND ti.run_id = ?
          ORDER BY ti.priority_weight DESC, ti.id
          LIMIT ?
          """;

  private static final String POOL_OCCUPANCY =
      """
      SELECT pool, state, SUM(pool_slots) AS slots
      FROM task_instance
      WHERE state IN ('queued', 'running', 'deferred')
      GROUP BY pool, state
      """;

  private static final String COUNT_ACTIVE_BY_STATE =
      """
      SELECT state, COUNT(*) AS n
      FROM task_instance
      WHERE state IN ('scheduled', 'queued', 'running', 'deferred')
      GROUP BY state
      """;

  private static final String ACTIVE_COUNTS =
      """
      SELECT dag_id, run_id, task_id, COUNT(*) AS active
      FROM task_instance
      WHERE state IN ('queued', 'running')
      GROUP BY dag_id, run_id, task_id
      """;

  /**
   * One statement for a whole critical section's worth: a batch of single updates is 10x slower.
   */
  private static final String QUEUE =
      """
      UPDATE task_instance
      SET state = 'queued', queued_dttm = ?, queued_by_job_id = ?, updated_at = ?
      WHERE id IN (%s) AND state = 'scheduled'
      """;

  private static final String QUEUED_BY =
      """
      SELECT id
      FROM task_instance
      WHERE id IN (%s) AND state = 'queued' AND queued_by_job_id = ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TaskInstanceRows rows;
  private final LockByIds queueByIds = new LockByIds(QUEUE);
  private final LockByIds queuedBy = new LockByIds(QUEUED_BY);
  private final String candidates;
  private final String candidatesOfRun;

  public TaskInstanceQueueing(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.rows = new TaskInstanceRows(database);
    this.candidates = SCHEDULED_CANDIDATES.formatted(dialect.joinInWrittenOrder());
    this.candidatesOfRun = SCHEDULED_CANDIDATES_OF_RUN.formatted(dialect.joinInWrittenOrder());
  }

  /**
   * Candidates for the critical section (scheduler step 4): scheduled task instances of running
   * runs of unpaused DAGs, highest {@code priority_weight} first, then earliest logical date, then
   * id; at most {@code limit}. Must run inside {@link Database#inTransaction}, after the caller
   * locked the pool rows ({@link PoolRepository#tryLockAll}).
   *
   * <p>No task instance row is locked: the pool rows already keep every other scheduler out of its
   * critical section (DESIGN step 4), and {@link #queue} only queues a candidate still scheduled,
   * so one that a concurrent clear or timeout moved on meanwhile is left out. Locking the
   * candidates too would write every one of them twice on PostgreSQL (the lock marks the tuple)
   * and, with an ordered query, lock every scheduled row on H2 and InnoDB.
   */
  public List<ScheduledTaskInstance> scheduledForQueueing(int limit) {
    return scheduledForQueueing(candidates, ps -> ps.setInt(1, limit));
  }

  /**
   * As {@link #scheduledForQueueing(int)}, but only of one run, and whether its DAG is paused or
   * not (what {@code dags test} runs).
   */
  public List<ScheduledTaskInstance> scheduledForQueueing(String dagId, String runId, int limit) {
    return scheduledForQueueing(
        candidatesOfRun,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setInt(3, limit);
        });
  }

  private List<ScheduledTaskInstance> scheduledForQueueing(String sql, Jdbc.Binder binder) {
    jdbc.requireTransaction("TaskInstanceQueueing.scheduledForQueueing");
    return jdbc.query(
        "reading scheduled task instances",
        sql,
        binder,
        rs ->
            new ScheduledTaskInstance(
                rows.row(rs),
                dialect.getInstant(rs, "candidate_run_date"),
                rs.getString("candidate_dag_hash")));
  }

  /** Queued, running and deferred slots per pool; pools where nothing holds a slot are absent. */
  public Map<String, PoolOccupancy> poolOccupancy() {
    Map<String, int[]> slots = new HashMap<>();
    jdbc.query(
        "counting pool slots",
        POOL_OCCUPANCY,
        Jdbc.Binder.NONE,
        rs -> {
          int[] s = slots.computeIfAbsent(rs.getString("pool"), k -> new int[3]);
          int index =
              switch (rs.getString("state")) {
                case "queued" -> 0;
                case "running" -> 1;
                default -> 2;
              };
          s[index] += rs.getInt("slots");
          return null;
        });
    Map<String, PoolOccupancy> result = new HashMap<>();
    slots.forEach((pool, s) -> result.put(pool, new PoolOccupancy(pool, s[0], s[1], s[2])));
    return result;
  }

  /**
   * How many task instances are scheduled, queued, running and deferred, by state (each of the four
   * present, 0 when none): the API server's cluster-wide gauges.
   */
  public Map<TaskInstanceState, Integer> countActiveByState() {
    Map<TaskInstanceState, Integer> counts = new java.util.EnumMap<>(TaskInstanceState.class);
    for (TaskInstanceState s :
        List.of(SCHEDULED, QUEUED, TaskInstanceState.RUNNING, TaskInstanceState.DEFERRED)) {
      counts.put(s, 0);
    }
    jdbc.query(
        "counting active task instances",
        COUNT_ACTIVE_BY_STATE,
        Jdbc.Binder.NONE,
        rs -> {
          String state = rs.getString("state");
          int n = rs.getInt("n");
          TaskInstanceState.fromId(state).ifPresent(s -> counts.put(s, n));
          return null;
        });
    return counts;
  }

  /** Queued plus running task instances per DAG, per run and per task of a DAG. */
  public ActiveTaskCounts activeCounts() {
    Map<String, Integer> byDag = new HashMap<>();
    Map<ActiveTaskCounts.RunKey, Integer> byRun = new HashMap<>();
    Map<ActiveTaskCounts.DagTaskKey, Integer> byDagTask = new HashMap<>();
    jdbc.query(
        "counting active task instances",
        ACTIVE_COUNTS,
        Jdbc.Binder.NONE,
        rs -> {
          String dagId = rs.getString("dag_id");
          int n = rs.getInt("active");
          byDag.merge(dagId, n, Integer::sum);
          byRun.merge(new ActiveTaskCounts.RunKey(dagId, rs.getString("run_id")), n, Integer::sum);
          byDagTask.merge(
              new ActiveTaskCounts.DagTaskKey(dagId, rs.getString("task_id")), n, Integer::sum);
          return null;
        });
    return new ActiveTaskCounts(byDag, byRun, byDagTask);
  }

  /**
   * Scheduled to queued for many task instances in one batch, recording when and by which scheduler
   * job; returns the ids that changed.
   */
  public Set<Long> queue(List<Long> ids, long jobId, Instant now) {
    TaskInstanceTransitions.check(SCHEDULED, QUEUED);
    Set<Long> changed = new LinkedHashSet<>();
    for (int from = 0; from < ids.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<Long> chunk =
          ids.subList(from, Math.min(ids.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
      int n =
          jdbc.update(
              "queueing task instances",
              queueByIds.sql(chunk.size()),
              ps -> {
                dialect.setInstant(ps, 1, now);
                ps.setLong(2, jobId);
                dialect.setInstant(ps, 3, now);
                queueByIds.bind(ps, 4, chunk);
              });
      Set<Long> distinct = new LinkedHashSet<>(chunk);
      if (n == distinct.size()) {
        changed.addAll(distinct);
      } else {
        // Some had left scheduled meanwhile (the caller did not hold their locks): which ones?
        Set<Long> mine = new java.util.HashSet<>();
        jdbc.query(
            "reading which task instances were queued",
            queuedBy.sql(chunk.size()),
            ps -> {
              int next = queuedBy.bind(ps, 1, chunk);
              ps.setLong(next, jobId);
            },
            rs -> mine.add(rs.getLong("id")));
        distinct.stream().filter(mine::contains).forEach(changed::add);
      }
    }
    return changed;
  }
}
