package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code deferred_trigger} table: triggers written when a task instance defers (see {@link
 * TaskInstanceDeferrals}), claimed by triggerers, deleted when their task instance ends or is
 * cleared. All SQL on the table is here.
 *
 * <p>A trigger is held by the triggerer whose job id is in its {@code triggerer_id}; nothing else
 * marks a claim. Whether that triggerer is alive is the caller's knowledge (the job table's
 * heartbeats), passed to {@link #claim} as the list of live triggerers: a row held by anyone else
 * is up for grabs.
 */
public final class TriggerRepository {
  private static final String COLUMNS = "id, classpath, kwargs, created_date, triggerer_id";

  private static final String INSERT =
      """
      INSERT INTO deferred_trigger (classpath, kwargs, created_date, triggerer_id)
      VALUES (?, ?, ?, NULL)
      """;

  /**
   * Free rows (nobody holds them, or a triggerer not in the list does), oldest first, locked. In
   * primary key order, so each engine locks only the rows it returns (see {@link
   * Dialect#primaryKeyScanHint}); the claimer's own id is always first in the list, so it never
   * claims again what it already holds.
   */
  private static final String FREE =
      "SELECT "
          + COLUMNS
          + """
           FROM deferred_trigger %s
          WHERE triggerer_id IS NULL OR triggerer_id NOT IN (%%s)
          ORDER BY id
          LIMIT ?
          FOR UPDATE SKIP LOCKED
          """;

  private static final String TAKE =
      """
      UPDATE deferred_trigger
      SET triggerer_id = ?
      WHERE id IN (%s)
      """;

  private static final String HELD_BY =
      "SELECT id FROM deferred_trigger WHERE triggerer_id = ? ORDER BY id";

  private static final String RELEASE =
      "UPDATE deferred_trigger SET triggerer_id = NULL WHERE triggerer_id = ?";

  private static final String GET = "SELECT " + COLUMNS + " FROM deferred_trigger WHERE id = ?";

  private static final String COUNT = "SELECT COUNT(*) FROM deferred_trigger";

  private static final String DELETE = "DELETE FROM deferred_trigger WHERE id = ?";

  /**
   * The triggers of task instances about to leave deferred some other way than the triggerer (a
   * clear, a mark, a run timeout). Read under the instances' own guard, so a trigger whose instance
   * the triggerer already ended is not looked for.
   */
  private static final String DELETE_FOR_INSTANCES =
      """
      DELETE FROM deferred_trigger
      WHERE id IN (SELECT trigger_id FROM task_instance
                   WHERE id IN (%s) AND state = 'deferred' AND trigger_id IS NOT NULL)
      """;

  /**
   * Triggers no deferred task instance points to. A deferral writes its trigger and the instance's
   * trigger_id in one transaction, so a committed trigger without its instance is truly orphaned.
   */
  private static final String DELETE_UNUSED =
      """
      DELETE FROM deferred_trigger
      WHERE NOT EXISTS (SELECT 1 FROM task_instance
                        WHERE task_instance.trigger_id = deferred_trigger.id
                          AND task_instance.state = 'deferred')
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds free;
  private final LockByIds take = new LockByIds(TAKE);
  private final LockByIds deleteForInstances = new LockByIds(DELETE_FOR_INSTANCES);

  public TriggerRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.free = new LockByIds(FREE.formatted(dialect.primaryKeyScanHint()));
  }

  /**
   * Claims up to {@code max} triggers for triggerer job {@code triggererId}: those no triggerer
   * holds, and those held by a triggerer not in {@code alive} (its heartbeat is older than {@code
   * scheduler.scheduler_health_check_threshold}). Rows are locked {@code FOR UPDATE SKIP LOCKED},
   * so two triggerers never claim one trigger. Oldest first.
   *
   * @return the triggers claimed now
   */
  public List<TriggerRow> claim(long triggererId, Collection<Long> alive, int max, Instant now) {
    if (max <= 0) {
      return List.of();
    }
    Set<Long> holders = new LinkedHashSet<>();
    holders.add(triggererId);
    holders.addAll(alive);
    List<Long> live = List.copyOf(holders);
    return jdbc.inTransaction(
        () -> {
          List<TriggerRow> found =
              jdbc.query(
                  "claiming triggers for triggerer job " + triggererId,
                  free.sql(live.size()),
                  ps -> ps.setInt(free.bind(ps, 1, live), max),
                  this::row);
          if (found.isEmpty()) {
            return List.of();
          }
          List<Long> ids = found.stream().map(TriggerRow::id).toList();
          jdbc.update(
              "claiming triggers for triggerer job " + triggererId,
              take.sql(ids.size()),
              ps -> {
                ps.setLong(1, triggererId);
                take.bind(ps, 2, ids);
              });
          List<TriggerRow> claimed = new ArrayList<>(found.size());
          for (TriggerRow t : found) {
            claimed.add(new TriggerRow(t.id(), t.kind(), t.kwargs(), t.createdDate(), triggererId));
          }
          return claimed;
        });
  }

  /** The ids of the triggers {@code triggererId} holds now (a cleared task's trigger is gone). */
  public Set<Long> heldBy(long triggererId) {
    return new LinkedHashSet<>(
        jdbc.query(
            "reading the triggers of triggerer job " + triggererId,
            HELD_BY,
            ps -> ps.setLong(1, triggererId),
            rs -> rs.getLong("id")));
  }

  /** Lets go of every trigger {@code triggererId} holds (a graceful stop): others take them. */
  public int release(long triggererId) {
    return jdbc.update(
        "releasing the triggers of triggerer job " + triggererId,
        RELEASE,
        ps -> ps.setLong(1, triggererId));
  }

  public Optional<TriggerRow> get(long id) {
    return jdbc.queryOne("reading trigger id=" + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  /** How many triggers exist, held or not (for metrics and tests). */
  public int count() {
    return jdbc.queryOne("counting triggers", COUNT, Jdbc.Binder.NONE, rs -> rs.getInt(1))
        .orElse(0);
  }

  /**
   * Deletes the triggers whose task instance is gone (its run was deleted) or no longer deferred
   * (Airflow's {@code Trigger.clean_unused}); returns how many. For a triggerer's housekeeping.
   */
  public int deleteUnused() {
    return jdbc.update("deleting unused triggers", DELETE_UNUSED, Jdbc.Binder.NONE);
  }

  /** A new trigger nobody holds yet; returns its id. Part of a deferral's transaction. */
  long insert(String kind, String kwargsJson, Instant now) {
    return jdbc.insertReturningId(
        "recording a trigger of kind " + kind,
        INSERT,
        ps -> {
          ps.setString(1, kind);
          ps.setString(2, kwargsJson);
          dialect.setInstant(ps, 3, now);
        });
  }

  /** Deletes a trigger whose task instance left deferred. */
  void delete(long id) {
    jdbc.update("deleting trigger id=" + id, DELETE, ps -> ps.setLong(1, id));
  }

  /**
   * Deletes the triggers of those of {@code taskInstanceIds} that are deferred, before they are
   * cleared or marked (in the caller's transaction).
   */
  int deleteForTaskInstances(List<Long> taskInstanceIds) {
    int deleted = 0;
    for (int from = 0; from < taskInstanceIds.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<Long> chunk =
          taskInstanceIds.subList(
              from, Math.min(taskInstanceIds.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
      deleted +=
          jdbc.update(
              "deleting the triggers of cleared task instances",
              deleteForInstances.sql(chunk.size()),
              ps -> deleteForInstances.bind(ps, 1, chunk));
    }
    return deleted;
  }

  /**
   * Deletes the triggers of a run's task instances, before the run is deleted; returns how many.
   */
  public int deleteForRun(String dagId, String runId) {
    return jdbc.update(
        "deleting the triggers of " + DagRunRepository.describe(dagId, runId),
        """
        DELETE FROM deferred_trigger
        WHERE id IN (SELECT trigger_id FROM task_instance
                     WHERE dag_id = ? AND run_id = ? AND trigger_id IS NOT NULL)
        """,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        });
  }

  private TriggerRow row(ResultSet rs) throws SQLException {
    long holder = rs.getLong("triggerer_id");
    Long holderOrNull = rs.wasNull() ? null : holder;
    return new TriggerRow(
        rs.getLong("id"),
        rs.getString("classpath"),
        rs.getString("kwargs"),
        dialect.getInstant(rs, "created_date"),
        holderOrNull);
  }
}
