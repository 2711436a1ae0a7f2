package io.updraft.store;

import static io.updraft.state.TaskInstanceState.DEFERRED;
import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UP_FOR_RESCHEDULE;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;

import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Waits without a slot on the {@code task_instance} table (SPEC §1.9): a task instance deferring to
 * the triggerer (with its {@code deferred_trigger} row, in one transaction), the triggerer ending
 * it, and a {@code reschedule} sensor's checks ({@code task_reschedule}). Guarded like every write
 * on the table: a call that finds the instance moved on writes nothing and returns false.
 *
 * <p>All SQL on {@code task_reschedule} is here, including the test a worker's start makes to keep
 * the try number of a rescheduled try ({@link #RESCHEDULED_TRY}).
 */
public final class TaskInstanceDeferrals {
  /**
   * SQL true when the {@code task_instance} row being updated is a rescheduled try coming back: its
   * {@code next_retry_at} is the reschedule date of a check of its current try. A retry (new
   * next_retry_at) or a clear (next_retry_at reset) makes it false, so those start a new try. The
   * cheap null test comes first: most instances start without a next_retry_at.
   */
  static final String RESCHEDULED_TRY =
      """
      (task_instance.next_retry_at IS NOT NULL AND EXISTS (
          SELECT 1 FROM task_reschedule r
          WHERE r.task_instance_id = task_instance.id
            AND r.try_number = task_instance.try_number
            AND r.reschedule_date = task_instance.next_retry_at))\
      """;

  private static final String DEFER_SCHEDULED =
      """
      UPDATE task_instance
      SET state = 'deferred', trigger_id = ?, trigger_timeout = ?, updated_at = ?,
          try_number = try_number + 1, start_date = ?, end_date = NULL, duration = NULL,
          next_retry_at = NULL, hostname = NULL, pid = NULL, last_heartbeat_at = NULL
      WHERE id = ? AND state = 'scheduled'
      """;

  private static final String DEFER_RUNNING =
      """
      UPDATE task_instance
      SET state = 'deferred', trigger_id = ?, trigger_timeout = ?, updated_at = ?
      WHERE id = ? AND state = 'running' AND try_number = ?
      """;

  private static final String FOR_TRIGGER =
      """
      SELECT id, dag_id, run_id, task_id, map_index, try_number, trigger_id, start_date,
             trigger_timeout
      FROM task_instance
      WHERE trigger_id = ? AND state = 'deferred'
      """;

  private static final String START_TIMEOUT =
      """
      UPDATE task_instance
      SET trigger_timeout = ?
      WHERE id = ? AND trigger_id = ? AND state = 'deferred' AND trigger_timeout IS NULL
      """;

  private static final String END_DEFERRED =
      """
      UPDATE task_instance
      SET state = ?, end_date = ?, duration = %s, next_retry_at = ?, trigger_id = NULL,
          trigger_timeout = NULL, updated_at = ?
      WHERE id = ? AND state = 'deferred' AND trigger_id = ?
      """;

  private static final String RESCHEDULE =
      """
      UPDATE task_instance
      SET state = 'up_for_reschedule', end_date = ?, duration = %s, next_retry_at = ?,
          updated_at = ?
      WHERE id = ? AND state = 'running' AND try_number = ?
      """;

  private static final String INSERT_RESCHEDULE =
      """
      INSERT INTO task_reschedule (task_instance_id, dag_id, run_id, task_id, map_index,
                                   try_number, start_date, end_date, duration, reschedule_date)
      SELECT id, dag_id, run_id, task_id, map_index, try_number, ?, ?, ?, ?
      FROM task_instance
      WHERE id = ?
      """;

  /** The first check of a try: the index (task_instance_id, try_number, id) answers it. */
  private static final String FIRST_CHECK =
      """
      SELECT start_date
      FROM task_reschedule
      WHERE task_instance_id = ? AND try_number = ?
      ORDER BY id
      LIMIT 1
      """;

  private static final Set<TaskInstanceState> DEFERRED_ENDS =
      Set.of(SUCCESS, FAILED, SKIPPED, UP_FOR_RETRY);

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final TriggerRepository triggers;
  private final TaskInstanceTries tries;
  private final String endDeferred;
  private final String reschedule;

  public TaskInstanceDeferrals(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.triggers = new TriggerRepository(database);
    this.tries = new TaskInstanceTries(database);
    this.endDeferred = END_DEFERRED.formatted(dialect.secondsSince("start_date"));
    this.reschedule = RESCHEDULE.formatted(dialect.secondsSince("start_date"));
  }

  /**
   * A deferred task instance, as the triggerer needs it.
   *
   * @param timeoutAt the instance's {@code trigger_timeout}; null: none yet (set at the first
   *     check)
   */
  public record Deferred(
      long id,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      long triggerId,
      Instant startDate,
      Instant timeoutAt) {}

  /**
   * Scheduled to deferred, starting the next try ({@code try_number + 1}, {@code start_date} now)
   * with a new trigger of {@code kind}: what the scheduler does with a ready {@code defer} sensor.
   * No executor or pool slot is taken.
   */
  public boolean deferScheduled(
      long id, String kind, String kwargsJson, Instant timeoutAt, Instant now) {
    TaskInstanceTransitions.check(SCHEDULED, DEFERRED, "task_instance id=" + id);
    return defer(
        id,
        kind,
        kwargsJson,
        timeoutAt,
        now,
        DEFER_SCHEDULED,
        ps -> {
          dialect.setInstant(ps, 4, now);
          ps.setLong(5, id);
        });
  }

  /**
   * Running to deferred, the try going on in the triggerer (same try number), with a new trigger:
   * what a try that hands its wait over does.
   */
  public boolean deferRunning(
      long id, int tryNumber, String kind, String kwargsJson, Instant timeoutAt, Instant now) {
    TaskInstanceTransitions.check(RUNNING, DEFERRED, "task_instance id=" + id);
    return defer(
        id,
        kind,
        kwargsJson,
        timeoutAt,
        now,
        DEFER_RUNNING,
        ps -> {
          ps.setLong(4, id);
          ps.setInt(5, tryNumber);
        });
  }

  /**
   * A new trigger and the guarded move to deferred, in one transaction; {@code sql} sets the
   * trigger, its timeout and updated_at first, {@code guard} binds the rest from parameter 4. If
   * the instance moved on before it could defer, the new trigger must not outlive the attempt.
   */
  private boolean defer(
      long id,
      String kind,
      String kwargsJson,
      Instant timeoutAt,
      Instant now,
      String sql,
      Jdbc.Binder guard) {
    return jdbc.inTransaction(
        () -> {
          long triggerId = triggers.insert(kind, kwargsJson, now);
          int changed =
              jdbc.update(
                  "deferring task instance id=" + id,
                  sql,
                  ps -> {
                    ps.setLong(1, triggerId);
                    dialect.setInstant(ps, 2, timeoutAt);
                    dialect.setInstant(ps, 3, now);
                    guard.bind(ps);
                  });
          if (changed == 0) {
            triggers.delete(triggerId);
            return false;
          }
          return true;
        });
  }

  /** The deferred task instance that trigger {@code triggerId} belongs to; empty if none is. */
  public Optional<Deferred> forTrigger(long triggerId) {
    return jdbc.queryOne(
        "reading the task instance of trigger id=" + triggerId,
        FOR_TRIGGER,
        ps -> ps.setLong(1, triggerId),
        rs ->
            new Deferred(
                rs.getLong("id"),
                rs.getString("dag_id"),
                rs.getString("run_id"),
                rs.getString("task_id"),
                rs.getInt("map_index"),
                rs.getInt("try_number"),
                rs.getLong("trigger_id"),
                dialect.getInstant(rs, "start_date"),
                dialect.getInstant(rs, "trigger_timeout")));
  }

  /** Sets the instance's {@code trigger_timeout} if it has none (at the first check). */
  public boolean startTimeout(long id, long triggerId, Instant timeoutAt) {
    return jdbc.update(
            "setting the timeout of task instance id=" + id,
            START_TIMEOUT,
            ps -> {
              dialect.setInstant(ps, 1, timeoutAt);
              ps.setLong(2, id);
              ps.setLong(3, triggerId);
            })
        > 0;
  }

  /**
   * Ends a deferred try: deferred to {@code to} (success, failed, skipped, or up_for_retry with
   * {@code nextRetryAt}), with its {@code task_instance_history} row, the trigger deleted and the
   * instance's trigger columns cleared, in one transaction. False when the instance is no longer
   * deferred on {@code triggerId}.
   */
  public boolean endDeferred(
      long id, long triggerId, TaskInstanceState to, Instant nextRetryAt, Instant now) {
    if (!DEFERRED_ENDS.contains(to)) {
      throw new IllegalArgumentException(
          "endDeferred ends a deferred try (-> success, failed, skipped or up_for_retry), not -> "
              + to.id());
    }
    TaskInstanceTransitions.check(DEFERRED, to, "task_instance id=" + id);
    return jdbc.inTransaction(
        () -> {
          int changed =
              jdbc.update(
                  "ending deferred task instance id=" + id,
                  endDeferred,
                  ps -> {
                    ps.setString(1, to.id());
                    dialect.setInstant(ps, 2, now);
                    dialect.setInstant(ps, 3, now);
                    dialect.setInstant(ps, 4, to == UP_FOR_RETRY ? nextRetryAt : null);
                    dialect.setInstant(ps, 5, now);
                    ps.setLong(6, id);
                    ps.setLong(7, triggerId);
                  });
          if (changed == 0) {
            return false;
          }
          tries.recordHistory(id);
          triggers.delete(triggerId);
          return true;
        });
  }

  /**
   * Running to up_for_reschedule until {@code rescheduleAt}, keeping the try number (the next check
   * is the same try), with a {@code task_reschedule} row for this check.
   *
   * @param checkStart when this check's try started
   */
  public boolean reschedule(
      long id, int tryNumber, Instant checkStart, Instant rescheduleAt, Instant now) {
    TaskInstanceTransitions.check(RUNNING, UP_FOR_RESCHEDULE, "task_instance id=" + id);
    return jdbc.inTransaction(
        () -> {
          int changed =
              jdbc.update(
                  "rescheduling task instance id=" + id,
                  reschedule,
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    dialect.setInstant(ps, 2, now);
                    dialect.setInstant(ps, 3, rescheduleAt);
                    dialect.setInstant(ps, 4, now);
                    ps.setLong(5, id);
                    ps.setInt(6, tryNumber);
                  });
          if (changed == 0) {
            return false;
          }
          jdbc.update(
              "recording a check of task instance id=" + id,
              INSERT_RESCHEDULE,
              ps -> {
                dialect.setInstant(ps, 1, checkStart);
                dialect.setInstant(ps, 2, now);
                ps.setDouble(
                    3,
                    Duration.between(Dialect.micros(checkStart), Dialect.micros(now)).toNanos()
                        / 1e9);
                dialect.setInstant(ps, 4, rescheduleAt);
                ps.setLong(5, id);
              });
          return true;
        });
  }

  /** When try {@code tryNumber} of the instance made its first check; empty before the first. */
  public Optional<Instant> firstCheck(long id, int tryNumber) {
    return jdbc.queryOne(
        "reading the first check of task instance id=" + id,
        FIRST_CHECK,
        ps -> {
          ps.setLong(1, id);
          ps.setInt(2, tryNumber);
        },
        rs -> dialect.getInstant(rs, "start_date"));
  }
}
