package io.updraft.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code callback_request} table (SPEC §1.8): notifiers to run, written in the transaction of
 * the state change that causes them ({@link #add} joins the caller's transaction), claimed by a
 * callback runner with a lease and finished with their outcome. Its SQL lives here only.
 *
 * <p>States: {@code pending} (due at {@code next_attempt_at}), {@code running} (claimed; {@code
 * next_attempt_at} is then the end of the lease, after which another runner takes it over: a runner
 * killed mid-callback loses nothing), {@code success}, {@code failed} (every attempt failed; {@code
 * last_error} says why).
 */
public final class CallbackRequestRepository {
  /** A callback to write; {@code taskId} null for a run's callbacks (on_success, deadline...). */
  public record NewCallback(
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      String event,
      String notifierJson,
      String reason) {}

  /** A row of the table. */
  public record CallbackRow(
      long id,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      String event,
      String notifierJson,
      String reason,
      String state,
      int attempts,
      int maxAttempts,
      Instant nextAttemptAt,
      String claimedBy,
      String lastError,
      Instant createdAt) {}

  private static final String COLUMNS =
      """
      id, dag_id, run_id, task_id, map_index, try_number, event, notifier, reason, state, attempts,
      max_attempts, next_attempt_at, claimed_by, last_error, created_at
      """;

  private static final String INSERT =
      """
      INSERT INTO callback_request (
          dag_id, run_id, task_id, map_index, try_number, event, notifier, reason, state,
          attempts, max_attempts, next_attempt_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
      """;

  /** Due rows, oldest first; pending ones and those whose runner's lease ran out. */
  private static final String DUE =
      "SELECT "
          + COLUMNS
          + """
          FROM callback_request
          WHERE state IN ('pending', 'running') AND next_attempt_at <= ?
          ORDER BY next_attempt_at, id
          LIMIT ?
          FOR UPDATE SKIP LOCKED
          """;

  private static final String CLAIM =
      """
      UPDATE callback_request
      SET state = 'running', attempts = attempts + 1, next_attempt_at = ?, claimed_by = ?,
          updated_at = ?
      WHERE id = ?
      """;

  /** Guarded by the claim: a runner whose lease was taken over must not overwrite the new one. */
  private static final String FINISH =
      """
      UPDATE callback_request
      SET state = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
      WHERE id = ? AND state = 'running' AND claimed_by = ? AND attempts = ?
      """;

  private static final String FOR_RUN =
      "SELECT "
          + COLUMNS
          + """
          FROM callback_request
          WHERE dag_id = ? AND run_id = ?
          ORDER BY id
          """;

  private static final String COUNT_OPEN =
      "SELECT COUNT(*) FROM callback_request WHERE state IN ('pending', 'running')";

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final int maxAttempts;

  /** {@code maxAttempts}: how many times a failing notifier is tried before it is failed. */
  public CallbackRequestRepository(Database database, int maxAttempts) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.maxAttempts = maxAttempts;
  }

  public CallbackRequestRepository(Database database) {
    this(database, 3);
  }

  /** Writes callbacks due now, in the caller's transaction if there is one. */
  public void add(List<NewCallback> callbacks, Instant now) {
    if (callbacks.isEmpty()) {
      return;
    }
    jdbc.batch(
        "recording callbacks to run",
        INSERT,
        callbacks,
        (ps, c) -> {
          ps.setString(1, c.dagId());
          ps.setString(2, c.runId());
          ps.setString(3, c.taskId());
          ps.setInt(4, c.mapIndex());
          ps.setInt(5, c.tryNumber());
          ps.setString(6, c.event());
          ps.setString(7, c.notifierJson());
          ps.setString(8, c.reason());
          ps.setInt(9, maxAttempts);
          dialect.setInstant(ps, 10, now);
          dialect.setInstant(ps, 11, now);
          dialect.setInstant(ps, 12, now);
        });
  }

  /**
   * Claims up to {@code limit} due callbacks for {@code runner} until {@code now + lease}: each
   * comes back with its attempt counted. Rows another runner holds are skipped, not waited for.
   */
  public List<CallbackRow> claim(String runner, int limit, Duration lease, Instant now) {
    return jdbc.inTransaction(
        () -> {
          List<CallbackRow> due =
              jdbc.query(
                  "finding due callbacks",
                  DUE,
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    ps.setInt(2, limit);
                  },
                  this::row);
          Instant until = now.plus(lease);
          List<CallbackRow> claimed = new ArrayList<>();
          for (CallbackRow r : due) {
            jdbc.update(
                "claiming callback id=" + r.id(),
                CLAIM,
                ps -> {
                  dialect.setInstant(ps, 1, until);
                  ps.setString(2, runner);
                  dialect.setInstant(ps, 3, now);
                  ps.setLong(4, r.id());
                });
            claimed.add(
                new CallbackRow(
                    r.id(),
                    r.dagId(),
                    r.runId(),
                    r.taskId(),
                    r.mapIndex(),
                    r.tryNumber(),
                    r.event(),
                    r.notifierJson(),
                    r.reason(),
                    "running",
                    r.attempts() + 1,
                    r.maxAttempts(),
                    until,
                    runner,
                    r.lastError(),
                    r.createdAt()));
          }
          return claimed;
        });
  }

  /** Records a success; false when the claim was lost meanwhile (another runner took it over). */
  public boolean succeeded(CallbackRow claimed, Instant now) {
    return finish(claimed, "success", now, null, now);
  }

  /**
   * Records a failed attempt: pending again at {@code retryAt}, or failed for good when it was the
   * last attempt. False when the claim was lost meanwhile.
   */
  public boolean attemptFailed(CallbackRow claimed, String error, Instant retryAt, Instant now) {
    boolean last = claimed.attempts() >= claimed.maxAttempts();
    return finish(claimed, last ? "failed" : "pending", last ? now : retryAt, error, now);
  }

  private boolean finish(
      CallbackRow claimed, String state, Instant next, String error, Instant now) {
    return jdbc.update(
            "recording the outcome of callback id=" + claimed.id(),
            FINISH,
            ps -> {
              ps.setString(1, state);
              dialect.setInstant(ps, 2, next);
              ps.setString(3, error);
              dialect.setInstant(ps, 4, now);
              ps.setLong(5, claimed.id());
              ps.setString(6, claimed.claimedBy());
              ps.setInt(7, claimed.attempts());
            })
        > 0;
  }

  /** The callbacks of one run (its tasks' and its own), in the order they were written. */
  public List<CallbackRow> forRun(String dagId, String runId) {
    return jdbc.query(
        "reading the callbacks of run " + runId,
        FOR_RUN,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        },
        this::row);
  }

  /**
   * Deletes the callbacks of a run being deleted, whatever their state; returns how many. One a
   * runner holds now still runs once, then finds its row gone.
   */
  public int deleteForRun(String dagId, String runId) {
    return jdbc.update(
        "deleting the callbacks of run " + runId,
        "DELETE FROM callback_request WHERE dag_id = ? AND run_id = ?",
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        });
  }

  /** How many callbacks are still to run (pending or running). */
  public int countOpen() {
    return jdbc.queryOne("counting open callbacks", COUNT_OPEN, ps -> {}, rs -> rs.getInt(1))
        .orElse(0);
  }

  private CallbackRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new CallbackRow(
        rs.getLong("id"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        rs.getString("task_id"),
        rs.getInt("map_index"),
        rs.getInt("try_number"),
        rs.getString("event"),
        rs.getString("notifier"),
        rs.getString("reason"),
        rs.getString("state"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        dialect.getInstant(rs, "next_attempt_at"),
        rs.getString("claimed_by"),
        rs.getString("last_error"),
        dialect.getInstant(rs, "created_at"));
  }
}
