package io.updraft.connections;

import io.updraft.UpdraftException;
import io.updraft.store.ConnectionRepository;
import io.updraft.store.ConnectionRow;
import io.updraft.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code connection} table as connections: encrypts the password and the extra with the first
 * key of {@code core.fernet_key} when writing, decrypts with any when reading. Without a key, a
 * connection that holds no secret (no password, no sensitive extra field) is stored in plain text,
 * as Airflow does; one that does is refused (decisions/0060).
 */
public final class StoredConnections {
  private final ConnectionRepository rows;
  private final FernetKeys keys;

  public StoredConnections(Database db, FernetKeys keys) {
    this.rows = new ConnectionRepository(db);
    this.keys = keys;
  }

  /** Every stored connection, decrypted, by id. */
  public List<Connection> list() {
    return rows.list().stream().map(this::connection).toList();
  }

  public Optional<Connection> get(String connId) {
    return rows.get(connId).map(this::connection);
  }

  /** Adds a connection; false (nothing changed) when its id is taken. */
  public boolean add(Connection c) {
    return rows.add(row(c));
  }

  /** Adds or replaces a connection. */
  public void set(Connection c) {
    rows.set(row(c));
  }

  public boolean delete(String connId) {
    return rows.delete(connId);
  }

  /**
   * Re-encrypts every encrypted password and extra with the first key (and encrypts what was stored
   * in plain text while there was no key). Returns how many connections changed.
   */
  public int rotate() {
    int changed = 0;
    for (ConnectionRow stored : rows.list()) {
      Connection c = connection(stored);
      ConnectionRow fresh = row(c);
      boolean passwordCurrent =
          stored.password() == null || (stored.isEncrypted() && keys.isCurrent(stored.password()));
      boolean extraCurrent =
          stored.extra() == null || (stored.isExtraEncrypted() && keys.isCurrent(stored.extra()));
      if (!(passwordCurrent && extraCurrent) && rows.updateSecrets(fresh)) {
        changed++;
      }
    }
    return changed;
  }

  private ConnectionRow row(Connection c) {
    String id = c.connId();
    String password =
        c.password() == null
            ? null
            : keys.encrypt(c.password(), "the password of connection '" + id + "'");
    String extra = ConnectionJson.extraText(c.extra());
    boolean encryptExtra =
        extra != null && (keys.present() || c.extra().keySet().stream().anyMatch(this::secret));
    if (encryptExtra) {
      extra = keys.encrypt(extra, "the extra of connection '" + id + "'");
    }
    return new ConnectionRow(
        id,
        c.connType(),
        c.description(),
        c.host(),
        c.schema(),
        c.login(),
        password,
        c.port(),
        extra,
        password != null,
        encryptExtra);
  }

  private boolean secret(String key) {
    return SensitiveKeys.isSensitive(key);
  }

  private Connection connection(ConnectionRow r) {
    String id = r.connId();
    String password =
        r.isEncrypted() && r.password() != null
            ? keys.decrypt(r.password(), "the password of connection '" + id + "'")
            : r.password();
    String extraText =
        r.isExtraEncrypted() && r.extra() != null
            ? keys.decrypt(r.extra(), "the extra of connection '" + id + "'")
            : r.extra();
    Map<String, Object> extra;
    try {
      extra = ConnectionJson.extra(extraText);
    } catch (IllegalArgumentException e) {
      throw new UpdraftException(
          "connection '"
              + id
              + "' has a stored extra that "
              + e.getMessage().replaceFirst("^its extra ", "")
              + " — fix it with 'updraft connections add "
              + id
              + " ...' after deleting it");
    }
    return new Connection(
        id,
        r.connType(),
        r.host(),
        r.port(),
        r.login(),
        password,
        r.schema(),
        extra,
        r.description());
  }
}
