package io.updraft.store;

import io.updraft.serde.SerializedDag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code serialized_dag} table: every version of every DAG, keyed by content hash, so a run
 * keeps executing the version it was created with ({@code dag_run.dag_hash}).
 *
 * <p>The latest version is the one with the newest {@code created_at}. Storing the version that is
 * already the latest writes nothing; storing an older version again (a change reverted) makes it
 * the latest again by moving its {@code created_at}, still without a second row.
 */
public final class SerializedDagRepository {
  private static final String LATEST =
      """
      SELECT dag_id, dag_hash, data, fileloc, created_at, version_number
      FROM serialized_dag
      WHERE dag_id = ?
      ORDER BY version_number DESC
      LIMIT 1
      """;

  private static final String LATEST_HASH =
      """
      SELECT dag_hash, version_number
      FROM serialized_dag
      WHERE dag_id = ?
      ORDER BY version_number DESC
      LIMIT 1
      """;

  private static final String GET =
      """
      SELECT dag_id, dag_hash, data, fileloc, created_at, version_number
      FROM serialized_dag
      WHERE dag_id = ? AND dag_hash = ?
      """;

  private static final String BY_NUMBER =
      """
      SELECT dag_id, dag_hash, data, fileloc, created_at, version_number
      FROM serialized_dag
      WHERE dag_id = ? AND version_number = ?
      """;

  private static final String VERSIONS =
      """
      SELECT dag_hash, version_number
      FROM serialized_dag
      WHERE dag_id = ?
      ORDER BY version_number
      """;

  /** Each DAG's newest version: the row with its highest version number. */
  private static final String NEWEST =
      """
      SELECT s.dag_id, s.dag_hash, s.data, s.fileloc, s.created_at, s.version_number
      FROM serialized_dag s
      JOIN (SELECT dag_id, MAX(version_number) AS v FROM serialized_dag GROUP BY dag_id) m
        ON m.dag_id = s.dag_id AND m.v = s.version_number
      """;

  private static final String NEWEST_HASHES =
      """
      SELECT s.dag_id, s.dag_hash
      FROM serialized_dag s
      JOIN (SELECT dag_id, MAX(version_number) AS v FROM serialized_dag GROUP BY dag_id) m
        ON m.dag_id = s.dag_id AND m.v = s.version_number
      """;

  private static final int IDS_PER_STATEMENT = 500;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final String upsert;

  public SerializedDagRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.upsert =
        dialect.upsert(
            "serialized_dag",
            List.of("dag_id", "dag_hash"),
            List.of("dag_id", "dag_hash", "fileloc", "data", "created_at", "version_number"));
  }

  /**
   * Makes {@code dag} the latest version of {@code dagId}. Returns false, writing nothing, when it
   * already is (same hash).
   */
  public boolean store(String dagId, SerializedDag dag, String fileloc, Instant now) {
    Optional<Latest> latest = latestVersion(dagId);
    if (latest.filter(l -> l.hash().equals(dag.hash())).isPresent()) {
      return false;
    }
    int number = latest.map(l -> l.number() + 1).orElse(1);
    jdbc.update(
        "storing the serialized DAG '" + dagId + "'",
        upsert,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, dag.hash());
          ps.setString(3, fileloc);
          ps.setString(4, dag.json());
          dialect.setInstant(ps, 5, now);
          ps.setInt(6, number);
        });
    return true;
  }

  private record Latest(String hash, int number) {}

  private Optional<Latest> latestVersion(String dagId) {
    return jdbc.queryOne(
        "reading the latest version of DAG '" + dagId + "'",
        LATEST_HASH,
        ps -> ps.setString(1, dagId),
        rs -> new Latest(rs.getString("dag_hash"), rs.getInt("version_number")));
  }

  /** The hash of the latest version, without reading the JSON. */
  public Optional<String> latestHash(String dagId) {
    return latestVersion(dagId).map(Latest::hash);
  }

  public Optional<StoredDag> latest(String dagId) {
    return jdbc.queryOne(
        "reading the serialized DAG '" + dagId + "'",
        LATEST,
        ps -> ps.setString(1, dagId),
        this::row);
  }

  /** One version, e.g. the one a run was created with. */
  public Optional<StoredDag> get(String dagId, String hash) {
    return jdbc.queryOne(
        "reading version " + hash + " of DAG '" + dagId + "'",
        GET,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, hash);
        },
        this::row);
  }

  /** Version {@code number} of a DAG (1 is the first). */
  public Optional<StoredDag> byNumber(String dagId, int number) {
    return jdbc.queryOne(
        "reading version " + number + " of DAG '" + dagId + "'",
        BY_NUMBER,
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, number);
        },
        this::row);
  }

  /** Every version's hash by its number, oldest first. */
  public java.util.LinkedHashMap<Integer, String> versions(String dagId) {
    java.util.LinkedHashMap<Integer, String> out = new java.util.LinkedHashMap<>();
    jdbc.query(
        "listing the versions of DAG '" + dagId + "'",
        VERSIONS,
        ps -> ps.setString(1, dagId),
        rs -> out.put(rs.getInt("version_number"), rs.getString("dag_hash")));
    return out;
  }

  /** Every DAG's newest version's hash, by dag_id, in one statement and without the JSON. */
  public java.util.Map<String, String> latestHashes() {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    jdbc.query(
        "reading the newest version of every DAG",
        NEWEST_HASHES,
        ps -> {},
        rs -> out.put(rs.getString("dag_id"), rs.getString("dag_hash")));
    return out;
  }

  /** The newest version of each of these DAGs (those that have one), in one statement per 500. */
  public List<StoredDag> latestOf(java.util.Collection<String> dagIds) {
    List<String> ids = List.copyOf(dagIds);
    List<StoredDag> out = new java.util.ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
      out.addAll(
          jdbc.query(
              "reading the newest version of " + chunk.size() + " DAGs",
              NEWEST
                  + " WHERE s.dag_id IN ("
                  + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
                  + ")",
              ps -> {
                int i = 1;
                for (String id : chunk) {
                  ps.setString(i++, id);
                }
              },
              this::row));
    }
    return out;
  }

  private StoredDag row(ResultSet rs) throws SQLException {
    return new StoredDag(
        rs.getString("dag_id"),
        rs.getString("dag_hash"),
        rs.getString("data"),
        rs.getString("fileloc"),
        dialect.getInstant(rs, "created_at"),
        rs.getInt("version_number"));
  }
}
