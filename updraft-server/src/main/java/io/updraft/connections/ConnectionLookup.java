package io.updraft.connections;

import java.util.Optional;

/**
 * Finds a connection by id for a try: the {@code UPDRAFT_CONN_<ID>} environment variable first,
 * then the {@code connection} table (SPEC §1.7). Operators and templates go through this interface
 * only, so a worker that reaches the metadata through the API server later needs another
 * implementation, not other operators.
 */
@FunctionalInterface
public interface ConnectionLookup {

  /** The connection, or empty when no source has it. */
  Optional<Connection> find(String connId);

  /** The connection; an {@link UnknownConnectionException} naming it when there is none. */
  default Connection get(String connId) {
    return find(connId).orElseThrow(() -> new UnknownConnectionException(connId));
  }

  /** A lookup that finds nothing (tests, and installations without connections). */
  static ConnectionLookup none() {
    return id -> Optional.empty();
  }
}
