package io.updraft.connections;

import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.VariableRepository;
import io.updraft.store.VariableRow;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a person does to a variable, once for every way in: {@code updraft variables set | delete}
 * and the REST API's {@code /api/v2/variables}. The key is checked ({@link ConnectionIds}), the
 * value encrypted as {@link StoredVariables} does, and each change recorded in the audit {@code
 * log} with who made it — the key, never the value.
 */
public final class VariableActions {
  private final Database db;
  private final StoredVariables stored;

  public VariableActions(Database db, FernetKeys keys) {
    this.db = db;
    this.stored = new StoredVariables(db, keys);
  }

  /** A variable as stored, its value decrypted. */
  public record Variable(String key, String value, String description, boolean isEncrypted) {
    @Override
    public String toString() {
      return "Variable[" + key + "]";
    }
  }

  /** Every variable, by key. */
  public java.util.List<Variable> list() {
    return new VariableRepository(db).list().stream().map(this::variable).toList();
  }

  public Optional<Variable> get(String key) {
    return new VariableRepository(db).get(key).map(this::variable);
  }

  /** Creates a variable; false (nothing written) when the key exists. */
  public boolean create(String key, String value, String description, String who, Instant now) {
    ConnectionIds.require(key);
    boolean[] created = {false};
    db.runInTransaction(
        () -> {
          if (new VariableRepository(db).get(key).isPresent()) {
            return;
          }
          stored.set(key, value, description);
          audit("variable.create", key, who, now);
          created[0] = true;
        });
    return created[0];
  }

  /** Creates the variable or replaces its value; a null description keeps the stored one. */
  public void set(String key, String value, String description, String who, Instant now) {
    ConnectionIds.require(key);
    stored.set(key, value, description);
    audit("variable.set", key, who, now);
  }

  /** Deletes a variable; false when there is none. */
  public boolean delete(String key, String who, Instant now) {
    if (!stored.delete(key)) {
      return false;
    }
    audit("variable.delete", key, who, now);
    return true;
  }

  private Variable variable(VariableRow r) {
    return new Variable(r.key(), stored.value(r), r.description(), r.isEncrypted());
  }

  private void audit(String event, String key, String who, Instant now) {
    new LogRepository(db)
        .record(event, null, null, null, who, Audits.json(Map.of("key", key)), now);
  }
}
