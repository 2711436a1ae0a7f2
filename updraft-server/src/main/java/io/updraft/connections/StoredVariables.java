package io.updraft.connections;

import io.updraft.store.Database;
import io.updraft.store.VariableRepository;
import io.updraft.store.VariableRow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code variable} table as keys and values: every value is encrypted with the first key of
 * {@code core.fernet_key} when one is set (as Airflow does); without a key, values are stored in
 * plain text, except a sensitive key's, which is refused (decisions/0060).
 */
public final class StoredVariables {
  private final VariableRepository rows;
  private final FernetKeys keys;

  public StoredVariables(Database db, FernetKeys keys) {
    this.rows = new VariableRepository(db);
    this.keys = keys;
  }

  /** Every variable's value, decrypted, by key. */
  public Map<String, String> list() {
    Map<String, String> all = new LinkedHashMap<>();
    rows.list().forEach(r -> all.put(r.key(), value(r)));
    return all;
  }

  /** Descriptions by key, for listings. */
  public Map<String, String> descriptions() {
    Map<String, String> all = new LinkedHashMap<>();
    rows.list().forEach(r -> all.put(r.key(), r.description()));
    return all;
  }

  public Optional<String> get(String key) {
    return rows.get(key).map(this::value);
  }

  /** Sets a variable; a null description keeps the stored one, an empty one removes it. */
  public void set(String key, String value, String description) {
    String kept =
        description != null
            ? (description.isEmpty() ? null : description)
            : rows.get(key).map(VariableRow::description).orElse(null);
    boolean encrypt = keys.present() || SensitiveKeys.isSensitive(key);
    String stored = encrypt ? keys.encrypt(value, "variable '" + key + "'") : value;
    rows.set(new VariableRow(key, stored, kept, encrypt));
  }

  public boolean delete(String key) {
    return rows.delete(key);
  }

  /** Re-encrypts every value not under the first key; returns how many changed. */
  public int rotate() {
    int changed = 0;
    for (VariableRow r : rows.list()) {
      if (r.val() == null || (r.isEncrypted() && keys.isCurrent(r.val()))) {
        continue;
      }
      String value = value(r);
      rows.set(
          new VariableRow(
              r.key(), keys.encrypt(value, "variable '" + r.key() + "'"), r.description(), true));
      changed++;
    }
    return changed;
  }

  /** A stored row's value, decrypted. */
  String value(VariableRow r) {
    return r.isEncrypted() && r.val() != null
        ? keys.decrypt(r.val(), "variable '" + r.key() + "'")
        : r.val();
  }
}
