package io.updraft.store;

import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.RESTARTING;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;

import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A worker's tries on the {@code task_instance} table: queued to running (the next try), its
 * heartbeats, its end, and, for each finished try, its row in {@code task_instance_history} (whose
 * SQL lives here only). The table's other jobs have their own classes ({@link TaskInstanceRows}
 * lists them).
 *
 * <p>As everywhere on the table, each write is checked against {@link TaskInstanceTransitions} and
 * guarded in SQL by the state the caller saw; a write that changes no row lost a race (the task
 * instance was cleared, reset or declared dead meanwhile) and is reported, not retried.
 */
public final class TaskInstanceTries {
  /**
   * A start is the next try, except for a reschedule-mode sensor's next check: that is the same try
   * again (Airflow keeps the try number of an up_for_reschedule instance).
   */
  private static final String RESCHEDULED_TRY_INCREMENT =
      "CASE WHEN " + TaskInstanceDeferrals.RESCHEDULED_TRY + " THEN 0 ELSE 1 END";

  private static final String START =
      """
      UPDATE task_instance
      SET state = 'running', try_number = try_number + %s,
          start_date = ?, end_date = NULL,
          duration = NULL, last_heartbeat_at = ?, hostname = ?, pid = ?, next_retry_at = NULL,
          updated_at = ?
      WHERE id = ? AND state = 'queued'
      """
          .formatted(RESCHEDULED_TRY_INCREMENT);

  private static final String START_ALL =
      """
      UPDATE task_instance
      SET state = 'running', try_number = try_number + %s,
          start_date = ?, end_date = NULL,
          duration = NULL, last_heartbeat_at = ?, hostname = ?, pid = ?, next_retry_at = NULL,
          updated_at = ?
      WHERE id IN (%%s) AND state = 'queued'
      """
          .formatted(RESCHEDULED_TRY_INCREMENT);

  /**
   * A try started and ended by one write (queued to its end): for an executor that runs nothing and
   * ends each try the instant it starts it, as Airflow's TestExecutor sets success at once.
   */
  private static final String RUN_ALL =
      """
      UPDATE task_instance
      SET state = ?, try_number = try_number + %s,
          start_date = ?, end_date = ?, duration = 0, last_heartbeat_at = ?, hostname = ?, pid = ?,
          next_retry_at = ?, updated_at = ?
      WHERE id IN (%%s) AND state = 'queued'
      """
          .formatted(RESCHEDULED_TRY_INCREMENT);

  private static final String HEARTBEAT =
      """
      UPDATE task_instance
      SET last_heartbeat_at = ?
      WHERE id = ? AND state = 'running'
      """;

  /** One try's heartbeat: only while that very try runs (decisions/0172). */
  private static final String HEARTBEAT_TRY =
      """
      UPDATE task_instance
      SET last_heartbeat_at = ?
      WHERE id = ? AND state = 'running' AND try_number = ?
      """;

  /** try_number in the guard too: the history row written next must describe this very try. */
  private static final String FINISH =
      """
      UPDATE task_instance
      SET state = ?, end_date = ?, duration = ?, next_retry_at = ?, updated_at = ?
      WHERE id = ? AND state = ? AND try_number = ?
      """;

  /**
   * {@link #FINISH} of a try taken for dead: only while its heartbeat is still older than the
   * cutoff, so a heartbeat that lands after the stale read keeps its try alive (decisions/0186).
   */
  private static final String FINISH_LOST = FINISH.strip() + " AND last_heartbeat_at < ?";

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

  /**
   * Read through the history's unique key (the instance's key, then the try), the one index the
   * table has besides its id: {@code task_instance_id} alone has none, and a read by it walked the
   * whole table.
   */
  private static final String HISTORY =
      """
      SELECT h.task_instance_id, h.try_number, h.state, h.start_date, h.end_date, h.duration,
             h.hostname
      FROM task_instance t
      JOIN task_instance_history h
        ON h.dag_id = t.dag_id AND h.run_id = t.run_id AND h.task_id = t.task_id
           AND h.map_index = t.map_index
      WHERE t.id = ? AND h.task_instance_id = t.id
      ORDER BY h.try_number
      """;

