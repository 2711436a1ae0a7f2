package io.updraft.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import io.updraft.util.BoundedCache;

/**
 * The serialized DAG versions that claimed workloads carry (decisions/0180). A version is immutable
 * (named by its content hash), so it is read from {@code serialized_dag} once and its stored JSON
 * is written into each workload as it is — no parse and no re-serialization per claimed try. The
 * most recently used are kept, up to {@link #MAX_CHARS} characters of JSON in all.
 */
final class WorkloadDags {
  /** The most JSON kept, in characters: 16 Mi, some thousands of ordinary DAG versions. */
  static final long MAX_CHARS = 16L << 20;

  /** A version as a workload carries it, and the file it was read from. */
  record Version(JsonNode dag, String fileloc, int chars) {}

  private record Key(String dagId, String hash) {}

  private final SerializedDagRepository serialized;
  private final BoundedCache<Key, Version> cache;

  WorkloadDags(SerializedDagRepository serialized, long maxChars) {
    this.serialized = serialized;
    this.cache = new BoundedCache<>(maxChars, Version::chars);
  }

  /** The version a run was created with; an {@link IllegalStateException} if it is gone. */
  Version get(String dagId, String hash) {
    return cache.get(
        new Key(dagId, hash),
        k ->
            serialized
                .get(dagId, hash)
                .map(WorkloadDags::version)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "DAG " + dagId + " has no serialized version " + hash)));
  }

  /** The stored JSON as a node Jackson writes out raw: it was written by the DAG processor. */
  private static Version version(StoredDag stored) {
    return new Version(
        new POJONode(new RawValue(stored.json())), stored.fileloc(), stored.json().length());
  }

  int size() {
    return cache.size();
  }
}
