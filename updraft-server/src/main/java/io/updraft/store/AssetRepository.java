package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code asset} table and which tasks produce each asset ({@code task_outlet_asset}): an asset
 * is registered the first time a stored DAG names it in a task's outlets (or an event names it),
 * and stays, as in Airflow, when no DAG names it any more. Its events are {@link
 * AssetEventRepository}.
 */
public final class AssetRepository {
  /** Airflow's group of an asset given by URI only. */
  public static final String DEFAULT_GROUP = "asset";

  /** How {@code order_by} may sort the list: the API's names to columns. */
  public static final Map<String, String> PAGE_ORDERS =
      Map.of(
          "id", "id",
          "name", "uri",
          "uri", "uri",
          "created_at", "created_at",
          "updated_at", "updated_at");

  private static final String COLUMNS = "id, uri, asset_group, created_at, updated_at";

  private static final String BY_URIS = "SELECT id, uri FROM asset WHERE uri IN (%s)";

  private static final String INSERT_H2 =
      """
      INSERT INTO asset (uri, asset_group, created_at, updated_at)
      SELECT CAST(? AS VARCHAR(1500)), ?, ?, ? FROM (VALUES (1)) AS one(x)
      WHERE NOT EXISTS (SELECT 1 FROM asset WHERE uri = ?)
      """;

  private static final String INSERT_POSTGRES =
      """
      INSERT INTO asset (uri, asset_group, created_at, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (uri) DO NOTHING
      """;

  private static final String INSERT_MYSQL =
      "INSERT IGNORE INTO asset (uri, asset_group, created_at, updated_at) VALUES (?, ?, ?, ?)";

  private static final String GET = "SELECT " + COLUMNS + " FROM asset WHERE id = ?";

  private static final String GET_BY_URI = "SELECT " + COLUMNS + " FROM asset WHERE uri = ?";

  private static final String COUNT =
      "SELECT COUNT(*) FROM asset WHERE LOWER(uri) LIKE ? ESCAPE '!'";

  private static final String REFS_OF_DAG =
      "SELECT asset_id, task_id FROM task_outlet_asset WHERE dag_id = ?";

  private static final String INSERT_REF =
      """
      INSERT INTO task_outlet_asset (asset_id, dag_id, task_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?)
      """;

  private static final String DELETE_REF =
      "DELETE FROM task_outlet_asset WHERE asset_id = ? AND dag_id = ? AND task_id = ?";

  private static final String REFS_OF_ASSETS =
      """
      SELECT asset_id, dag_id, task_id, created_at, updated_at
      FROM task_outlet_asset WHERE asset_id IN (%s)
      ORDER BY dag_id, task_id
      """;

  /** An asset as stored. */
  public record AssetRow(long id, String uri, String group, Instant createdAt, Instant updatedAt) {}

  /** A task whose outlets name an asset. */
  public record ProducingTask(
      long assetId, String dagId, String taskId, Instant createdAt, Instant updatedAt) {}

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final LockByIds byUris = new LockByIds(BY_URIS);
  private final LockByIds refsOfAssets = new LockByIds(REFS_OF_ASSETS);

