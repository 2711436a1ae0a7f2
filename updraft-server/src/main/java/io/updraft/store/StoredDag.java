package io.updraft.store;

import java.time.Instant;

/**
 * One version of a DAG in {@code serialized_dag}.
 *
 * @param json the canonical JSON of {@link io.updraft.serde.DagSerializer}
 * @param createdAt when this version last became the latest
 */
public record StoredDag(
    String dagId, String hash, String json, String fileloc, Instant createdAt) {}