  /** Ends many running tries alike in one statement, their durations computed by the engine. */
  private static final String FINISH_ALL =
      """
      UPDATE task_instance
      SET state = ?, end_date = ?, duration = %s, next_retry_at = ?, updated_at = ?
      WHERE id IN (%%s) AND state = 'running'
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

  private static final Set<TaskInstanceState> TRY_ENDS =
      Set.of(SUCCESS, FAILED, SKIPPED, UP_FOR_RETRY);

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TaskInstanceRows rows;
  private final LockByIds startAll = new LockByIds(START_ALL);
  private final LockByIds insertHistoryAll = new LockByIds(INSERT_HISTORY_ALL);
  private final LockByIds finishAll;
  private final LockByIds finishStartedAll;
  private final LockByIds runAll = new LockByIds(RUN_ALL);

  public TaskInstanceTries(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.rows = new TaskInstanceRows(database);
    this.finishAll = new LockByIds(FINISH_ALL.formatted(dialect.secondsSince("start_date")));
    this.finishStartedAll =
        new LockByIds(
            FINISH_ALL.formatted(dialect.secondsSince("start_date")).strip()
                + " AND try_number = ?");
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
    return TaskInstanceRows.collectChanged(ids, counts, new LinkedHashSet<>());
  }

  /**
   * Records the heartbeat of try {@code tryNumber} of a task instance; false when that try is not
   * running any more (finished, failed by the heartbeat timeout, its retry started, cleared): its
   * worker must stop it, or not start it.
   */
  public boolean heartbeat(long id, int tryNumber, Instant now) {
    return jdbc.update(
            "recording the heartbeat of task instance id=" + id,
            HEARTBEAT_TRY,
            ps -> {
              dialect.setInstant(ps, 1, now);
              ps.setLong(2, id);
              ps.setInt(3, tryNumber);
            })
        > 0;
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
   * As {@link #finishTry} for a running try whose row the caller read when it started: the update's
   * guard (still running, still this try) stands in for reading the row again, and the duration
   * counts from {@code started}'s start date, which only starting a try writes.
   */
  public boolean finishStarted(
      TaskInstanceRow started, TaskInstanceState to, Instant now, Instant nextRetryAt) {
    if (started.tryNumber() == 0 || !TRY_ENDS.contains(to)) {
      throw new IllegalArgumentException(
          "finishStarted ends a started try of a running instance, not try "
              + started.tryNumber()
              + " -> "
              + to.id());
    }
    TaskInstanceTransitions.check(RUNNING, to, "task_instance id=" + started.id());
    return jdbc.inTransaction(() -> endTry(started, RUNNING, to, now, nextRetryAt));
  }

  /** The guarded write of a try's end (state and try number unchanged) and its history row. */
  private boolean endTry(
      TaskInstanceRow ti,
      TaskInstanceState from,
      TaskInstanceState to,
      Instant now,
      Instant nextRetryAt) {
    return endTry(ti, from, to, now, nextRetryAt, null);
  }

  /**
   * {@link #finishStarted} for many started tries that all end in {@code to} (decisions/0193): one
   * guarded update per try number among them (usually one) and one insert of their history rows,
   * whatever their number. Returns the ids of the tries it ended; a try whose instance is no longer
   * running that try is left alone, with nothing written for it.
   */
  public Set<Long> finishStartedAll(
      List<TaskInstanceRow> started, TaskInstanceState to, Instant now) {
    if (!TRY_ENDS.contains(to)) {
      throw new IllegalArgumentException("finishStartedAll ends tries, not -> " + to.id());
    }
    TaskInstanceTransitions.check(RUNNING, to);
    Map<Integer, List<Long>> byTry = new java.util.TreeMap<>();
    for (TaskInstanceRow ti : started) {
      if (ti.tryNumber() == 0) {
        throw new IllegalArgumentException(
            "finishStartedAll ends started tries, not the unstarted task_instance id=" + ti.id());
      }
      byTry.computeIfAbsent(ti.tryNumber(), n -> new ArrayList<>()).add(ti.id());
    }
    return jdbc.inTransaction(
        () -> {
          Set<Long> done = new LinkedHashSet<>();
          for (Map.Entry<Integer, List<Long>> e : byTry.entrySet()) {
            List<Long> ids = List.copyOf(new LinkedHashSet<>(e.getValue()));
            for (int from = 0; from < ids.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
              List<Long> chunk =
                  ids.subList(
                      from, Math.min(ids.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
              int n =
                  jdbc.update(
                      "finishing task instances",
                      finishStartedAll.sql(chunk.size()),
                      ps -> {
                        ps.setString(1, to.id());
                        dialect.setInstant(ps, 2, now);
                        dialect.setInstant(ps, 3, now);
                        dialect.setInstant(ps, 4, null);
                        dialect.setInstant(ps, 5, now);
                        int next = finishStartedAll.bind(ps, 6, chunk);
                        ps.setInt(next, e.getKey());
                      });
              List<Long> ended = chunk;
              if (n != chunk.size()) { // some had moved on: the ones ended here have this end
                Instant end = Dialect.micros(now);
                ended =
                    rows.getAll(chunk).stream()
                        .filter(
                            t ->
                                t.state() == to
                                    && t.tryNumber() == e.getKey()
                                    && end.equals(t.endDate()))
                        .map(TaskInstanceRow::id)
                        .toList();
              }
              if (ended.isEmpty()) {
                continue;
              }
              recordHistoryAll(ended, to, now);
              done.addAll(ended);
            }
          }
          return done;
        });
  }

  /**
   * Ends a running (or restarting) try whose heartbeat {@code ti} showed older than {@code
   * heartbeatBefore}: in one guarded write, and only if its heartbeat is still that old — a
   * heartbeat that reached the row after it was read as stale means its worker still has it, and
   * the worker relies on a heartbeat it got through keeping the try its own for the whole timeout
   * (decisions/0186). Returns whether it ended the try.
   */
  public boolean finishLost(
      TaskInstanceRow ti,
      TaskInstanceState to,
      Instant now,
      Instant nextRetryAt,
      Instant heartbeatBefore) {
    if ((ti.state() != RUNNING && ti.state() != RESTARTING) || !TRY_ENDS.contains(to)) {
      throw new IllegalArgumentException(
          "finishLost ends a running or restarting try, not " + ti.state().id() + " -> " + to.id());
    }
    TaskInstanceTransitions.check(ti.state(), to, "task_instance id=" + ti.id());
    return jdbc.inTransaction(() -> endTry(ti, ti.state(), to, now, nextRetryAt, heartbeatBefore));
  }

  private boolean endTry(
      TaskInstanceRow ti,
      TaskInstanceState from,
      TaskInstanceState to,
      Instant now,
      Instant nextRetryAt,
      Instant heartbeatBefore) {
    Double duration =
        ti.startDate() == null
            ? null
            : Duration.between(ti.startDate(), Dialect.micros(now)).toNanos() / 1e9;
    int changed =
        jdbc.update(
            "finishing task instance id=" + ti.id(),
            heartbeatBefore == null ? FINISH : FINISH_LOST,
            ps -> {
              ps.setString(1, to.id());
              dialect.setInstant(ps, 2, now);
              setDouble(ps, 3, duration);
              dialect.setInstant(ps, 4, nextRetryAt);
              dialect.setInstant(ps, 5, now);
              ps.setLong(6, ti.id());
              ps.setString(7, from.id());
              ps.setInt(8, ti.tryNumber());
              if (heartbeatBefore != null) {
                dialect.setInstant(ps, 9, heartbeatBefore);
              }
            });
    if (changed == 0) {
      return false;
    }
    recordHistory(ti.id());
    return true;
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
          Optional<TaskInstanceRow> current = rows.get(id);
          if (current.isEmpty()
              || current.get().state() != from
              || (tryNumber != 0 && current.get().tryNumber() != tryNumber)) {
            return false;
          }
          return endTry(current.get(), from, to, now, nextRetryAt);
        });
  }

  /**
   * Writes the {@code task_instance_history} row of the try the instance just ended (its row as it
   * is now): every way a try ends calls this, in the transaction that ended it.
   */
  void recordHistory(long id) {
    jdbc.update(
        "recording the ended try of task instance id=" + id,
        INSERT_HISTORY,
        ps -> ps.setLong(1, id));
  }

  /**
   * Writes the history rows of the tries a bulk write just ended in {@code to} at {@code now} (and
   * only those: state and end match), in its transaction.
   */
  private void recordHistoryAll(List<Long> ids, TaskInstanceState to, Instant now) {
    jdbc.update(
        "recording finished tries",
        insertHistoryAll.sql(ids.size()),
        ps -> {
          int next = insertHistoryAll.bind(ps, 1, ids);
          ps.setString(next, to.id());
          dialect.setInstant(ps, next + 1, now);
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
    for (int from = 0; from < ids.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<Long> chunk =
          ids.subList(from, Math.min(ids.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
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
        rows.getAll(List.copyOf(distinct)).stream()
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
            for (int from = 0; from < ids.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
              List<Long> chunk =
                  ids.subList(
                      from, Math.min(ids.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
              Set<Long> running = new LinkedHashSet<>();
              rows.getAll(chunk).stream()
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
              recordHistoryAll(targets, g.getKey().to(), now);
              if (finished == targets.size()) {
                done.addAll(targets);
              } else { // some left running meanwhile: the ones ended here have this end
                Instant end = Dialect.micros(now);
                rows.getAll(targets).stream()
                    .filter(t -> t.state() == g.getKey().to() && end.equals(t.endDate()))
                    .forEach(t -> done.add(t.id()));
              }
            }
          }
          return done;
        });
  }

  /**
   * Starts and ends the next try of many queued task instances at once, in one write each (queued
   * to its end, the start and end at {@code now}), with its history row: for an executor that runs
   * nothing. Both steps are checked against the state machine (queued to running, running to the
   * end); the row is written once. Returns the ids whose try this ended (one no longer queued is
   * left alone).
   */
  public Set<Long> runAll(List<Ending> endings, String hostname, int pid, Instant now) {
    TaskInstanceTransitions.check(QUEUED, RUNNING);
    for (Ending e : endings) {
      if (!TRY_ENDS.contains(e.to())) {
        throw new IllegalArgumentException("runAll ends tries, not -> " + e.to().id());
      }
      TaskInstanceTransitions.check(RUNNING, e.to(), "task_instance id=" + e.id());
    }
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
            for (int from = 0; from < ids.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
              List<Long> chunk =
                  ids.subList(
                      from, Math.min(ids.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
              TaskInstanceState to = g.getKey().to();
              int n =
                  jdbc.update(
                      "running task instances",
                      runAll.sql(chunk.size()),
                      ps -> {
                        ps.setString(1, to.id());
                        dialect.setInstant(ps, 2, now);
                        dialect.setInstant(ps, 3, now);
                        dialect.setInstant(ps, 4, now);
                        ps.setString(5, hostname);
                        ps.setInt(6, pid);
                        dialect.setInstant(ps, 7, g.getKey().nextRetryAt());
                        dialect.setInstant(ps, 8, now);
                        runAll.bind(ps, 9, chunk);
                      });
              if (n == 0) {
                continue;
              }
              Set<Long> distinct = new LinkedHashSet<>(chunk);
              List<Long> ended = List.copyOf(distinct);
              if (n != distinct.size()) { // some were no longer queued: these ran now
                Instant at = Dialect.micros(now);
                ended =
                    rows.getAll(ended).stream()
                        .filter(
                            t ->
                                t.state() == to
                                    && at.equals(t.startDate())
                                    && at.equals(t.endDate()))
                        .map(TaskInstanceRow::id)
                        .toList();
              }
              if (ended.isEmpty()) {
                continue;
              }
              recordHistoryAll(ended, to, now);
              done.addAll(ended);
            }
          }
          return done;
        });
  }

  /**
   * Every try of a task instance, first try first: the finished ones {@link #history} keeps, then
   * the current one as the instance shows it now when it has no history row (under way, or ended
   * without one). A task instance never tried has none.
   */
  public List<Try> all(TaskInstanceRow ti) {
    List<Try> tries = new ArrayList<>(history(ti.id()));
    if (ti.tryNumber() > 0 && tries.stream().noneMatch(t -> t.tryNumber() == ti.tryNumber())) {
      tries.add(
          new Try(
              ti.id(),
              ti.tryNumber(),
              ti.state(),
              ti.startDate(),
              ti.endDate(),
              ti.duration(),
              ti.hostname()));
    }
    return tries;
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
                TaskInstanceRows.state(rs.getString("state")),
                dialect.getInstant(rs, "start_date"),
                dialect.getInstant(rs, "end_date"),
                (Double) rs.getObject("duration", Double.class),
                rs.getString("hostname")));
  }

  private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }
}
