package io.updraft.serde;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A DAG in its canonical JSON form and the SHA-256 of that form's UTF-8 bytes.
 *
 * @param json one line of canonical JSON, see {@link DagSerializer}
 * @param hash 64 lower-case hex digits; equal DAGs have equal hashes
 */
public record SerializedDag(String json, String hash) {
  public SerializedDag {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(hash, "hash");
  }

  /** The bytes that were hashed: the JSON as UTF-8. */
  public byte[] bytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
