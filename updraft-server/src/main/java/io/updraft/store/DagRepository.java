package io.updraft.store;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code dag} table: one row per DAG the DAG processor has seen, with its pause flag and the
 * fields of its next scheduled run.
 *
 * <p>{@link #upsert} keeps {@code is_paused} of an existing row (a user's pause survives every
 * re-parse) and takes it from configuration for a new one, so it is an UPDATE, then an INSERT when
 * no row changed, not the dialect's one-statement upsert, which would overwrite the flag.
 */
public final class DagRepository {
  private static final String COLUMNS =
      """
      dag_id, fileloc, owners, description, is_paused, is_active, has_import_errors,
      last_parsed_time, timetable_summary, max_active_runs, max_active_tasks,
      has_task_concurrency_limits, next_dagrun, next_dagrun_data_interval_start,
      next_dagrun_data_interval_end, next_dagrun_create_after
      """;

  private static final String UPDATE_PARSED =
      """
      UPDATE dag
      SET fileloc = ?, owners = ?, description = ?, is_active = TRUE, has_import_errors = FALSE,
          last_parsed_time = ?, timetable_summary = ?, max_active_runs = ?, max_active_tasks = ?,
          has_task_concurrency_limits = ?
      WHERE dag_id = ?
      """;

  private static final String INSERT_PARSED =
      """
      INSERT INTO dag (fileloc, owners, description, is_active, has_import_errors,
                       last_parsed_time, timetable_summary, max_active_runs, max_active_tasks,
                       has_task_concurrency_limits, dag_id, is_paused)
      VALUES (?, ?, ?, TRUE, FALSE, ?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String GET = "SELECT " + COLUMNS + " FROM dag WHERE dag_id = ?";

  private static final String LIST = "SELECT " + COLUMNS + " FROM dag ORDER BY dag_id";

  private static final String SET_PAUSED =
      """
      UPDATE dag
      SET is_paused = ?
      WHERE dag_id = ?
      """;

  private static final String ACTIVE_FILES =
      """
      SELECT dag_id, fileloc
      FROM dag
      WHERE is_active = TRUE
      """;

  private static final String ACTIVE_IN_FILE =
      """
      SELECT dag_id
      FROM dag
      WHERE is_active = TRUE AND fileloc = ?
      ORDER BY dag_id
      """;

  private static final String DEACTIVATE =
      """
      UPDATE dag
      SET is_active = FALSE
      WHERE dag_id = ? AND is_active = TRUE
      """;

  private static final String DEACTIVATE_NOT_PARSED_SINCE =
      """
      UPDATE dag
      SET is_active = FALSE
      WHERE fileloc = ? AND is_active = TRUE
        AND (last_parsed_time IS NULL OR last_parsed_time < ?)
      """;

  private static final String SET_NEXT_RUN =
      """
      UPDATE dag
      SET next_dagrun = ?, next_dagrun_data_interval_start = ?, next_dagrun_data_interval_end = ?,
          next_dagrun_create_after = ?
      WHERE dag_id = ?
      """;

  /**
   * Step 1 of the scheduler loop: the due DAGs in order, read without locks; {@link #LOCK_DUE} then
   * locks them by primary key (see {@link LockByIds}: a locking ORDER BY on H2 locks every due DAG,
   * so a second scheduler would find none).
   */
  private static final String DUE_CANDIDATES =
      """
      SELECT dag_id
      FROM dag
      WHERE is_active = TRUE AND is_paused = FALSE AND next_dagrun_create_after <= ?
      ORDER BY next_dagrun_create_after, dag_id
      LIMIT ?
      """;

  /** Re-checks the conditions under the lock: the unlocked read may be stale. */
  private static final String LOCK_DUE =
      "SELECT "
          + COLUMNS
          + """
          FROM dag
          WHERE dag_id IN (%s)
            AND is_active = TRUE AND is_paused = FALSE AND next_dagrun_create_after <= ?
          FOR UPDATE SKIP LOCKED
          """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds lockDue = new LockByIds(LOCK_DUE);

  public DagRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /**
   * Records a successfully parsed DAG: creates its row, or updates the parsed fields of the
   * existing one (leaving {@code is_paused} and the next-run fields alone). Marks it active and
   * without import errors.
   *
   * @param pausedAtCreation {@code core.dags_are_paused_at_creation}: the pause flag of a new row
   * @return true when the row was created
   */
  public boolean upsert(Dag dag, String fileloc, boolean pausedAtCreation, Instant now) {
    String what = "recording DAG '" + dag.dagId() + "'";
    Jdbc.Binder parsed =
        ps -> {
          ps.setString(1, fileloc);
          ps.setString(2, owners(dag));
          ps.setString(3, dag.description());
          dialect.setInstant(ps, 4, now);
          ps.setString(5, dag.schedule().text());
          ps.setInt(6, dag.maxActiveRuns());
          ps.setInt(7, dag.maxActiveTasks());
          ps.setBoolean(8, dag.tasks().stream().anyMatch(t -> t.maxActiveTisPerDag() != null));
          ps.setString(9, dag.dagId());
        };
    if (jdbc.update(what, UPDATE_PARSED, parsed) > 0) {
      return false;
    }
    try {
      jdbc.update(
          what,
          INSERT_PARSED,
          ps -> {
            parsed.bind(ps);
            ps.setBoolean(10, pausedAtCreation);
          });
      return true;
    } catch (DatabaseException e) {
      // Another DAG processor inserted it between our UPDATE and INSERT: update what it wrote.
      if (e.getCause() instanceof SQLException sql
          && dialect.isUniqueViolation(sql)
          && !jdbc.inTransaction()) {
        jdbc.update(what, UPDATE_PARSED, parsed);
        return false;
      }
      throw e;
    }
  }

  /** Airflow's {@code DAG.owner}: the distinct owners of the tasks, in task order. */
  static String owners(Dag dag) {
    Set<String> owners = new LinkedHashSet<>();
    for (Task t : dag.tasks()) {
      owners.add(t.owner());
    }
    return owners.isEmpty() ? Task.DEFAULT_OWNER : String.join(", ", owners);
  }

  public Optional<DagRow> get(String dagId) {
    return jdbc.queryOne(
        "reading DAG '" + dagId + "'", GET, ps -> ps.setString(1, dagId), this::row);
  }

  /** Every DAG, active or not, by dag_id. */
  public List<DagRow> list() {
    return jdbc.query("listing DAGs", LIST, Jdbc.Binder.NONE, this::row);
  }

  /** Pauses or unpauses a DAG; false when there is no such DAG. */
  public boolean setPaused(String dagId, boolean paused) {
    return jdbc.update(
            (paused ? "pausing" : "unpausing") + " DAG '" + dagId + "'",
            SET_PAUSED,
            ps -> {
              ps.setBoolean(1, paused);
              ps.setString(2, dagId);
            })
        > 0;
  }

  /**
   * Marks inactive every active DAG whose file is not in {@code filelocs} (the files the DAG
   * processor found in the dags folder); returns the dag_ids deactivated.
   */
  public List<String> deactivateFilesNotIn(Collection<String> filelocs) {
    Set<String> present = Set.copyOf(filelocs);
    List<String> gone =
        jdbc
            .query(
                "listing active DAG files",
                ACTIVE_FILES,
                Jdbc.Binder.NONE,
                rs -> new String[] {rs.getString("dag_id"), rs.getString("fileloc")})
            .stream()
            .filter(r -> r[1] == null || !present.contains(r[1]))
            .map(r -> r[0])
            .toList();
    jdbc.batch(
        "deactivating DAGs of deleted files", DEACTIVATE, gone, (ps, id) -> ps.setString(1, id));
    return gone;
  }

  /** The dag_ids of the active DAGs last read from {@code fileloc}. */
  public List<String> activeInFile(String fileloc) {
    return jdbc.query(
        "listing the DAGs of " + fileloc,
        ACTIVE_IN_FILE,
        ps -> ps.setString(1, fileloc),
        rs -> rs.getString("dag_id"));
  }

  /** Marks these DAGs inactive (their file no longer defines them); returns the ones that were. */
  public List<String> deactivate(List<String> dagIds) {
    int[] counts =
        jdbc.batch("deactivating DAGs", DEACTIVATE, dagIds, (ps, id) -> ps.setString(1, id));
    List<String> done = new java.util.ArrayList<>();
    for (int i = 0; i < dagIds.size(); i++) {
      if (counts[i] != 0) {
        done.add(dagIds.get(i));
      }
    }
    return done;
  }

  /**
   * Marks inactive the DAGs of {@code fileloc} not recorded by {@link #upsert} since {@code
   * parseStarted}: the file was parsed again and no longer defines them. Returns how many.
   */
  public int deactivateNotParsedSince(String fileloc, Instant parseStarted) {
    return jdbc.update(
        "deactivating DAGs removed from " + fileloc,
        DEACTIVATE_NOT_PARSED_SINCE,
        ps -> {
          ps.setString(1, fileloc);
          dialect.setInstant(ps, 2, parseStarted);
        });
  }

  /**
   * Sets the next-run fields of a DAG; {@code next == null} clears them (no further run: the
   * timetable ended or the DAG is manual-only). Returns false when there is no such DAG.
   */
  public boolean setNextRun(String dagId, NextDagRun next) {
    return jdbc.update(
            "setting the next run of DAG '" + dagId + "'",
            SET_NEXT_RUN,
            ps -> {
              dialect.setInstant(ps, 1, next == null ? null : next.logicalDate());
              dialect.setInstant(ps, 2, next == null ? null : next.dataIntervalStart());
              dialect.setInstant(ps, 3, next == null ? null : next.dataIntervalEnd());
              dialect.setInstant(ps, 4, next == null ? null : next.createAfter());
              ps.setString(5, dagId);
            })
        > 0;
  }

  /**
   * Active, unpaused DAGs whose next run may be created ({@code next_dagrun_create_after <= now}),
   * earliest first, locked {@code FOR UPDATE SKIP LOCKED} until the caller's transaction ends: rows
   * another scheduler holds are left out. Must run inside {@link Database#inTransaction}.
   */
  public List<DagRow> dueForRunCreation(Instant now, int limit) {
    jdbc.requireTransaction("DagRepository.dueForRunCreation");
    String what = "finding DAGs due for a new run";
    List<String> ids =
        jdbc.query(
            what,
            DUE_CANDIDATES,
            ps -> {
              dialect.setInstant(ps, 1, now);
              ps.setInt(2, limit);
            },
            rs -> rs.getString("dag_id"));
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, DagRow> locked = new HashMap<>();
    jdbc.query(
        what,
        lockDue.sql(ids.size()),
        ps -> dialect.setInstant(ps, lockDue.bind(ps, 1, ids), now),
        rs -> {
          DagRow row = row(rs);
          return locked.put(row.dagId(), row);
        });
    return ids.stream().map(locked::get).filter(java.util.Objects::nonNull).toList();
  }

  private DagRow row(ResultSet rs) throws SQLException {
    Instant createAfter = dialect.getInstant(rs, "next_dagrun_create_after");
    return new DagRow(
        rs.getString("dag_id"),
        rs.getString("fileloc"),
        rs.getString("owners"),
        rs.getString("description"),
        rs.getBoolean("is_paused"),
        rs.getBoolean("is_active"),
        rs.getBoolean("has_import_errors"),
        dialect.getInstant(rs, "last_parsed_time"),
        rs.getString("timetable_summary"),
        (Integer) rs.getObject("max_active_runs", Integer.class),
        rs.getInt("max_active_tasks"),
        rs.getBoolean("has_task_concurrency_limits"),
        createAfter == null
            ? null
            : new NextDagRun(
                dialect.getInstant(rs, "next_dagrun"),
                dialect.getInstant(rs, "next_dagrun_data_interval_start"),
                dialect.getInstant(rs, "next_dagrun_data_interval_end"),
                createAfter));
  }
}
