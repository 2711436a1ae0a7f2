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
      SELECT dag_id, dag_hash, data, fileloc, created_at
      FROM serialized_dag
      WHERE dag_id = ?
      ORDER BY created_at DESC
      LIMIT 1
      """;

  private static final String LATEST_HASH =
      """
      SELECT dag_hash
      FROM serialized_dag
      WHERE dag_id = ?
      ORDER BY created_at DESC
      LIMIT 1
      """;

  private static final String GET =
      """
      SELECT dag_id, dag_hash, data, fileloc, created_at
      FROM serialized_dag
      WHERE dag_id = ? AND dag_hash = ?
      """;

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
            List.of("dag_id", "dag_hash", "fileloc", "data", "created_at"));
  }

  /**
   * Makes {@code dag} the latest version of {@code dagId}. Returns false, writing nothing, when it
   * already is (same hash).
   */
  public boolean store(String dagId, SerializedDag dag, String fileloc, Instant now) {
    if (latestHash(dagId).filter(dag.hash()::equals).isPresent()) {
      return false;
    }
    jdbc.update(
        "storing the serialized DAG '" + dagId + "'",
        upsert,
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, dag.hash());
          ps.setString(3, fileloc);
          ps.setString(4, dag.json());
          dialect.setInstant(ps, 5, now);
        });
    return true;
  }

  /** The hash of the latest version, without reading the JSON. */
  public Optional<String> latestHash(String dagId) {
    return jdbc.queryOne(
        "reading the latest version of DAG '" + dagId + "'",
        LATEST_HASH,
        ps -> ps.setString(1, dagId),
        rs -> rs.getString("dag_hash"));
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

  private StoredDag row(ResultSet rs) throws SQLException {
    return new StoredDag(
        rs.getString("dag_id"),
        rs.getString("dag_hash"),
        rs.getString("data"),
        rs.getString("fileloc"),
        dialect.getInstant(rs, "created_at"));
  }
}
