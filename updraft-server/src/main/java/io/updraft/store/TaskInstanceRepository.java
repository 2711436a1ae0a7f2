package io.updraft.store;

import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.RESTARTING;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;

import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code task_instance} table and, for finished tries, {@code task_instance_history}.
 *
 * <p>Every state write goes through {@link TaskInstanceTransitions} and is guarded in SQL by the
 * state the caller saw: {@code WHERE id = ? AND state = ?}, or {@code state IS NULL} for {@link
 * TaskInstanceState#NONE} (a separate statement: {@code state = NULL} is never true). A write that
 * changes no row lost a race to another scheduler, a worker or a user; methods report which rows
 * changed and the caller skips the others. Writes of a loop are JDBC batches.
 */
public final class TaskInstanceRepository {
  private static final String COLUMNS =
      """
      id, dag_id, run_id, task_id, map_index, state, try_number, max_tries, priority_weight, pool,
      pool_slots, queue, operator, start_date, end_date, duration, hostname, pid, queued_dttm,
      queued_by_job_id, last_heartbeat_at, next_retry_at, updated_at
      """;

  private static final String INSERT =
      """
      INSERT INTO task_instance (dag_id, run_id, task_id, map_index, state, try_number, max_tries,
                                 priority_weight, pool, pool_slots, queue, operator, updated_at,
                                 run_date)
      VALUES (?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String GET = "SELECT " + COLUMNS + " FROM task_instance WHERE id = ?";

  private static final String RUN_DATE =
      """
      SELECT COALESCE(logical_date, run_after) AS run_date
      FROM dag_run
      WHERE dag_id = ? AND run_id = ?
      """;

  private static final String LIST_FOR_RUN =
      "SELECT " + COLUMNS + " FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY id";

  // Four texts for one write: the guard differs for NONE, and a finishing state also stamps the
  // dates (Airflow's set_state: start_date if never started, end_date now).
  private static final String SET_STATE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  private static final String SET_STATE_FROM_NONE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?
      WHERE id = ? AND state IS NULL
      """;

  private static final String SET_FINISHED =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?, start_date = COALESCE(start_date, ?), end_date = ?
      WHERE id = ? AND state = ?
      """;

  private static final String SET_FINISHED_FROM_NONE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?, start_date = COALESCE(start_date, ?), end_date = ?
      WHERE id = ? AND state IS NULL
      """;

  /**
   * The critical section's candidates in queueing order: highest priority, then earliest run, then
   * id. Only runs that are running, of DAGs that are not paused (Airflow's filter). The index on
   * (state, priority_weight DESC, run_date, id) lets the engine read just the first few instead of
   * sorting the whole backlog; the paused filter is a join because PostgreSQL misjudges a NOT
   * EXISTS here and sorts everything.
   */
  private static final String SCHEDULED_CANDIDATES =
      "SELECT %s"
          + prefixed("ti.")
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
          + prefixed("ti.")
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

  /** Ids per statement: well within every engine's limit on parameters. */
  private static final int IDS_PER_STATEMENT = 1024;

  private static final String START =
      """
      UPDATE task_instance
      SET state = 'running', try_number = try_number + 1, start_date = ?, end_date = NULL,
          duration = NULL, last_heartbeat_at = ?, hostname = ?, pid = ?, next_retry_at = NULL,
          updated_at = ?
      WHERE id = ? AND state = 'queued'
      """;

  private static final String START_ALL =
      """
      UPDATE task_instance
      SET state = 'running', try_number = try_number + 1, start_date = ?, end_date = NULL,
          duration = NULL, last_heartbeat_at = ?, hostname = ?, pid = ?, next_retry_at = NULL,
          updated_at = ?
      WHERE id IN (%s) AND state = 'queued'
      """;

  private static final String GET_ALL =
      "SELECT " + COLUMNS + " FROM task_instance WHERE id IN (%s)";

  private static final String HEARTBEAT =
      """
      UPDATE task_instance
      SET last_heartbeat_at = ?
      WHERE id = ? AND state = 'running'
      """;

  /** try_number in the guard too: the history row written next must describe this very try. */
  private static final String FINISH =
      """
      UPDATE task_instance
      SET state = ?, end_date = ?, duration = ?, next_retry_at = ?, updated_at = ?
      WHERE id = ? AND state = ? AND try_number = ?
      """;

  private static final String INSERT_HISTORY =
      """
      INSERT INTO task_instance_history (
          task_instance_id, dag_id, run_id, task_id, map_index, try_number, state, max_tries,
          priority_weight, pool, pool_slots, queue, operator, start_date, end_date, duration,
          hostname, pid, queued_dttm, queued_by_job_id, job_id, external_executor_id, updated_at)
      SELECT id, dag_id, run_id, task_id, map_index, try_number, state, max_tries,
             priority_weight, pool, pool_slots, queue, operator, start_date, end_date, duration,
             hostname, pid, queued_dttm, queued_by_job_id, job_id, external_executor_id, updated_at
      FROM task_instance
      WHERE id = ?
      """;

  /** History rows of the tries a bulk finish just ended (and only those: state and end match). */
  private static final String INSERT_HISTORY_ALL =
      INSERT_HISTORY.replace("id = ?", "id IN (%s) AND state = ? AND end_date = ?");

  private static final String HISTORY =
      """
      SELECT task_instance_id, try_number, state, start_date, end_date, duration, hostname
      FROM task_instance_history
      WHERE task_instance_id = ?
      ORDER BY try_number
      """;

  private static final String STALE_RUNNING =
      "SELECT "
          + COLUMNS
          + """
          FROM task_instance
          WHERE state IN ('running', 'restarting') AND last_heartbeat_at < ?
          ORDER BY id
          LIMIT ?
          """;

  private static final String ORPHANED_QUEUED =
      "SELECT "
          + COLUMNS
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
          + COLUMNS
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

  private static final String RESET_TO_NONE =
      """
      UPDATE task_instance
      SET state = NULL, max_tries = COALESCE(?, max_tries), next_retry_at = NULL,
          queued_by_job_id = NULL, external_executor_id = NULL, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  /** A try that finished, as {@code task_instance_history} keeps it. */
  public record Try(
      long taskInstanceId,
      int tryNumber,
      TaskInstanceState state,
      Instant startDate,
      Instant endDate,
      Double duration,
      String hostname) {}

  /**
   * A task instance to put back to none (a clear or an orphan reset).
   *
   * @param maxTries the new {@code max_tries} (a clear grants the task's retries again: {@code
   *     try_number + retries}); null keeps it
   */
  public record Reset(long id, TaskInstanceState from, Integer maxTries) {}

  private static final Set<TaskInstanceState> TRY_ENDS =
      Set.of(SUCCESS, FAILED, SKIPPED, UP_FOR_RETRY);

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds queueByIds = new LockByIds(QUEUE);
  private final LockByIds queuedBy = new LockByIds(QUEUED_BY);
  private final LockByIds startAll = new LockByIds(START_ALL);
  private final LockByIds getAll = new LockByIds(GET_ALL);
  private final LockByIds insertHistoryAll = new LockByIds(INSERT_HISTORY_ALL);
  private final LockByIds finishAll;
  private final String candidates;
  private final String candidatesOfRun;

  /** Ends many running tries alike in one statement, their durations computed by the engine. */
  private static final String FINISH_ALL =
      """
      UPDATE task_instance
      SET state = ?, end_date = ?, duration = %s, next_retry_at = ?, updated_at = ?
      WHERE id IN (%%s) AND state = 'running'
      """;

  public TaskInstanceRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.finishAll = new LockByIds(FINISH_ALL.formatted(dialect.secondsSince("start_date")));
    this.candidates = SCHEDULED_CANDIDATES.formatted(dialect.joinInWrittenOrder());
    this.candidatesOfRun = SCHEDULED_CANDIDATES_OF_RUN.formatted(dialect.joinInWrittenOrder());
  }

  /** Creates the task instances of a new run, state none, in one batch. */
  public void createForRun(String dagId, String runId, List<NewTaskInstance> tasks, Instant now) {
    Instant runDate =
        jdbc.queryOne(
                "reading the date of " + DagRunRepository.describe(dagId, runId),
                RUN_DATE,
                ps -> {
                  ps.setString(1, dagId);
                  ps.setString(2, runId);
                },
                rs -> dialect.getInstant(rs, "run_date"))
            .orElse(null);
    jdbc.batch(
        "creating the task instances of " + DagRunRepository.describe(dagId, runId),
        INSERT,
        tasks,
        (ps, t) -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
          ps.setString(3, t.taskId());
          ps.setInt(4, t.mapIndex());
          ps.setInt(5, t.maxTries());
          ps.setInt(6, t.priorityWeight());
          ps.setString(7, t.pool());
          ps.setInt(8, t.poolSlots());
          ps.setString(9, t.queue());
          ps.setString(10, t.operator());
          dialect.setInstant(ps, 11, now);
          dialect.setInstant(ps, 12, runDate);
        });
  }

  public Optional<TaskInstanceRow> get(long id) {
    return jdbc.queryOne("reading task instance id=" + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  /** The task instances of a run, in creation order. */
  public List<TaskInstanceRow> listForRun(String dagId, String runId) {
    return jdbc.query(
        "listing the task instances of " + DagRunRepository.describe(dagId, runId),
        LIST_FOR_RUN,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        },
        this::row);
  }

  /**
   * Applies many guarded state changes in (at most four) batches; returns the ids that changed.
   * Every change is checked against the transition table before anything is written. A finishing
   * state (success, failed, skipped, upstream_failed, removed) also sets {@code end_date} to {@code
   * now} and {@code start_date} if it had none, as Airflow does for tasks that never ran.
   *
   * @throws io.updraft.state.IllegalTransitionException for a change the table does not allow
   */
  public Set<Long> setStates(List<StateChange> changes, Instant now) {
    for (StateChange c : changes) {
      TaskInstanceTransitions.check(c.from(), c.to(), "task_instance id=" + c.id());
    }
    Map<String, List<StateChange>> bySql = new HashMap<>();
    for (StateChange c : changes) {
      boolean finished = c.to().isFinished();
      String sql =
          c.from() == NONE
              ? (finished ? SET_FINISHED_FROM_NONE : SET_STATE_FROM_NONE)
              : (finished ? SET_FINISHED : SET_STATE);
      bySql.computeIfAbsent(sql, k -> new ArrayList<>()).add(c);
    }
    Set<Long> changed = new LinkedHashSet<>();
    for (Map.Entry<String, List<StateChange>> e : bySql.entrySet()) {
      String sql = e.getKey();
      List<StateChange> batch = e.getValue();
      boolean finished = batch.get(0).to().isFinished();
      int[] counts =
          jdbc.batch(
              "setting task instance states",
              sql,
              batch,
              (ps, c) -> {
                int i = 1;
                ps.setString(i++, c.to().id());
                dialect.setInstant(ps, i++, now);
                if (finished) {
                  dialect.setInstant(ps, i++, now);
                  dialect.setInstant(ps, i++, now);
                }
                ps.setLong(i++, c.id());
                if (c.from() != NONE) {
                  ps.setString(i, c.from().id());
                }
              });
      collectChanged(batch.stream().map(StateChange::id).toList(), counts, changed);
    }
    return changed;
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
    jdbc.requireTransaction("TaskInstanceRepository.scheduledForQueueing");
    return jdbc.query(
        "reading scheduled task instances",
        sql,
        binder,
        rs ->
            new ScheduledTaskInstance(
                row(rs),
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
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
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

  /**
   * Queued to running: a worker starts the next try ({@code try_number + 1}), recording its host,
   * pid and first heartbeat. False when the task instance was not queued.
   */
  public boolean start(long id, String hostname, int pid, Instant now) {
    TaskInstanceTransitions.check(QUEUED, RUNNING, "task_instance id=" + id);
    return jdbc.update(
            "starting task instance id=" + id,
            START,
            ps -> {
              dialect.setInstant(ps, 1, now);
              dialect.setInstant(ps, 2, now);
              ps.setString(3, hostname);
              ps.setInt(4, pid);
              dialect.setInstant(ps, 5, now);
              ps.setLong(6, id);
            })
        > 0;
  }

  /**
   * Records a heartbeat of many running task instances in one batch; returns those still running (a
   * missing id was finished, cleared or reset: its worker should stop).
   */
  public Set<Long> heartbeat(List<Long> ids, Instant now) {
    int[] counts =
        jdbc.batch(
            "recording task heartbeats",
            HEARTBEAT,
            ids,
            (ps, id) -> {
              dialect.setInstant(ps, 1, now);
              ps.setLong(2, id);
            });
    return collectChanged(ids, counts, new LinkedHashSet<>());
  }

  /**
   * Ends the current try of a task instance and, in the same transaction, records it in {@code
   * task_instance_history}. False (nothing written) when the task instance is not in {@code from}.
   *
   * @param from running, or restarting (a cleared task whose worker stopped it)
   * @param to success, failed, skipped or up_for_retry
   * @param nextRetryAt when an up_for_retry task may be scheduled again; null otherwise
   */
  public boolean finish(
      long id, TaskInstanceState from, TaskInstanceState to, Instant now, Instant nextRetryAt) {
    return finishTry(id, 0, from, to, now, nextRetryAt);
  }

  /**
   * As {@link #finish}, but only if the instance is still at try {@code tryNumber}: a try that
   * outlived its instance (cleared, declared dead, and started again as a later try) must not end
   * the later try. {@code tryNumber} 0: whichever try is current.
   */
  public boolean finishTry(
      long id,
      int tryNumber,
      TaskInstanceState from,
      TaskInstanceState to,
      Instant now,
      Instant nextRetryAt) {
    if ((from != RUNNING && from != RESTARTING) || !TRY_ENDS.contains(to)) {
      throw new IllegalArgumentException(
          "finish ends a started try (running or restarting -> success, failed, skipped or"
              + " up_for_retry), not "
              + from.id()
              + " -> "
              + to.id()
              + ": use setStates for other changes");
    }
    TaskInstanceTransitions.check(from, to, "task_instance id=" + id);
    return jdbc.inTransaction(
        () -> {
          Optional<TaskInstanceRow> current = get(id);
          if (current.isEmpty()
              || current.get().state() != from
              || (tryNumber != 0 && current.get().tryNumber() != tryNumber)) {
            return false;
          }
          TaskInstanceRow ti = current.get();
          Double duration =
              ti.startDate() == null
                  ? null
                  : Duration.between(ti.startDate(), Dialect.micros(now)).toNanos() / 1e9;
          int changed =
              jdbc.update(
                  "finishing task instance id=" + id,
                  FINISH,
                  ps -> {
                    ps.setString(1, to.id());
                    dialect.setInstant(ps, 2, now);
                    setDouble(ps, 3, duration);
                    dialect.setInstant(ps, 4, nextRetryAt);
                    dialect.setInstant(ps, 5, now);
                    ps.setLong(6, id);
                    ps.setString(7, from.id());
                    ps.setInt(8, ti.tryNumber());
                  });
          if (changed == 0) {
            return false;
          }
          jdbc.update(
              "recording try " + ti.tryNumber() + " of task instance id=" + id,
              INSERT_HISTORY,
              ps -> ps.setLong(1, id));
          return true;
        });
  }

  private static final String GRANT_TRY =
      "UPDATE task_instance SET max_tries = max_tries + 1 WHERE id = ? AND state = 'up_for_retry'";

  /**
   * Hands back a try that a stopping scheduler ended (decisions/0042): running to up_for_retry, due
   * at once, with one more try granted so the interrupted try costs no retry; its history row is
   * written as for any ended try. False (nothing written) when the instance is no longer running
   * this try.
   */
  public boolean handBack(long id, int tryNumber, Instant now) {
    return jdbc.inTransaction(
        () -> {
          if (!finishTry(id, tryNumber, RUNNING, UP_FOR_RETRY, now, now)) {
            return false;
          }
          jdbc.update(
              "granting task instance id=" + id + " the try a stop interrupted",
              GRANT_TRY,
              ps -> ps.setLong(1, id));
          return true;
        });
  }

  /**
   * Starts many queued task instances at once (what {@link #start} does for one), for executors
   * that run tries in bulk; returns the ids that were queued and are now running.
   */
  public Set<Long> startAll(List<Long> ids, String hostname, int pid, Instant now) {
    TaskInstanceTransitions.check(QUEUED, RUNNING);
    Set<Long> started = new LinkedHashSet<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
      int n =
          jdbc.update(
              "starting task instances",
              startAll.sql(chunk.size()),
              ps -> {
                dialect.setInstant(ps, 1, now);
                dialect.setInstant(ps, 2, now);
                ps.setString(3, hostname);
                ps.setInt(4, pid);
                dialect.setInstant(ps, 5, now);
                startAll.bind(ps, 6, chunk);
              });
      Set<Long> distinct = new LinkedHashSet<>(chunk);
      if (n == distinct.size()) {
        started.addAll(distinct);
      } else {
        // Some were no longer queued: the ones started now are running with this start.
        Instant start = Dialect.micros(now);
        getAll(List.copyOf(distinct)).stream()
            .filter(t -> t.state() == RUNNING && start.equals(t.startDate()))
            .forEach(t -> started.add(t.id()));
      }
    }
    return started;
  }

  /** One finishing try for {@link #finishAll}. */
  public record Ending(long id, TaskInstanceState to, Instant nextRetryAt) {}

  /**
   * Ends the running tries of many task instances at once, each with its history row, as {@link
   * #finish} does for one: three statements whatever their number. Returns the ids finished (one no
   * longer running is left alone).
   */
  public Set<Long> finishAll(List<Ending> endings, Instant now) {
    for (Ending e : endings) {
      if (!TRY_ENDS.contains(e.to())) {
        throw new IllegalArgumentException("finishAll ends tries, not -> " + e.to().id());
      }
      TaskInstanceTransitions.check(RUNNING, e.to(), "task_instance id=" + e.id());
    }
    // Alike endings (same state, same retry time) share one statement: usually all of them.
    Map<Ending, List<Long>> groups = new java.util.LinkedHashMap<>();
    for (Ending e : endings) {
      groups
          .computeIfAbsent(new Ending(0, e.to(), e.nextRetryAt()), k -> new ArrayList<>())
          .add(e.id());
    }
    return jdbc.inTransaction(
        () -> {
          Set<Long> done = new LinkedHashSet<>();
          for (Map.Entry<Ending, List<Long>> g : groups.entrySet()) {
            List<Long> ids = g.getValue();
            for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
              List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
              Set<Long> running = new LinkedHashSet<>();
              getAll(chunk).stream()
                  .filter(t -> t.state() == RUNNING)
                  .forEach(t -> running.add(t.id()));
              if (running.isEmpty()) {
                continue;
              }
              List<Long> targets = List.copyOf(running);
              int finished =
                  jdbc.update(
                      "finishing task instances",
                      finishAll.sql(targets.size()),
                      ps -> {
                        ps.setString(1, g.getKey().to().id());
                        dialect.setInstant(ps, 2, now);
                        dialect.setInstant(ps, 3, now);
                        dialect.setInstant(ps, 4, g.getKey().nextRetryAt());
                        dialect.setInstant(ps, 5, now);
                        finishAll.bind(ps, 6, targets);
                      });
              jdbc.update(
                  "recording finished tries",
                  insertHistoryAll.sql(targets.size()),
                  ps -> {
                    int next = insertHistoryAll.bind(ps, 1, targets);
                    ps.setString(next, g.getKey().to().id());
                    dialect.setInstant(ps, next + 1, now);
                  });
              if (finished == targets.size()) {
                done.addAll(targets);
              } else { // some left running meanwhile: the ones ended here have this end
                Instant end = Dialect.micros(now);
                getAll(targets).stream()
                    .filter(t -> t.state() == g.getKey().to() && end.equals(t.endDate()))
                    .forEach(t -> done.add(t.id()));
              }
            }
          }
          return done;
        });
  }

  private List<TaskInstanceRow> getAll(List<Long> ids) {
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

  /** The finished tries of a task instance, first try first. */
  public List<Try> history(long taskInstanceId) {
    return jdbc.query(
        "reading the tries of task instance id=" + taskInstanceId,
        HISTORY,
        ps -> ps.setLong(1, taskInstanceId),
        rs ->
            new Try(
                rs.getLong("task_instance_id"),
                rs.getInt("try_number"),
                state(rs.getString("state")),
                dialect.getInstant(rs, "start_date"),
                dialect.getInstant(rs, "end_date"),
                (Double) rs.getObject("duration", Double.class),
                rs.getString("hostname")));
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
        this::row);
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
        this::row);
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
        this::row);
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
    return collectChanged(ids, counts, new LinkedHashSet<>());
  }

  /**
   * Back to none (a clear, or an orphan reset), optionally with new {@code max_tries}; returns the
   * ids that changed. A running task is not cleared this way but set to restarting ({@link
   * #setStates}), so its worker stops it first.
   */
  public Set<Long> resetToNone(List<Reset> resets, Instant now) {
    for (Reset r : resets) {
      TaskInstanceTransitions.check(r.from(), NONE, "task_instance id=" + r.id());
    }
    int[] counts =
        jdbc.batch(
            "clearing task instances",
            RESET_TO_NONE,
            resets,
            (ps, r) -> {
              if (r.maxTries() == null) {
                ps.setNull(1, java.sql.Types.INTEGER);
              } else {
                ps.setInt(1, r.maxTries());
              }
              dialect.setInstant(ps, 2, now);
              ps.setLong(3, r.id());
              ps.setString(4, r.from().id());
            });
    return collectChanged(resets.stream().map(Reset::id).toList(), counts, new LinkedHashSet<>());
  }

  /** {@link #COLUMNS} with a table alias, for queries that join. */
  private static String prefixed(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(","))
        .map(String::strip)
        .map(c -> alias + c)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static Set<Long> collectChanged(List<Long> ids, int[] counts, Set<Long> into) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        into.add(ids.get(i));
      }
    }
    return into;
  }

  private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  private static TaskInstanceState state(String id) {
    return TaskInstanceState.fromId(id)
        .orElseThrow(() -> new IllegalStateException("unknown task_instance state " + id));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private TaskInstanceRow row(ResultSet rs) throws SQLException {
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
