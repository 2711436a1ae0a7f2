package io.updraft.connections;

import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a person does to a connection, once for every way in: {@code updraft connections add |
 * delete} and the REST API's {@code /api/v2/connections}. The id is checked ({@link
 * ConnectionIds}), the password and extra encrypted as {@link StoredConnections} does, and each
 * change recorded in the audit {@code log} with who made it — the id, never a secret.
 */
public final class ConnectionActions {
  private final Database db;
  private final StoredConnections stored;

  public ConnectionActions(Database db, FernetKeys keys) {
    this.db = db;
    this.stored = new StoredConnections(db, keys);
  }

  public List<Connection> list() {
    return stored.list();
  }

  public Optional<Connection> get(String connId) {
    return stored.get(connId);
  }

  /** Adds a connection; false (nothing written) when its id is taken. */
  public boolean add(Connection c, String who, Instant now) {
    ConnectionIds.require(c.connId());
    if (!stored.add(c)) {
      return false;
    }
    audit("connection.add", c.connId(), who, now);
    return true;
  }

  /** Replaces every field of a connection (or adds it). */
  public void set(Connection c, String who, Instant now) {
    ConnectionIds.require(c.connId());
    stored.set(c);
    audit("connection.set", c.connId(), who, now);
  }

  /** Deletes a connection; false when there is none. */
  public boolean delete(String connId, String who, Instant now) {
    if (!stored.delete(connId)) {
      return false;
    }
    audit("connection.delete", connId, who, now);
    return true;
  }

  private void audit(String event, String connId, String who, Instant now) {
    new LogRepository(db)
        .record(event, null, null, null, who, Audits.json(Map.of("conn_id", connId)), now);
  }
}