  public AssetRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /**
   * Makes sure an asset exists for every URI, creating the missing ones (a concurrent creation of
   * the same URI is not an error); returns the id of each, by URI.
   */
  public Map<String, Long> ensure(Collection<String> uris, Instant now) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(uris));
    if (distinct.isEmpty()) {
      return Map.of();
    }
    Map<String, Long> ids = ids(distinct);
    if (ids.size() < distinct.size()) {
      List<String> missing = distinct.stream().filter(u -> !ids.containsKey(u)).toList();
      if (dialect instanceof Dialect.H2) {
        missing.forEach(uri -> insertH2(uri, now));
      } else {
        jdbc.batch(
            "registering assets",
            dialect instanceof Dialect.Postgres ? INSERT_POSTGRES : INSERT_MYSQL,
            missing,
            (ps, uri) -> bindInsert(ps, uri, now));
      }
      ids.putAll(ids(missing));
    }
    return ids;
  }

  /**
   * H2 has no insert that skips a duplicate key, and its MERGE can still collide with a concurrent
   * insert: a collision means the asset exists, which is all this wants (a failed statement does
   * not end an H2 transaction).
   */
  private void insertH2(String uri, Instant now) {
    try {
      jdbc.update(
          "registering asset '" + uri + "'",
          INSERT_H2,
          ps -> {
            bindInsert(ps, uri, now);
            ps.setString(5, uri);
          });
    } catch (DatabaseException e) {
      if (!(e.getCause() instanceof SQLException s && dialect.isUniqueViolation(s))) {
        throw e;
      }
    }
  }

  private void bindInsert(java.sql.PreparedStatement ps, String uri, Instant now)
      throws SQLException {
    ps.setString(1, uri);
    ps.setString(2, DEFAULT_GROUP);
    dialect.setInstant(ps, 3, now);
    dialect.setInstant(ps, 4, now);
  }

  /** The ids of the assets of these URIs that exist, by URI. */
  private Map<String, Long> ids(List<String> uris) {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (int from = 0; from < uris.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<String> chunk =
          uris.subList(from, Math.min(uris.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
      jdbc.query(
              "reading assets by URI",
              byUris.sql(chunk.size()),
              ps -> byUris.bind(ps, 1, chunk),
              rs -> Map.entry(rs.getString("uri"), rs.getLong("id")))
          .forEach(e -> ids.put(e.getKey(), e.getValue()));
    }
    return ids;
  }

  /**
   * Registers the outlets of a DAG version just stored: every asset its tasks' outlets name exists
   * afterwards, and the DAG's producing tasks are exactly those tasks (a reference that stays keeps
   * its created_at).
   */
  public void registerOutlets(io.updraft.dag.Dag dag, Instant now) {
    Map<String, List<String>> byTask = new LinkedHashMap<>();
    for (io.updraft.dag.Task t : dag.tasks()) {
      if (!t.outlets().isEmpty()) {
        byTask.put(t.taskId(), t.outlets());
      }
    }
    registerOutlets(dag.dagId(), byTask, now);
  }

  /**
   * As {@link #registerOutlets(io.updraft.dag.Dag, Instant)}, from each task's outlet URIs by
   * task_id (tasks without outlets may be left out).
   */
  public void registerOutlets(String dagId, Map<String, List<String>> outletsByTask, Instant now) {
    jdbc.inTransaction(
        () -> {
          Set<String> uris = new LinkedHashSet<>();
          outletsByTask.values().forEach(uris::addAll);
          Map<String, Long> ids = ensure(uris, now);
          Set<Map.Entry<Long, String>> wanted = new HashSet<>();
          outletsByTask.forEach(
              (taskId, list) -> list.forEach(u -> wanted.add(Map.entry(ids.get(u), taskId))));
          Set<Map.Entry<Long, String>> have =
              new HashSet<>(
                  jdbc.query(
                      "reading the producing tasks of DAG '" + dagId + "'",
                      REFS_OF_DAG,
                      ps -> ps.setString(1, dagId),
                      rs -> Map.entry(rs.getLong("asset_id"), rs.getString("task_id"))));
          List<Map.Entry<Long, String>> gone =
              have.stream().filter(r -> !wanted.contains(r)).toList();
          List<Map.Entry<Long, String>> added =
              wanted.stream().filter(r -> !have.contains(r)).toList();
          jdbc.batch(
              "removing producing tasks of DAG '" + dagId + "'",
              DELETE_REF,
              gone,
              (ps, r) -> {
                ps.setLong(1, r.getKey());
                ps.setString(2, dagId);
                ps.setString(3, r.getValue());
              });
          jdbc.batch(
              "recording producing tasks of DAG '" + dagId + "'",
              INSERT_REF,
              added,
              (ps, r) -> {
                ps.setLong(1, r.getKey());
                ps.setString(2, dagId);
                ps.setString(3, r.getValue());
                dialect.setInstant(ps, 4, now);
                dialect.setInstant(ps, 5, now);
              });
          return null;
        });
  }

  public Optional<AssetRow> get(long id) {
    return jdbc.queryOne("reading asset id=" + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  public Optional<AssetRow> getByUri(String uri) {
    return jdbc.queryOne(
        "reading asset '" + uri + "'", GET_BY_URI, ps -> ps.setString(1, uri), this::row);
  }

  /**
   * One page of the assets whose URI contains {@code uriPattern} (any case; null: all), ordered by
   * {@code orderBy} (a key of {@link #PAGE_ORDERS}) and then by id in the same direction.
   */
  public List<AssetRow> page(
      String uriPattern, String orderBy, boolean descending, int limit, int offset) {
    String column = PAGE_ORDERS.get(orderBy);
    if (column == null) {
      throw new IllegalArgumentException("cannot order assets by " + orderBy);
    }
    String dir = descending ? " DESC" : " ASC";
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM asset WHERE LOWER(uri) LIKE ? ESCAPE '!' ORDER BY "
            + column
            + dir
            + ", id"
            + dir
            + " LIMIT ? OFFSET ?";
    return jdbc.query(
        "listing assets",
        sql,
        ps -> {
          ps.setString(1, contains(uriPattern));
          ps.setInt(2, limit);
          ps.setInt(3, offset);
        },
        this::row);
  }

  /** How many assets {@link #page} pages through. */
  public int count(String uriPattern) {
    return jdbc.queryOne(
            "counting assets",
            COUNT,
            ps -> ps.setString(1, contains(uriPattern)),
            rs -> rs.getInt(1))
        .orElse(0);
  }

  /** The tasks that produce each of these assets, by asset id (an asset without any: absent). */
  public Map<Long, List<ProducingTask>> producingTasks(List<Long> assetIds) {
    Map<Long, List<ProducingTask>> out = new LinkedHashMap<>();
    for (int from = 0; from < assetIds.size(); from += TaskInstanceRows.IDS_PER_STATEMENT) {
      List<Long> chunk =
          assetIds.subList(
              from, Math.min(assetIds.size(), from + TaskInstanceRows.IDS_PER_STATEMENT));
      jdbc.query(
              "reading the producing tasks of assets",
              refsOfAssets.sql(chunk.size()),
              ps -> refsOfAssets.bind(ps, 1, chunk),
              rs ->
                  new ProducingTask(
                      rs.getLong("asset_id"),
                      rs.getString("dag_id"),
                      rs.getString("task_id"),
                      dialect.getInstant(rs, "created_at"),
                      dialect.getInstant(rs, "updated_at")))
          .forEach(p -> out.computeIfAbsent(p.assetId(), k -> new ArrayList<>()).add(p));
    }
    return out;
  }

  /** A LIKE pattern for text containing {@code part}, any case; '!' escapes. */
  static String contains(String part) {
    if (part == null || part.isEmpty()) {
      return "%";
    }
    String escaped =
        part.toLowerCase(java.util.Locale.ROOT)
            .replace("!", "!!")
            .replace("%", "!%")
            .replace("_", "!_");
    return "%" + escaped + "%";
  }

  private AssetRow row(ResultSet rs) throws SQLException {
    return new AssetRow(
        rs.getLong("id"),
        rs.getString("uri"),
        rs.getString("asset_group"),
        dialect.getInstant(rs, "created_at"),
        dialect.getInstant(rs, "updated_at"));
  }
}
