package io.updraft.scheduler;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.serde.DagSerializer;
import io.updraft.store.SerializedDagRepository;
import io.updraft.util.BoundedCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DAG versions the scheduler works on, read from {@code serialized_dag} only — never from DAG
 * files. A version is immutable (it is named by its content hash), so each is parsed from JSON once
 * and cached — the {@value #MAX_VERSIONS} used most recently, so a process that lives for months
 * beside DAGs that change does not keep every version it ever read.
 */
public final class DagVersions {
  private record Key(String dagId, String hash) {}

  /** A parsed version and the file it was read from. */
  private record Version(Dag dag, String fileloc) {}

  private final SerializedDagRepository serialized;

  /** How many parsed versions are kept: far more than the runs of a pass use at once. */
  public static final int MAX_VERSIONS = 2048;

  private final BoundedCache<Key, Version> cache = BoundedCache.ofEntries(MAX_VERSIONS);

  public DagVersions(SerializedDagRepository serialized) {
    this.serialized = serialized;
  }

  /** The version a run was created with. */
  public Dag get(String dagId, String hash) {
    return version(dagId, hash).dag();
  }

  /**
   * The file the version was read from, as the DAG processor saw it (absolute); null if unknown. A
   * shell task runs in its folder.
   */
  public String fileloc(String dagId, String hash) {
    return version(dagId, hash).fileloc();
  }

  private Version version(String dagId, String hash) {
    return cache.get(
        new Key(dagId, hash),
        k ->
            serialized
                .get(dagId, hash)
                .map(s -> new Version(DagSerializer.fromJson(s.json()), s.fileloc()))
                .orElseThrow(
                    () ->
                        new UpdraftException(
                            "DAG "
                                + dagId
                                + " has no serialized version "
                                + hash
                                + " — was the metadata database edited by hand?")));
  }

  /**
   * The newest version of a DAG, with its hash: a read of the hash only, then the parsed version
   * from the cache (a trigger of an unchanged DAG parses nothing).
   */
  public Versioned latest(String dagId) {
    String hash =
        serialized
            .latestHash(dagId)
            .orElseThrow(
                () ->
                    new UpdraftException(
                        "DAG " + dagId + " has never been parsed — is it in the dags folder?"));
    return new Versioned(get(dagId, hash), hash);
  }

  private record Checked(String hash, Instant at) {}

  private final Map<String, Checked> latestHashes = new ConcurrentHashMap<>();

  /**
   * The hash of a DAG's newest version, read at most once a second per DAG: the scheduler asks on
   * every pass for every run, and a change may reach it a second late. Null if it has none.
   */
  public String latestHash(String dagId, Instant now) {
    Checked c = latestHashes.get(dagId);
    if (c == null || now.isBefore(c.at()) || !now.isBefore(c.at().plus(LATEST_TTL))) {
      c = new Checked(serialized.latestHash(dagId).orElse(null), now);
      latestHashes.put(dagId, c);
    }
    return c.hash();
  }

  private static final Duration LATEST_TTL = Duration.ofSeconds(1);

  /** A DAG and the hash of its version. */
  public record Versioned(Dag dag, String hash) {}
}
