package io.updraft.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dag_bundle} table: the code of Java DAG files and jars whose DAGs use custom
 * operators, as jars keyed by the SHA-256 of their bytes. Content-addressed, so a bundle is written
 * once and never changes; a DAG version that names it can always run.
 */
public final class DagBundleRepository {
  private static final String EXISTS = "SELECT 1 FROM dag_bundle WHERE bundle_hash = ?";
  private static final String GET = "SELECT content FROM dag_bundle WHERE bundle_hash = ?";

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final String upsert;

  public DagBundleRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    this.upsert =
        dialect.upsert(
            "dag_bundle",
            List.of("bundle_hash"),
            List.of("bundle_hash", "fileloc", "content", "created_at"));
  }

  /** Stores a bundle unless one with this hash is there; returns true when it wrote it. */
  public boolean store(String hash, String fileloc, byte[] content, Instant now) {
    if (exists(hash)) {
      return false;
    }
    // Another processor may store the same bytes at once: the upsert makes that harmless.
    jdbc.update(
        "storing the code bundle " + hash + " of " + fileloc,
        upsert,
        ps -> {
          ps.setString(1, hash);
          ps.setString(2, fileloc);
          ps.setBytes(3, content);
          dialect.setInstant(ps, 4, now);
        });
    return true;
  }

  public boolean exists(String hash) {
    return jdbc.queryOne(
            "looking for the code bundle " + hash, EXISTS, ps -> ps.setString(1, hash), rs -> 1)
        .isPresent();
  }

  /** The bundle's jar bytes. */
  public Optional<byte[]> content(String hash) {
    return jdbc.queryOne(
        "reading the code bundle " + hash,
        GET,
        ps -> ps.setString(1, hash),
        rs -> rs.getBytes("content"));
  }
}
