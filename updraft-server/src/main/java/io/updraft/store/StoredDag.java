package io.updraft.store;

import java.time.Instant;

/**
 * One version of a DAG in {@code serialized_dag}.
 *
 * @param json the canonical JSON of {@link io.updraft.serde.DagSerializer}
 * @param createdAt when this version last became the latest
 * @param versionNumber 1 for a DAG's first version, then one more for each change (a DAG edited
 *     back to an earlier version gets a new number: versions are what was current, in order)
 */
public record StoredDag(
    String dagId, String hash, String json, String fileloc, Instant createdAt, int versionNumber) {}
