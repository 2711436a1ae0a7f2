package io.updraft.store;

import static io.updraft.state.TaskInstanceState.DEFERRED;
import static io.updraft.state.TaskInstanceState.NONE;

import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rows of the {@code task_instance} table: creating those of a new run, reading them, and the
 * state changes of the scheduler and of users (setting states, clearing). The table's other jobs
 * have their own classes ({@link TaskInstanceRows} lists them): the critical section's queueing, a
 * worker's tries, and the detection of stuck task instances.
 *
 * <p>Every state write goes through {@link TaskInstanceTransitions} and is guarded in SQL by the
 * state the caller saw: {@code WHERE id = ? AND state = ?}, or {@code state IS NULL} for {@link
 * TaskInstanceState#NONE} (a separate statement: {@code state = NULL} is never true). A write that
 * changes no row lost a race to another scheduler, a worker or a user; methods report which rows
 * changed and the caller skips the others. Writes of a loop are JDBC batches.
 */
public final class TaskInstanceRepository {
  private static final String INSERT_PREFIX =
      """
      INSERT INTO task_instance (dag_id, run_id, task_id, map_index, state, try_number, max_tries,
                                 priority_weight, pool, pool_slots, queue, operator, updated_at,
                                 run_date)
      VALUES\s""";

  private static final String RUN_DATE =
      """
      SELECT COALESCE(logical_date, run_after) AS run_date
      FROM dag_run
      WHERE dag_id = ? AND run_id = ?
      """;

  private static final String INSERT_ROW = "(?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Rows per multi-row insert: 12 parameters each, 12,000 a statement, below every database's limit
   * (PostgreSQL's driver: 32,767); 1,000 so a backfill of 300 runs of 3 tasks is one statement, a
   * round trip over H2's TCP server (decisions/0176).
   */
  private static final int ROWS_PER_STATEMENT = 1000;

  private static final String LIST_FOR_RUN =
      "SELECT "
          + TaskInstanceRows.COLUMNS
          + " FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY id";

  // Four texts for one write: the guard differs for NONE, and a finishing state also stamps the
  // dates (Airflow's set_state: start_date if never started, end_date now).
  private static final String SET_STATE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?
      WHERE id IN (%s) AND state = ?
      """;

  private static final String SET_STATE_FROM_NONE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?
      WHERE id IN (%s) AND state IS NULL
      """;

  /** A finished instance holds no trigger (a mark or a run timeout of a deferred one). */
  private static final String SET_FINISHED =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?, start_date = COALESCE(start_date, ?), end_date = ?,
          trigger_id = NULL, trigger_timeout = NULL
      WHERE id IN (%s) AND state = ?
      """;

  private static final String SET_FINISHED_FROM_NONE =
      """
      UPDATE task_instance
      SET state = ?, updated_at = ?, start_date = COALESCE(start_date, ?), end_date = ?
      WHERE id IN (%s) AND state IS NULL
      """;

  private static final String RESET_TO_NONE =
      """
      UPDATE task_instance
      SET state = NULL, max_tries = COALESCE(?, max_tries), next_retry_at = NULL,
          queued_by_job_id = NULL, external_executor_id = NULL, trigger_id = NULL,
          trigger_timeout = NULL, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  /**
   * A task instance to put back to none (a clear or an orphan reset).
   *
   * @param maxTries the new {@code max_tries} (a clear grants the task's retries again: {@code
   *     try_number + retries}); null keeps it
   */
  public record Reset(long id, TaskInstanceState from, Integer maxTries) {}

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TaskInstanceRows rows;
  private final TriggerRepository triggers;
  private final LockByIds setState = new LockByIds(SET_STATE);
  private final LockByIds setStateFromNone = new LockByIds(SET_STATE_FROM_NONE);
  private final LockByIds setFinished = new LockByIds(SET_FINISHED);
  private final LockByIds setFinishedFromNone = new LockByIds(SET_FINISHED_FROM_NONE);

  /** {@link #listForRuns}: the run ids' list padded as a claim's ids are (few statement texts). */
  private final LockByIds forRuns =
      new LockByIds(
          "SELECT "
              + TaskInstanceRows.COLUMNS
              + " FROM task_instance WHERE dag_id = ? AND run_id IN (%s) ORDER BY id");

  public TaskInstanceRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.rows = new TaskInstanceRows(database);
    this.triggers = new TriggerRepository(database);
  }

  /** A new run whose task instances to create: its run_id and its logical date (or run_after). */
  public record NewRun(String runId, Instant runDate) {}

  /** Creates the task instances of a run already in the database, state none. */
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
    createForRun(dagId, runId, runDate, tasks, now);
  }

  /**
   * Creates the task instances of a new run, state none, given the run's date ({@code
   * COALESCE(logical_date, run_after)}).
   */
  public void createForRun(
      String dagId, String runId, Instant runDate, List<NewTaskInstance> tasks, Instant now) {
    createForRuns(dagId, List.of(new NewRun(runId, runDate)), tasks, now);
  }

  /**
   * Creates the task instances of new runs of one DAG, the same tasks for each, state none, in
   * multi-row inserts (a few statements for hundreds of runs).
   */
  public void createForRuns(
      String dagId, List<NewRun> runs, List<NewTaskInstance> tasks, Instant now) {
    List<Map.Entry<NewRun, NewTaskInstance>> rows = new ArrayList<>(runs.size() * tasks.size());
    for (NewRun run : runs) {
      for (NewTaskInstance t : tasks) {
        rows.add(Map.entry(run, t));
      }
    }
    jdbc.insertRows(
        runs.size() == 1
            ? "creating the task instances of "
                + DagRunRepository.describe(dagId, runs.get(0).runId())
            : "creating the task instances of " + runs.size() + " runs of DAG '" + dagId + "'",
        INSERT_PREFIX,
        INSERT_ROW,
        rows,
        ROWS_PER_STATEMENT,
        (ps, first, row) -> {
          NewTaskInstance t = row.getValue();
          ps.setString(first, dagId);
          ps.setString(first + 1, row.getKey().runId());
          ps.setString(first + 2, t.taskId());
          ps.setInt(first + 3, t.mapIndex());
          ps.setInt(first + 4, t.maxTries());
          ps.setInt(first + 5, t.priorityWeight());
          ps.setString(first + 6, t.pool());
          ps.setInt(first + 7, t.poolSlots());
          ps.setString(first + 8, t.queue());
          ps.setString(first + 9, t.operator());
          dialect.setInstant(ps, first + 10, now);
          dialect.setInstant(ps, first + 11, row.getKey().runDate());
        });
  }

  public Optional<TaskInstanceRow> get(long id) {
    return rows.get(id);
  }

  /** The task instances with these ids (one that does not exist is absent), in no given order. */
  public List<TaskInstanceRow> getAll(List<Long> ids) {
    return rows.getAll(ids);
  }

  private static final String RUNNING_PER_PROCESS =
      """
      SELECT hostname, pid, COUNT(*) AS tries
      FROM task_instance
      WHERE state = 'running' AND hostname IS NOT NULL
      GROUP BY hostname, pid
      """;

  /** Where tries run: a process by its host and pid. */
  public record Process(String hostname, int pid) {}

  /** How many tries run in each process (a worker, or a scheduler's local executor) now. */
  public Map<Process, Integer> runningPerProcess() {
    Map<Process, Integer> running = new HashMap<>();
    for (Map.Entry<Process, Integer> e :
        jdbc.query(
            "counting the running tries of each process",
            RUNNING_PER_PROCESS,
            ps -> {},
            rs ->
                Map.entry(
                    new Process(rs.getString("hostname"), rs.getInt("pid")), rs.getInt("tries")))) {
      running.merge(e.getKey(), e.getValue(), Integer::sum);
    }
    return running;
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
        rows::row);
  }

  /**
   * The task instances of several runs of one DAG in one query, by run_id, each in creation order;
   * a run without any maps to an empty list.
   */
  public Map<String, List<TaskInstanceRow>> listForRuns(String dagId, List<String> runIds) {
    Map<String, List<TaskInstanceRow>> out = new HashMap<>();
    runIds.forEach(r -> out.put(r, new ArrayList<>()));
    if (runIds.isEmpty()) {
      return out;
    }
    List<TaskInstanceRow> all =
        jdbc.query(
            "listing the task instances of " + runIds.size() + " run(s) of DAG '" + dagId + "'",
            forRuns.sql(runIds.size()),
            ps -> {
              ps.setString(1, dagId);
              forRuns.bind(ps, 2, runIds);
            },
            rows::row);
    for (TaskInstanceRow ti : all) {
      out.get(ti.runId()).add(ti);
    }
    return out;
  }

  /**
   * The columns a page of task instances may be ordered by, by the API's field names; a name not
   * here is never put into SQL.
   */
  public static final Map<String, String> PAGE_ORDERS =
      Map.of(
          "id", "id",
          "task_id", "task_id",
          "map_index", "map_index",
          "run_id", "run_id",
          "dag_id", "dag_id",
          "state", "state",
          "start_date", "start_date",
          "end_date", "end_date",
          "duration", "duration",
          "priority_weight", "priority_weight");

  /**
   * One page of the task instances a filter chooses, ordered by {@code orderBy} (a key of {@link
   * #PAGE_ORDERS}), then by dag_id, run_id, task_id and map_index in the same direction.
   */
  public List<TaskInstanceRow> page(
      TaskInstanceFilter filter, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order task instances by " + orderBy);
    }
    FilterSql where = where(filter);
    String dir = descending ? " DESC" : " ASC";
    String sql =
        "SELECT "
            + TaskInstanceRows.COLUMNS
            + " FROM task_instance"
            + where.where()
            + " ORDER BY "
            + column
            + dir
            + ", dag_id"
            + dir
            + ", run_id"
            + dir
            + ", task_id"
            + dir
            + ", map_index"
            + dir
            + " LIMIT ? OFFSET ?";
    return jdbc.query(
        "listing task instances",
        sql,
        ps -> {
          int i = where.bind(ps);
          ps.setInt(i, limit);
          ps.setInt(i + 1, offset);
        },
        rows::row);
  }

  /** How many task instances a filter chooses. */
  public int count(TaskInstanceFilter filter) {
    FilterSql where = where(filter);
    return jdbc.queryOne(
            "counting task instances",
            "SELECT COUNT(*) FROM task_instance" + where.where(),
            where::bind,
            rs -> rs.getInt(1))
        .orElse(0);
  }

  private FilterSql where(TaskInstanceFilter f) {
    return new FilterSql(dialect)
        .equal("dag_id", f.dagId())
        .equal("run_id", f.runId())
        .equal("task_id", f.taskId())
        .in("state", f.states().stream().map(s -> s == NONE ? null : s.id()).toList())
        .equal("pool", f.pool())
        .equal("queue", f.queue());
  }

  /**
   * Applies many guarded state changes in (at most four) batches; returns the ids that changed.
   * Every change is checked against the transition table before anything is written. A finishing
   * state (success, failed, skipped, upstream_failed, removed) also sets {@code end_date} to {@code
   * now} and {@code start_date} if it had none, as Airflow does for tasks that never ran.
   *
   * <p>A deferred instance that finishes this way (a mark, a run timeout) loses its trigger in the
   * same transaction, so no triggerer goes on checking for it.
   *
   * @throws io.updraft.state.IllegalTransitionException for a change the table does not allow
   */
  public Set<Long> setStates(List<StateChange> changes, Instant now) {
    for (StateChange c : changes) {
      TaskInstanceTransitions.check(c.from(), c.to(), "task_instance id=" + c.id());
    }
    List<Long> leavingDeferred =
        changes.stream()
            .filter(c -> c.from() == DEFERRED && c.to().isFinished())
            .map(StateChange::id)
            .toList();
    if (leavingDeferred.isEmpty()) {
      return writeStates(changes, now);
    }
    return jdbc.inTransaction(
        () -> {
          triggers.deleteForTaskInstances(leavingDeferred);
          return writeStates(changes, now);
        });
  }

  /**
   * Alike changes (same from, same to) share one statement per {@link
   * TaskInstanceRows#IDS_PER_STATEMENT} ids: a pass moves hundreds of instances none to scheduled
   * at once, and a batch of single-row updates costs the engine a statement each.
   */
  private Set<Long> writeStates(List<StateChange> changes, Instant now) {
    Map<List<TaskInstanceState>, Set<Long>> groups = new java.util.LinkedHashMap<>();
    for (StateChange c : changes) {
      groups
          .computeIfAbsent(java.util.Arrays.asList(c.from(), c.to()), k -> new LinkedHashSet<>())
          .add(c.id());
    }
    Set<Long> changed = new LinkedHashSet<>();
    for (Map.Entry<List<TaskInstanceState>, Set<Long>> g : groups.entrySet()) {
      TaskInstanceState from = g.getKey().get(0);
      TaskInstanceState to = g.getKey().get(1);
      boolean finished = to.isFinished();
      LockByIds statement =
          from == NONE
              ? (finished ? setFinishedFromNone : setStateFromNone)
              : (finished ? setFinished : setState);
      List<Long> ids = List.copyOf(g.getValue());
      for (int at = 0; at < ids.size(); at += TaskInstanceRows.IDS_PER_STATEMENT) {
        List<Long> chunk =
            ids.subList(at, Math.min(ids.size(), at + TaskInstanceRows.IDS_PER_STATEMENT));
        int n =
            jdbc.update(
                "setting task instance states",
                statement.sql(chunk.size()),
                ps -> {
                  int i = 1;
                  ps.setString(i++, to.id());
                  dialect.setInstant(ps, i++, now);
                  if (finished) {
                    dialect.setInstant(ps, i++, now);
                    dialect.setInstant(ps, i++, now);
                  }
                  i = statement.bind(ps, i, chunk);
                  if (from != NONE) {
                    ps.setString(i, from.id());
                  }
                });
        if (n == chunk.size()) {
          changed.addAll(chunk);
        } else if (n > 0) { // some had moved on meanwhile: the ones written now bear this write
          Instant at2 = Dialect.micros(now);
          rows.getAll(chunk).stream()
              .filter(t -> t.state() == to && at2.equals(t.updatedAt()))
              .forEach(t -> changed.add(t.id()));
        }
      }
    }
    return changed;
  }

  /**
   * Back to none (a clear, or an orphan reset), optionally with new {@code max_tries}; returns the
   * ids that changed. A running task is not cleared this way but set to restarting ({@link
   * #setStates}), so its worker stops it first. A deferred one loses its trigger in the same
   * transaction.
   */
  public Set<Long> resetToNone(List<Reset> resets, Instant now) {
    for (Reset r : resets) {
      TaskInstanceTransitions.check(r.from(), NONE, "task_instance id=" + r.id());
    }
    List<Long> deferred = resets.stream().filter(r -> r.from() == DEFERRED).map(Reset::id).toList();
    if (deferred.isEmpty()) {
      return writeResets(resets, now);
    }
    return jdbc.inTransaction(
        () -> {
          triggers.deleteForTaskInstances(deferred);
          return writeResets(resets, now);
        });
  }

  private Set<Long> writeResets(List<Reset> resets, Instant now) {
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
    return TaskInstanceRows.collectChanged(
        resets.stream().map(Reset::id).toList(), counts, new LinkedHashSet<>());
  }
}
