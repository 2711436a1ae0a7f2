package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit {@code log}: who did what to which DAG, run or task, newest first when read. */
public final class LogRepository {
  private static final String INSERT =
      """
      INSERT INTO log (dttm, event, dag_id, task_id, run_id, owner, extra)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String INSERT_PREFIX =
      "INSERT INTO log (dttm, event, dag_id, task_id, run_id, owner, extra) VALUES ";

  private static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?)";

  /** Rows per multi-row statement of {@link #recordAll}: 7 parameters each. */
  private static final int ROWS_PER_STATEMENT = 250;

  private static final String RECENT =
      """
      SELECT id, dttm, event, dag_id, task_id, run_id, map_index, try_number, owner, extra
      FROM log
      ORDER BY dttm DESC, id DESC
      LIMIT ?
      """;

  private static final String RECENT_FOR_DAG =
      """
      SELECT id, dttm, event, dag_id, task_id, run_id, map_index, try_number, owner, extra
      FROM log
      WHERE dag_id = ?
      ORDER BY dttm DESC, id DESC
      LIMIT ?
      """;

  private static final String COLUMNS =
      "id, dttm, event, dag_id, task_id, run_id, map_index, try_number, owner, extra";

  /** The logical date of the run an event is about, when it names one that exists. */
  private static final String RUN_LOGICAL_DATE =
      "(SELECT r.logical_date FROM dag_run r WHERE r.dag_id = log.dag_id AND r.run_id ="
          + " log.run_id) AS run_logical_date";

  private static final String GET =
      "SELECT " + COLUMNS + ", " + RUN_LOGICAL_DATE + "\nFROM log\nWHERE id = ?";

  /** An event as the API lists it: the row and the logical date of its run, if any. */
  public record Event(LogRow row, Instant logicalDate) {}

  /**
   * What {@link #page} may order by: Airflow's names for the API's {@code order_by}, to columns.
   */
  public static final Map<String, String> PAGE_ORDERS =
      orders(
          "id", "id",
          "event_log_id", "id",
          "when", "dttm",
          "dttm", "dttm",
          "dag_id", "dag_id",
          "task_id", "task_id",
          "run_id", "run_id",
          "event", "event",
          "owner", "owner",
          "map_index", "map_index",
          "try_number", "try_number");

  /**
   * Which events to read; a null field does not filter.
   *
   * @param before events strictly before this instant
   * @param after events at or after this instant
   * @param includedEvents only these events (empty: any)
   * @param excludedEvents not these events
   */
  public record Filter(
      String dagId,
      String taskId,
      String runId,
      Integer mapIndex,
      Integer tryNumber,
      String owner,
      String event,
      List<String> includedEvents,
      List<String> excludedEvents,
      Instant before,
      Instant after) {
    public Filter {
      includedEvents = includedEvents == null ? List.of() : List.copyOf(includedEvents);
      excludedEvents = excludedEvents == null ? List.of() : List.copyOf(excludedEvents);
    }

    public static final Filter NONE =
        new Filter(null, null, null, null, null, null, null, null, null, null, null);
  }

  private final Jdbc jdbc;
  private final Dialect dialect;

  public LogRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /**
   * Records an action; returns its id. Any of dagId, taskId, runId, owner, extraJson may be null.
   */
  public long record(
      String event,
      String dagId,
      String taskId,
      String runId,
      String owner,
      String extraJson,
      Instant now) {
    return jdbc.insertReturningId(
        "recording audit event '" + event + "'",
        INSERT,
        ps -> {
          dialect.setInstant(ps, 1, now);
          ps.setString(2, event);
          ps.setString(3, dagId);
          ps.setString(4, taskId);
          ps.setString(5, runId);
          ps.setString(6, owner);
          ps.setString(7, extraJson);
        });
  }

  /** One action on one run, for {@link #recordAll}. */
  public record Action(String runId, String extraJson) {}

  /**
   * Records the same event on many runs of one DAG, a row each, in a few multi-row statements (a
   * bulk trigger's audit: decisions/0175).
   */
  public void recordAll(
      String event, String dagId, String owner, List<Action> actions, Instant now) {
    jdbc.insertRows(
        "recording " + actions.size() + " audit events '" + event + "'",
        INSERT_PREFIX,
        INSERT_ROW,
        actions,
        ROWS_PER_STATEMENT,
        (ps, first, a) -> {
          dialect.setInstant(ps, first, now);
          ps.setString(first + 1, event);
          ps.setString(first + 2, dagId);
          ps.setString(first + 3, null);
          ps.setString(first + 4, a.runId());
          ps.setString(first + 5, owner);
          ps.setString(first + 6, a.extraJson());
        });
  }

  /** The latest {@code limit} events, newest first. */
  public List<LogRow> recent(int limit) {
    return jdbc.query("reading the audit log", RECENT, ps -> ps.setInt(1, limit), this::row);
  }

  /** The latest {@code limit} events of one DAG, newest first. */
  public List<LogRow> recentForDag(String dagId, int limit) {
    return jdbc.query(
        "reading the audit log of DAG '" + dagId + "'",
        RECENT_FOR_DAG,
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, limit);
        },
        this::row);
  }

  public Optional<Event> get(long id) {
    return jdbc.queryOne("reading audit event " + id, GET, ps -> ps.setLong(1, id), this::event);
  }

  /** The events that match {@code filter}, one page, ordered by a key of {@link #PAGE_ORDERS}. */
  public List<Event> page(
      Filter filter, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order the audit log by '" + orderBy + "'");
    }
    List<Object> args = new ArrayList<>();
    String where = where(filter, args);
    String dir = descending ? " DESC" : "";
    String sql =
        "SELECT "
            + COLUMNS
            + ", "
            + RUN_LOGICAL_DATE
            + "\nFROM log"
            + where
            + "\nORDER BY "
            + column
            + dir
            + (column.equals("id") ? "" : ", id" + dir)
            + "\nLIMIT ? OFFSET ?";
    args.add(limit);
    args.add(offset);
    return jdbc.query("reading the audit log", sql, ps -> bind(ps, args), this::event);
  }

  private Event event(ResultSet rs) throws SQLException {
    return new Event(row(rs), dialect.getInstant(rs, "run_logical_date"));
  }

  /** How many events match {@code filter}. */
  public int count(Filter filter) {
    List<Object> args = new ArrayList<>();
    String sql = "SELECT COUNT(*)\nFROM log" + where(filter, args);
    return jdbc.queryOne("counting the audit log", sql, ps -> bind(ps, args), rs -> rs.getInt(1))
        .orElse(0);
  }

  /** The {@code WHERE} of a filter, its values appended to {@code args} in order. */
  private static String where(Filter f, List<Object> args) {
    List<String> terms = new ArrayList<>();
    equal(terms, args, "dag_id", f.dagId());
    equal(terms, args, "task_id", f.taskId());
    equal(terms, args, "run_id", f.runId());
    equal(terms, args, "map_index", f.mapIndex());
    equal(terms, args, "try_number", f.tryNumber());
    equal(terms, args, "owner", f.owner());
    equal(terms, args, "event", f.event());
    if (!f.includedEvents().isEmpty()) {
      terms.add("event IN (" + marks(f.includedEvents().size()) + ")");
      args.addAll(f.includedEvents());
    }
    if (!f.excludedEvents().isEmpty()) {
      terms.add("event NOT IN (" + marks(f.excludedEvents().size()) + ")");
      args.addAll(f.excludedEvents());
    }
    if (f.before() != null) {
      terms.add("dttm < ?");
      args.add(f.before());
    }
    if (f.after() != null) {
      terms.add("dttm >= ?");
      args.add(f.after());
    }
    return terms.isEmpty() ? "" : "\nWHERE " + String.join("\n  AND ", terms);
  }

  private static void equal(List<String> terms, List<Object> args, String column, Object value) {
    if (value != null) {
      terms.add(column + " = ?");
      args.add(value);
    }
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      switch (a) {
        case Instant t -> dialect.setInstant(ps, i + 1, t);
        case Integer n -> ps.setInt(i + 1, n);
        default -> ps.setString(i + 1, (String) a);
      }
    }
  }

  private static Map<String, String> orders(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private LogRow row(ResultSet rs) throws SQLException {
    return new LogRow(
        rs.getLong("id"),
        dialect.getInstant(rs, "dttm"),
        rs.getString("event"),
        rs.getString("dag_id"),
        rs.getString("task_id"),
        rs.getString("run_id"),
        (Integer) rs.getObject("map_index", Integer.class),
        (Integer) rs.getObject("try_number", Integer.class),
        rs.getString("owner"),
        rs.getString("extra"));
  }
}
