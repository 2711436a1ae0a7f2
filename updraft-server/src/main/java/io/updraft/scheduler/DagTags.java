package io.updraft.scheduler;

import io.updraft.serde.DagSerializer;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every DAG's tags, which only its serialized version holds (the {@code dag} table has none): one
 * read of every DAG's newest hash, then one read of the versions not seen before — never one read
 * per DAG. Tags are kept per hash, so a new version is read once. The DAG list of the UI and {@code
 * GET /api/v2/dags} share it.
 */
public final class DagTags {
  private record Known(String hash, List<String> tags) {}

  private final SerializedDagRepository serialized;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  public DagTags(Database db) {
    this.serialized = new SerializedDagRepository(db);
  }

  /** Each DAG's tags by dag_id (DAGs never serialized have none). */
  public Map<String, List<String>> all() {
    Map<String, String> hashes = serialized.latestHashes();
    List<String> stale = new ArrayList<>();
    hashes.forEach(
        (dagId, hash) -> {
          Known k = known.get(dagId);
          if (k == null || !k.hash().equals(hash)) {
            stale.add(dagId);
          }
        });
    if (!stale.isEmpty()) {
      for (StoredDag s : serialized.latestOf(stale)) {
        known.put(s.dagId(), new Known(s.hash(), DagSerializer.fromJson(s.json()).tags()));
      }
    }
    Map<String, List<String>> out = new HashMap<>();
    hashes.forEach(
        (dagId, hash) -> {
          Known k = known.get(dagId);
          out.put(dagId, k == null ? List.of() : k.tags());
        });
    known.keySet().retainAll(hashes.keySet());
    return out;
  }
}
