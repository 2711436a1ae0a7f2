package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code asset_event} table: an asset's updates, each from a successful try (its source fields
 * name the try) or made by a person through the API or the CLI (no source). Events are only added,
 * never changed.
 */
public final class AssetEventRepository {
  /** How {@code order_by} may sort events: the API's names to columns. */
  public static final Map<String, String> PAGE_ORDERS =
      Map.of(
          "id", "e.id",
          "source_task_id", "e.source_task_id",
          "source_dag_id", "e.source_dag_id",
          "source_run_id", "e.source_run_id",
          "source_map_index", "e.source_map_index",
          "timestamp", "e.timestamp");

  /** One event per existing asset among the URIs, all from one try. */
  private static final String INSERT_FOR_TRY =
      """
      INSERT INTO asset_event (asset_id, extra, source_dag_id, source_task_id, source_run_id,
          source_map_index, timestamp)
      SELECT id, '{}', ?, ?, ?, ?, ? FROM asset WHERE uri IN (%s)
      """;

  private static final String INSERT =
      """
      INSERT INTO asset_event (asset_id, extra, source_dag_id, source_task_id, source_run_id,
          source_map_index, timestamp)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String COLUMNS =
      """
      e.id, e.asset_id, a.uri, a.asset_group, e.extra, e.source_dag_id, e.source_task_id,
      e.source_run_id, e.source_map_index, e.timestamp
      """;

  private static final String FROM = " FROM asset_event e JOIN asset a ON a.id = e.asset_id";

  /** An event, with its asset's URI and group. */
  public record AssetEventRow(
      long id,
      long assetId,
      String uri,
      String group,
      String extraJson,
      String sourceDagId,
      String sourceTaskId,
      String sourceRunId,
      int sourceMapIndex,
      Instant timestamp) {}

  /**
   * What a list of events is limited to; a null field does not limit it.
   *
   * @param uri the asset's exact URI
   */
  public record Filter(
      Long assetId,
      String uri,
      String sourceDagId,
      String sourceTaskId,
      String sourceRunId,
      Integer sourceMapIndex,
      Instant timestampGte,
      Instant timestampLte) {
    public static final Filter NONE = new Filter(null, null, null, null, null, null, null, null);
  }

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final AssetRepository assets;
  private final LockByIds insertForTry = new LockByIds(INSERT_FOR_TRY);

  public AssetEventRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.assets = new AssetRepository(database);
  }

  /**
   * Records the events of a successful try: one per outlet URI, with the try as their source. Runs
   * in the caller's transaction when there is one (the try's end). One statement when every asset
   * is registered, as the DAG processor does when it stores the DAG; an asset that is not yet (a
   * DAG stored another way) is registered first. Returns how many events were written.
   */
  public int recordForTry(
      List<String> uris, String dagId, String taskId, String runId, int mapIndex, Instant at) {
    if (uris.isEmpty()) {
      return 0;
    }
    List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(uris));
    return jdbc.inTransaction(
        () -> {
          int written = insertForTry(distinct, dagId, taskId, runId, mapIndex, at);
          if (written < distinct.size()) {
            // Some assets were not registered: register them, then write the events they missed.
            java.util.Set<String> done = urisWithEvent(dagId, taskId, runId, mapIndex, at);
            List<String> missing = distinct.stream().filter(u -> !done.contains(u)).toList();
            assets.ensure(missing, at);
            written += insertForTry(missing, dagId, taskId, runId, mapIndex, at);
          }
          return written;
        });
  }

  private int insertForTry(
      List<String> uris, String dagId, String taskId, String runId, int mapIndex, Instant at) {
    if (uris.isEmpty()) {
      return 0;
    }
    int written = 0;
    for (int from = 0; from < uris.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<String> chunk =
          uris.subList(from, Math.min(uris.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
      written +=
          jdbc.update(
              "recording the asset events of " + dagId + "." + taskId + " in " + runId,
              insertForTry.sql(chunk.size()),
              ps -> {
                ps.setString(1, dagId);
                ps.setString(2, taskId);
                ps.setString(3, runId);
                ps.setInt(4, mapIndex);
                dialect.setInstant(ps, 5, at);
                insertForTry.bind(ps, 6, chunk);
              });
    }
    return written;
  }

  /** The URIs of the assets that have this try's event. */
  private java.util.Set<String> urisWithEvent(
      String dagId, String taskId, String runId, int mapIndex, Instant at) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (AssetEventRow e :
        page(
            new Filter(null, null, dagId, taskId, runId, mapIndex, at, at),
            "id",
            false,
            Integer.MAX_VALUE,
            0)) {
      out.add(e.uri());
    }
    return out;
  }

  /**
   * Records an event made by a person (no source try); returns its id.
   *
   * @param extraJson a JSON object
   */
  public long create(long assetId, String extraJson, Instant at) {
    return jdbc.insertReturningId(
        "recording an event of asset id=" + assetId,
        INSERT,
        ps -> {
          ps.setLong(1, assetId);
          ps.setString(2, extraJson);
          ps.setString(3, null);
          ps.setString(4, null);
          ps.setString(5, null);
          ps.setInt(6, -1);
          dialect.setInstant(ps, 7, at);
        });
  }

  /**
   * One page of the events the filter lets through, ordered by {@code orderBy} (a key of {@link
   * #PAGE_ORDERS}) and then by id in the same direction.
   */
  public List<AssetEventRow> page(
      Filter filter, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order asset events by " + orderBy);
    }
    String dir = descending ? " DESC" : " ASC";
    Where w = where(filter);
    String sql =
        "SELECT "
            + COLUMNS
            + FROM
            + w.sql
            + " ORDER BY "
            + column
            + dir
            + ", e.id"
            + dir
            + " LIMIT ? OFFSET ?";
    return jdbc.query(
        "listing asset events",
        sql,
        ps -> {
          int next = w.bind(ps, dialect);
          ps.setInt(next, limit);
          ps.setInt(next + 1, offset);
        },
        this::row);
  }

  /** How many events {@link #page} pages through. */
  public int count(Filter filter) {
    Where w = where(filter);
    return jdbc.queryOne(
            "counting asset events",
            "SELECT COUNT(*)" + FROM + w.sql,
            ps -> w.bind(ps, dialect),
            rs -> rs.getInt(1))
        .orElse(0);
  }

  public java.util.Optional<AssetEventRow> get(long id) {
    return jdbc.queryOne(
        "reading asset event id=" + id,
        "SELECT " + COLUMNS + FROM + " WHERE e.id = ?",
        ps -> ps.setLong(1, id),
        this::row);
  }

  /** A WHERE clause and its values, in order. */
  private record Where(String sql, List<Object> values) {
    int bind(java.sql.PreparedStatement ps, Dialect dialect) throws SQLException {
      int i = 1;
      for (Object v : values) {
        switch (v) {
          case Long l -> ps.setLong(i, l);
          case Integer n -> ps.setInt(i, n);
          case Instant t -> dialect.setInstant(ps, i, t);
          default -> ps.setString(i, (String) v);
        }
        i++;
      }
      return i;
    }
  }

  private static Where where(Filter f) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    add(conditions, values, "e.asset_id = ?", f.assetId());
    add(conditions, values, "a.uri = ?", f.uri());
    add(conditions, values, "e.source_dag_id = ?", f.sourceDagId());
    add(conditions, values, "e.source_task_id = ?", f.sourceTaskId());
    add(conditions, values, "e.source_run_id = ?", f.sourceRunId());
    add(conditions, values, "e.source_map_index = ?", f.sourceMapIndex());
    add(conditions, values, "e.timestamp >= ?", f.timestampGte());
    add(conditions, values, "e.timestamp <= ?", f.timestampLte());
    return new Where(
        conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), values);
  }

  private static void add(List<String> conditions, List<Object> values, String sql, Object value) {
    if (value != null) {
      conditions.add(sql);
      values.add(value);
    }
  }

  private AssetEventRow row(ResultSet rs) throws SQLException {
    return new AssetEventRow(
        rs.getLong("id"),
        rs.getLong("asset_id"),
        rs.getString("uri"),
        rs.getString("asset_group"),
        rs.getString("extra"),
        rs.getString("source_dag_id"),
        rs.getString("source_task_id"),
        rs.getString("source_run_id"),
        rs.getInt("source_map_index"),
        dialect.getInstant(rs, "timestamp"));
  }
}
