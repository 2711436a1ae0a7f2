package io.updraft.store;

import io.updraft.state.DagRunState;
import io.updraft.state.DagRunTransitions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code dag_run} table.
 *
 * <p>Every state change goes through {@link DagRunTransitions} and is guarded in SQL by the state
 * the caller expects ({@code WHERE id = ? AND state = ?}): an update count of 0 means another
 * scheduler or a user changed the run first. That is a lost race the caller skips, not an error.
 */
public final class DagRunRepository {
  private static final String COLUMNS =
      """
      id, dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end,
      run_after, queued_at, start_date, end_date, external_trigger, conf, dag_hash,
      last_scheduling_decision, creating_job_id, clear_number
      """;

  private static final String INSERT =
      """
      INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start,
                           data_interval_end, run_after, queued_at, start_date, external_trigger,
                           conf, dag_hash, creating_job_id, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String INSERT_PREFIX =
      """
      INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start,
                           data_interval_end, run_after, queued_at, start_date, external_trigger,
                           conf, dag_hash, creating_job_id, updated_at)
      VALUES\s""";

  private static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Rows per multi-row statement of {@link #createAll}: a backfill's transaction of 500 runs in one
   * statement (over H2's TCP server every statement is a round trip, decisions/0176); 7,500
   * parameters, below every database's limit (PostgreSQL's driver: 32,767).
   */
  private static final int ROWS_PER_STATEMENT = 500;

  private static final String TAKEN =
      "SELECT run_id, logical_date FROM dag_run WHERE dag_id = ? AND (run_id IN (%s) OR"
          + " logical_date IN (%s))";

  private static final String GET_BY_RUN_IDS =
      "SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = ? AND run_id IN (%s)";

  private static final String GET_BY_RUN_ID =
      "SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = ? AND run_id = ?";

  private static final String GET_BY_ID = "SELECT " + COLUMNS + " FROM dag_run WHERE id = ?";

  /**
   * Two lookups, each on its unique index, in one statement (an {@code OR} of the two keys is
   * planned as a scan of every run of the DAG). A null logical date matches nothing.
   */
  private static final String TAKEN_BY_RUN_ID_OR_DATE =
      """
      SELECT run_id, logical_date FROM dag_run WHERE dag_id = ? AND run_id = ?
      UNION ALL
      SELECT run_id, logical_date FROM dag_run WHERE dag_id = ? AND logical_date = ?
      """;

  private static final String LIST =
      "SELECT "
          + COLUMNS
          + """
          FROM dag_run
          WHERE dag_id = ?
          ORDER BY run_after DESC, id DESC
          LIMIT ?
          """;

  private static final String COUNT = "SELECT COUNT(*) FROM dag_run WHERE dag_id = ?";

  private static final String COUNT_ACTIVE =
      """
      SELECT COUNT(*)
      FROM dag_run
      WHERE dag_id = ? AND state IN ('queued', 'running')
      """;

  private static final String COUNT_RUNNING_BY_DAG =
      """
      SELECT dag_id, COUNT(*) AS running
      FROM dag_run
      WHERE state = 'running'
      GROUP BY dag_id
      """;

  /**
   * Step 2 of the loop: candidates, unlocked; {@link #lockQueued} locks them. Runs of paused DAGs
   * are left out here, not after reading them: hundreds of them queued (a bulk trigger or a
   * backfill of a paused DAG) were read by every pass and filled its page, so no other DAG's run
   * started.
   */
  private static final String QUEUED_CANDIDATES =
      """
      SELECT id
      FROM dag_run r
      WHERE state = 'queued'
        AND NOT EXISTS (SELECT 1 FROM dag d WHERE d.dag_id = r.dag_id AND d.is_paused = TRUE)
      ORDER BY run_after, id
      LIMIT ?
      """;

  /** Step 3 of the loop: candidates, unlocked; {@link #lockRunning} locks them. */
  private static final String RUNNING_CANDIDATES =
      """
      SELECT id
      FROM dag_run
      WHERE state = 'running'
      ORDER BY CASE WHEN last_scheduling_decision IS NULL THEN 0 ELSE 1 END,
               last_scheduling_decision, id
      LIMIT ?
      """;

  /** {@link #RUNNING_CANDIDATES} not examined since a given instant. */
  private static final String RUNNING_CANDIDATES_NOT_SINCE =
      """
      SELECT id
      FROM dag_run
      WHERE state = 'running'
        AND (last_scheduling_decision IS NULL OR last_scheduling_decision < ?)
      ORDER BY CASE WHEN last_scheduling_decision IS NULL THEN 0 ELSE 1 END,
               last_scheduling_decision, id
      LIMIT ?
      """;

  private static final String LOCK =
      "SELECT "
          + COLUMNS
          + """
          FROM dag_run
          WHERE id IN (%s) AND state = ?
          FOR UPDATE SKIP LOCKED
          """;

  private static final String TO_QUEUED =
      """
      UPDATE dag_run
      SET state = 'queued', queued_at = ?, start_date = NULL, end_date = NULL,
          last_scheduling_decision = NULL, clear_number = clear_number + 1, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  private static final String TO_RUNNING =
      """
      UPDATE dag_run
      SET state = 'running', start_date = ?, end_date = NULL, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  private static final String TO_FINISHED =
      """
      UPDATE dag_run
      SET state = ?, end_date = ?, updated_at = ?
      WHERE id = ? AND state = ?
      """;

  private static final String MANY_TO_RUNNING =
      """
      UPDATE dag_run
      SET state = 'running', start_date = ?, end_date = NULL, updated_at = ?
      WHERE id IN (%s) AND state = ?
      """;

  /** A pass's run ends, which also record the pass as the runs' last scheduling decision. */
  private static final String MANY_TO_FINISHED =
      """
      UPDATE dag_run
      SET state = ?, end_date = ?, updated_at = ?, last_scheduling_decision = ?
      WHERE id IN (%s) AND state = ?
      """;

  private static final String TOUCH_DECISION =
      """
      UPDATE dag_run
      SET last_scheduling_decision = ?
      WHERE id IN (%s)
      """;

  private static final String PREVIOUS_SCHEDULED =
      "SELECT "
          + COLUMNS
          + """
          FROM dag_run
          WHERE dag_id = ? AND logical_date < ? AND run_type = 'scheduled'
          ORDER BY logical_date DESC
          LIMIT 1
          """;

  private static final String PREVIOUS_ANY =
      "SELECT "
          + COLUMNS
          + """
          FROM dag_run
          WHERE dag_id = ? AND logical_date < ?
          ORDER BY logical_date DESC
          LIMIT 1
          """;

  /** Reads the DAG's runs back from the date by the unique (dag_id, logical_date) key. */
  private static final String PREVIOUS_SUCCESS =
      "SELECT "
          + COLUMNS
          + """
          FROM dag_run
          WHERE dag_id = ? AND state = 'success' AND logical_date < ?
          ORDER BY logical_date DESC
          LIMIT 1
          """;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds lock;
  private final LockByIds touchDecision = new LockByIds(TOUCH_DECISION);
  private final LockByIds byRunIds = new LockByIds(GET_BY_RUN_IDS);
  private final LockByIds manyToRunning = new LockByIds(MANY_TO_RUNNING);
  private final LockByIds manyToFinished = new LockByIds(MANY_TO_FINISHED);

  public DagRunRepository(Database database) {
    this.jdbc = database.jdbc();
    this.lock = new LockByIds(LOCK.replace("FOR UPDATE", database.dialect().rowClaimLock()));
    this.dialect = database.dialect();
  }

  /**
   * Creates a run; returns its id. {@code queued_at} is {@code now} (and {@code start_date} too for
   * a run created running).
   *
   * @throws DuplicateDagRunException when the DAG already has a run with this run_id or logical
   *     date; nothing is written
   */
  public long create(NewDagRun run, Instant now) {
    checkNotDuplicate(run);
    try {
      return jdbc.insertReturningId(
          "creating DAG run " + describe(run.dagId(), run.runId()),
          INSERT,
          ps -> bindInsert(ps, 1, run, now));
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        // Created by someone else between our check and our insert.
        throw new DuplicateDagRunException(
            "DAG "
                + run.dagId()
                + " already has a run with run_id "
                + run.runId()
                + (run.logicalDate() == null ? "" : " or logical date " + run.logicalDate())
                + ": choose another run_id (or logical date)",
            e);
      }
      throw e;
    }
  }

  /**
   * The row {@link #create} wrote for {@code run}, given its id, without reading it back: the
   * values {@link #create} binds (times at the database's microseconds), and what a new row holds
   * besides (no end date, no scheduling decision, clear number 0).
   */
  public static DagRunRow inserted(long id, NewDagRun run, Instant now) {
    Instant at = Dialect.micros(now);
    return new DagRunRow(
        id,
        run.dagId(),
        run.runId(),
        run.runType(),
        run.state(),
        micros(run.logicalDate()),
        micros(run.dataIntervalStart()),
        micros(run.dataIntervalEnd()),
        micros(run.runAfter()),
        at,
        run.state() == DagRunState.RUNNING ? at : null,
        null,
        run.runType() == RunType.MANUAL,
        run.conf(),
        run.dagHash(),
        null,
        run.creatingJobId(),
        0);
  }

  private static Instant micros(Instant value) {
    return value == null ? null : Dialect.micros(value);
  }

  /** What {@link #createAll} did: the runs created, in the order given, and those it left out. */
  public record Created(List<DagRunRow> created, List<NewDagRun> skipped) {}

  /**
   * Creates many runs of one DAG in a few statements: one read of the run_ids and logical dates
   * already taken, multi-row inserts of the others, one read of what was created. A run whose
   * run_id or logical date the DAG already has (or an earlier run of the list has) is skipped, not
   * an error. Run it in a transaction: a run created by someone else between the read and the
   * insert fails the insert with a {@link DuplicateDagRunException}, and the caller retries the
   * transaction, whose read then sees that run.
   *
   * @throws DuplicateDagRunException a concurrent creator took a run_id or logical date
   */
  public Created createAll(List<NewDagRun> runs, Instant now) {
    if (runs.isEmpty()) {
      return new Created(List.of(), List.of());
    }
    String dagId = runs.get(0).dagId();
    if (runs.stream().anyMatch(r -> !r.dagId().equals(dagId))) {
      throw new IllegalArgumentException("createAll takes the runs of one DAG");
    }
    Set<String> takenIds = new HashSet<>();
    Set<Instant> takenDates = new HashSet<>();
    forChunks(
        runs,
        chunk -> {
          List<Instant> dates =
              chunk.stream().map(NewDagRun::logicalDate).filter(Objects::nonNull).toList();
          String sql =
              TAKEN.formatted(
                  Jdbc.placeholders(chunk.size()), Jdbc.placeholders(Math.max(1, dates.size())));
          jdbc.query(
              "reading which runs of DAG '" + dagId + "' exist",
              sql,
              ps -> {
                ps.setString(1, dagId);
                int i = 2;
                for (NewDagRun r : chunk) {
                  ps.setString(i++, r.runId());
                }
                if (dates.isEmpty()) {
                  dialect.setInstant(ps, i, null);
                }
                for (Instant d : dates) {
                  dialect.setInstant(ps, i++, d);
                }
              },
              rs -> {
                takenIds.add(rs.getString("run_id"));
                Instant date = dialect.getInstant(rs, "logical_date");
                if (date != null) {
                  takenDates.add(date);
                }
                return null;
              });
        });
    List<NewDagRun> fresh = new ArrayList<>();
    List<NewDagRun> skipped = new ArrayList<>();
    for (NewDagRun r : runs) {
      Instant date = r.logicalDate() == null ? null : Dialect.micros(r.logicalDate());
      if (!takenIds.add(r.runId()) || (date != null && !takenDates.add(date))) {
        skipped.add(r);
      } else {
        fresh.add(r);
      }
    }
    try {
      jdbc.insertRows(
          "creating " + fresh.size() + " runs of DAG '" + dagId + "'",
          INSERT_PREFIX,
          INSERT_ROW,
          fresh,
          ROWS_PER_STATEMENT,
          (ps, first, run) -> bindInsert(ps, first, run, now));
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new DuplicateDagRunException(
            "DAG "
                + dagId
                + " got a run with one of these run_ids or logical dates from someone else"
                + " meanwhile: try again",
            e);
      }
      throw e;
    }
    Map<String, DagRunRow> byRunId = getAll(dagId, fresh.stream().map(NewDagRun::runId).toList());
    return new Created(fresh.stream().map(r -> byRunId.get(r.runId())).toList(), skipped);
  }

  /** IN lists of at most this many values: every database takes them, and plans them well. */
  private static final int IN_LIST = 500;

  private static <T> void forChunks(List<T> items, java.util.function.Consumer<List<T>> work) {
    for (int from = 0; from < items.size(); from += IN_LIST) {
      work.accept(items.subList(from, Math.min(items.size(), from + IN_LIST)));
    }
  }

  private void bindInsert(PreparedStatement ps, int first, NewDagRun run, Instant now)
      throws SQLException {
    ps.setString(first, run.dagId());
    ps.setString(first + 1, run.runId());
    ps.setString(first + 2, run.runType().id());
    ps.setString(first + 3, run.state().id());
    dialect.setInstant(ps, first + 4, run.logicalDate());
    dialect.setInstant(ps, first + 5, run.dataIntervalStart());
    dialect.setInstant(ps, first + 6, run.dataIntervalEnd());
    dialect.setInstant(ps, first + 7, run.runAfter());
    dialect.setInstant(ps, first + 8, now);
    dialect.setInstant(ps, first + 9, run.state() == DagRunState.RUNNING ? now : null);
    ps.setBoolean(first + 10, run.runType() == RunType.MANUAL);
    ps.setString(first + 11, run.conf());
    ps.setString(first + 12, run.dagHash());
    if (run.creatingJobId() == null) {
      ps.setNull(first + 13, java.sql.Types.BIGINT);
    } else {
      ps.setLong(first + 13, run.creatingJobId());
    }
    dialect.setInstant(ps, first + 14, now);
  }

  /**
   * One read for both keys a new run must not share with an existing one: its run_id and its
   * logical date (a run_id taken is reported first, as before).
   */
  private void checkNotDuplicate(NewDagRun run) {
    record Taken(String runId, Instant logicalDate) {}
    List<Taken> taken =
        jdbc.query(
            "reading whether DAG run " + describe(run.dagId(), run.runId()) + " exists",
            TAKEN_BY_RUN_ID_OR_DATE,
            ps -> {
              ps.setString(1, run.dagId());
              ps.setString(2, run.runId());
              ps.setString(3, run.dagId());
              dialect.setInstant(ps, 4, run.logicalDate());
            },
            rs -> new Taken(rs.getString("run_id"), dialect.getInstant(rs, "logical_date")));
    if (taken.stream().anyMatch(t -> t.runId().equals(run.runId()))) {
      throw new DuplicateDagRunException(
          "DAG "
              + run.dagId()
              + " already has a run with run_id "
              + run.runId()
              + ": choose another run_id",
          null);
    }
    if (!taken.isEmpty()) {
      throw new DuplicateDagRunException(
          "DAG "
              + run.dagId()
              + " already has a run with logical date "
              + run.logicalDate()
              + " (run_id "
              + taken.get(0).runId()
              + "): choose another logical date",
          null);
    }
  }

  public Optional<DagRunRow> get(String dagId, String runId) {
    return jdbc.queryOne(
        "reading DAG run " + describe(dagId, runId),
        GET_BY_RUN_ID,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        },
        this::row);
  }

  /**
   * The runs of a DAG with these run_ids, by run_id (a run that does not exist is absent): one
   * statement per 500, their texts padded as a claim's ids are.
   */
  public Map<String, DagRunRow> getAll(String dagId, List<String> runIds) {
    Map<String, DagRunRow> byRunId = new HashMap<>();
    forChunks(
        List.copyOf(new java.util.LinkedHashSet<>(runIds)),
        chunk ->
            jdbc.query(
                    "reading runs of DAG '" + dagId + "'",
                    byRunIds.sql(chunk.size()),
                    ps -> {
                      ps.setString(1, dagId);
                      byRunIds.bind(ps, 2, chunk);
                    },
                    this::row)
                .forEach(r -> byRunId.put(r.runId(), r)));
    return byRunId;
  }

  public Optional<DagRunRow> get(long id) {
    return jdbc.queryOne("reading DAG run id=" + id, GET_BY_ID, ps -> ps.setLong(1, id), this::row);
  }

  /** The runs of a DAG, newest ({@code run_after}) first, at most {@code limit}. */
  public List<DagRunRow> list(String dagId, int limit) {
    return jdbc.query(
        "listing the runs of DAG '" + dagId + "'",
        LIST,
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, limit);
        },
        this::row);
  }

  /**
   * The columns a page of runs may be ordered by, by the API's field names; a name not here is
   * never put into SQL.
   */
  public static final java.util.Map<String, String> PAGE_ORDERS =
      java.util.Map.of(
          "id", "id",
          "run_id", "run_id",
          "state", "state",
          "logical_date", "logical_date",
          "run_after", "run_after",
          "start_date", "start_date",
          "end_date", "end_date");

  /**
   * One page of a DAG's runs, ordered by {@code orderBy} (a key of {@link #PAGE_ORDERS}) and then
   * by id in the same direction.
   */
  public List<DagRunRow> page(
      String dagId, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order runs by " + orderBy);
    }
    String dir = descending ? " DESC" : " ASC";
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM dag_run WHERE dag_id = ? ORDER BY "
            + column
            + dir
            + ", id"
            + dir
            + " LIMIT ? OFFSET ?";
    return jdbc.query(
        "listing the runs of DAG '" + dagId + "'",
        sql,
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, limit);
          ps.setInt(3, offset);
        },
        this::row);
  }

  /**
   * One page of the runs a filter chooses (of one DAG or of all), ordered by {@code orderBy} (a key
   * of {@link #PAGE_ORDERS}) and then by id in the same direction.
   */
  public List<DagRunRow> page(
      RunFilter filter, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order runs by " + orderBy);
    }
    FilterSql where = where(filter);
    String dir = descending ? " DESC" : " ASC";
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM dag_run"
            + where.where()
            + " ORDER BY "
            + column
            + dir
            + ", id"
            + dir
            + " LIMIT ? OFFSET ?";
    return jdbc.query(
        "listing runs",
        sql,
        ps -> {
          int i = where.bind(ps);
          ps.setInt(i, limit);
          ps.setInt(i + 1, offset);
        },
        this::row);
  }

  /** How many runs a filter chooses. */
  public int count(RunFilter filter) {
    FilterSql where = where(filter);
    return jdbc.queryOne(
            "counting runs",
            "SELECT COUNT(*) FROM dag_run" + where.where(),
            where::bind,
            rs -> rs.getInt(1))
        .orElse(0);
  }

  private FilterSql where(RunFilter f) {
    return new FilterSql(dialect)
        .equal("dag_id", f.dagId())
        .in("state", f.states().stream().map(DagRunState::id).toList())
        .between("logical_date", f.logicalFrom(), f.logicalTo())
        .between("start_date", f.startFrom(), f.startTo())
        .between("run_after", f.runAfterFrom(), f.runAfterTo());
  }

  /** How many runs a DAG has. */
  public int count(String dagId) {
    return jdbc.queryOne(
            "counting the runs of DAG '" + dagId + "'",
            COUNT,
            ps -> ps.setString(1, dagId),
            rs -> rs.getInt(1))
        .orElse(0);
  }

  /** Queued plus running runs of a DAG: what {@code max_active_runs} limits. */
  public int countActive(String dagId) {
    return jdbc.queryOne(
            "counting the active runs of DAG '" + dagId + "'",
            COUNT_ACTIVE,
            ps -> ps.setString(1, dagId),
            rs -> rs.getInt(1))
        .orElse(0);
  }

  /**
   * Running runs per DAG (DAGs with none are absent): step 2 starts queued runs up to the limit.
   */
  public Map<String, Integer> countRunningByDag() {
    Map<String, Integer> counts = new HashMap<>();
    jdbc.query(
        "counting running DAG runs",
        COUNT_RUNNING_BY_DAG,
        Jdbc.Binder.NONE,
        rs -> counts.put(rs.getString("dag_id"), rs.getInt("running")));
    return counts;
  }

  /**
   * Queued runs of DAGs not paused, oldest ({@code run_after}) first, locked {@code FOR UPDATE SKIP
   * LOCKED}: runs another scheduler is starting are left out. Must run inside {@link
   * Database#inTransaction}.
   */
  public List<DagRunRow> queuedOldestFirst(int limit) {
    jdbc.requireTransaction("DagRunRepository.queuedOldestFirst");
    return claim("queued", QUEUED_CANDIDATES, ps -> ps.setInt(1, limit));
  }

  /**
   * Running runs for the scheduler to examine: never examined first, then the longest ago, then by
   * id; locked {@code FOR UPDATE SKIP LOCKED} so two schedulers examine different runs. Must run
   * inside {@link Database#inTransaction}.
   */
  public List<DagRunRow> runningForScheduling(int limit) {
    jdbc.requireTransaction("DagRunRepository.runningForScheduling");
    return claim("running", RUNNING_CANDIDATES, ps -> ps.setInt(1, limit));
  }

  /**
   * {@link #runningForScheduling(int)} of the runs not examined since {@code examinedBefore} (never
   * examined, or last examined before it): a busy scheduler's rotation, which leaves the runs it
   * has just examined alone (decisions/0183).
   */
  public List<DagRunRow> runningForScheduling(int limit, Instant examinedBefore) {
    jdbc.requireTransaction("DagRunRepository.runningForScheduling");
    return claim(
        "running",
        RUNNING_CANDIDATES_NOT_SINCE,
        ps -> {
          dialect.setInstant(ps, 1, examinedBefore);
          ps.setInt(2, limit);
        });
  }

  /**
   * These runs if they are running, locked {@code FOR UPDATE SKIP LOCKED} as {@link
   * #runningForScheduling} locks them, in the order given: the runs a scheduler knows changed. Must
   * run inside {@link Database#inTransaction}.
   */
  public List<DagRunRow> runningByIds(List<Long> ids) {
    jdbc.requireTransaction("DagRunRepository.runningByIds");
    return ids.isEmpty() ? List.of() : lockInOrder("running", "claiming running DAG runs", ids);
  }

  /**
   * The row ids of these runs ({@code dag_id} to its {@code run_id}s) that exist: one read by the
   * unique key per 512 runs, the pairs matched here.
   */
  public Set<Long> idsOf(Map<String, Set<String>> runIdsByDag) {
    Set<Long> out = new java.util.LinkedHashSet<>();
    List<String> dagIds = List.copyOf(runIdsByDag.keySet());
    List<String> runIds = runIdsByDag.values().stream().flatMap(Set::stream).distinct().toList();
    for (int from = 0; from < runIds.size(); from += 512) {
      List<String> chunk = runIds.subList(from, Math.min(runIds.size(), from + 512));
      String sql =
          "SELECT id, dag_id, run_id FROM dag_run WHERE dag_id IN (%s) AND run_id IN (%s)"
              .formatted(marks(dagIds.size()), marks(chunk.size()));
      jdbc.query(
          "reading DAG run ids",
          sql,
          ps -> {
            int next = 1;
            for (String d : dagIds) {
              ps.setString(next++, d);
            }
            for (String r : chunk) {
              ps.setString(next++, r);
            }
          },
          rs -> {
            if (runIdsByDag
                .getOrDefault(rs.getString("dag_id"), Set.of())
                .contains(rs.getString("run_id"))) {
              out.add(rs.getLong("id"));
            }
            return null;
          });
    }
    return out;
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /** Ordered candidates without locks, then a lock by id (see {@link LockByIds}), same order. */
  private List<DagRunRow> claim(String state, String candidatesSql, Jdbc.Binder candidates) {
    String what = "claiming " + state + " DAG runs";
    List<Long> ids = jdbc.query(what, candidatesSql, candidates, rs -> rs.getLong("id"));
    if (ids.isEmpty()) {
      return List.of();
    }
    return lockInOrder(state, what, ids);
  }

  private List<DagRunRow> lockInOrder(String state, String what, List<Long> ids) {
    Map<Long, Integer> order = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      order.put(ids.get(i), i);
    }
    List<DagRunRow> locked =
        jdbc.query(
            what,
            lock.sql(ids.size()),
            ps -> ps.setString(lock.bind(ps, 1, ids), state),
            this::row);
    return locked.stream().sorted(Comparator.comparing(r -> order.get(r.id()))).toList();
  }

  /**
   * Moves run {@code id} from {@code from} to {@code to}; false when it was not in {@code from}
   * (someone else changed it). Going running sets {@code start_date}; finishing sets {@code
   * end_date}; going back to queued (a clear) resets the dates and the last scheduling decision and
   * counts the clear.
   *
   * @throws io.updraft.state.IllegalTransitionException when the table does not allow it
   */
  public boolean setState(long id, DagRunState from, DagRunState to, Instant now) {
    DagRunTransitions.check(from, to, "dag_run id=" + id);
    String what = "setting DAG run id=" + id + " " + from.id() + " -> " + to.id();
    int changed =
        switch (to) {
          case QUEUED ->
              jdbc.update(
                  what,
                  TO_QUEUED,
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    dialect.setInstant(ps, 2, now);
                    ps.setLong(3, id);
                    ps.setString(4, from.id());
                  });
          case RUNNING ->
              jdbc.update(
                  what,
                  TO_RUNNING,
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    dialect.setInstant(ps, 2, now);
                    ps.setLong(3, id);
                    ps.setString(4, from.id());
                  });
          case SUCCESS, FAILED ->
              jdbc.update(
                  what,
                  TO_FINISHED,
                  ps -> {
                    ps.setString(1, to.id());
                    dialect.setInstant(ps, 2, now);
                    dialect.setInstant(ps, 3, now);
                    ps.setLong(4, id);
                    ps.setString(5, from.id());
                  });
        };
    return changed > 0;
  }

  /**
   * {@link #setState} of many runs at once, one statement per 1,024, for a scheduler pass that
   * starts or ends runs it holds locked; returns the ids that moved. A run that was not in {@code
   * from} is left alone, as by {@link #setState}. Ending a run also sets its {@code
   * last_scheduling_decision} to {@code now}. Going back to queued is {@link #setState}'s alone.
   *
   * @throws io.updraft.state.IllegalTransitionException when the table does not allow it
   */
  public Set<Long> setStates(Collection<Long> ids, DagRunState from, DagRunState to, Instant now) {
    DagRunTransitions.check(from, to, "dag_run ids=" + ids);
    if (to == DagRunState.QUEUED) {
      throw new IllegalArgumentException("runs go back to queued one by one: setState");
    }
    List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
    Set<Long> changed = new java.util.LinkedHashSet<>();
    String what = "setting " + all.size() + " DAG run(s) " + from.id() + " -> " + to.id();
    for (int at = 0; at < all.size(); at += 1024) {
      List<Long> chunk = all.subList(at, Math.min(all.size(), at + 1024));
      int n =
          to == DagRunState.RUNNING
              ? jdbc.update(
                  what,
                  manyToRunning.sql(chunk.size()),
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    dialect.setInstant(ps, 2, now);
                    ps.setString(manyToRunning.bind(ps, 3, chunk), from.id());
                  })
              : jdbc.update(
                  what,
                  manyToFinished.sql(chunk.size()),
                  ps -> {
                    ps.setString(1, to.id());
                    dialect.setInstant(ps, 2, now);
                    dialect.setInstant(ps, 3, now);
                    dialect.setInstant(ps, 4, now);
                    ps.setString(manyToFinished.bind(ps, 5, chunk), from.id());
                  });
      if (n == chunk.size()) {
        changed.addAll(chunk);
      } else if (n > 0) { // some had moved on: the ones written now bear this write's instant
        Instant written = Dialect.micros(now);
        for (long id : chunk) {
          get(id)
              .filter(r -> r.state() == to)
              .filter(r -> written.equals(to == DagRunState.RUNNING ? r.startDate() : r.endDate()))
              .ifPresent(r -> changed.add(id));
        }
      }
    }
    return changed;
  }

  /** Sets {@code last_scheduling_decision} of many runs, one statement per 1,024. */
  public void touchSchedulingDecision(Collection<Long> ids, Instant now) {
    List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
    for (int from = 0; from < all.size(); from += 1024) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + 1024));
      jdbc.update(
          "recording scheduling decisions",
          touchDecision.sql(chunk.size()),
          ps -> {
            dialect.setInstant(ps, 1, now);
            touchDecision.bind(ps, 2, chunk);
          });
    }
  }

  /**
   * The run {@code depends_on_past} looks at (decision 0018): the latest run of the DAG with an
   * earlier logical date; only scheduled runs count when {@code catchup} is on.
   */
  public Optional<DagRunRow> previous(String dagId, Instant logicalDate, boolean catchup) {
    return jdbc.queryOne(
        "finding the run of DAG '" + dagId + "' before " + logicalDate,
        catchup ? PREVIOUS_SCHEDULED : PREVIOUS_ANY,
        ps -> {
          ps.setString(1, dagId);
          dialect.setInstant(ps, 2, logicalDate);
        },
        this::row);
  }

  /**
   * The latest successful run of the DAG with an earlier logical date, of any run type: Airflow's
   * {@code get_previous_dagrun(state=SUCCESS)}, behind the {@code prev_*_success} template values.
   */
  public Optional<DagRunRow> previousSuccess(String dagId, Instant logicalDate) {
    return jdbc.queryOne(
        "finding the last successful run of DAG '" + dagId + "' before " + logicalDate,
        PREVIOUS_SUCCESS,
        ps -> {
          ps.setString(1, dagId);
          dialect.setInstant(ps, 2, logicalDate);
        },
        this::row);
  }

  /**
   * Deletes a run; its task instances, their tries ({@code task_instance_history}), XComs and
   * reschedules go with it (foreign keys {@code ON DELETE CASCADE}). The run's triggers, callbacks
   * and deadline are the caller's to delete first ({@code DagActions.deleteRun}).
   *
   * @return false when there was no such run
   */
  public boolean delete(long id) {
    return jdbc.update(
            "deleting DAG run id=" + id,
            "DELETE FROM dag_run WHERE id = ?",
            ps -> ps.setLong(1, id))
        > 0;
  }

  static String describe(String dagId, String runId) {
    return "dag_id=" + dagId + " run_id=" + runId;
  }

  private DagRunRow row(ResultSet rs) throws SQLException {
    long creatingJob = rs.getLong("creating_job_id");
    Long creatingJobId = rs.wasNull() ? null : creatingJob;
    String state = rs.getString("state");
    return new DagRunRow(
        rs.getLong("id"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        RunType.fromId(rs.getString("run_type")),
        DagRunState.fromId(state)
            .orElseThrow(() -> new IllegalStateException("unknown dag_run state " + state)),
        dialect.getInstant(rs, "logical_date"),
        dialect.getInstant(rs, "data_interval_start"),
        dialect.getInstant(rs, "data_interval_end"),
        dialect.getInstant(rs, "run_after"),
        dialect.getInstant(rs, "queued_at"),
        dialect.getInstant(rs, "start_date"),
        dialect.getInstant(rs, "end_date"),
        rs.getBoolean("external_trigger"),
        rs.getString("conf"),
        rs.getString("dag_hash"),
        dialect.getInstant(rs, "last_scheduling_decision"),
        creatingJobId,
        rs.getInt("clear_number"));
  }
}
