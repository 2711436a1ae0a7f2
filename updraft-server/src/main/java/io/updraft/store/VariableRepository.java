package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code variable} table. Stores and returns rows as they are; encryption is the caller's
 * ({@code io.updraft.connections.StoredVariables}). {@code key} is a reserved word in H2 and MySQL,
 * so it is quoted by the dialect.
 */
public final class VariableRepository {
  private final Jdbc jdbc;
  private final String list;
  private final String get;
  private final String upsert;
  private final String delete;

  public VariableRepository(Database database) {
    this.jdbc = database.jdbc();
    String key = database.dialect().quote("key");
    String columns = key + ", val, description, is_encrypted";
    this.list = "SELECT " + columns + "\nFROM variable\nORDER BY " + key;
    this.get = "SELECT " + columns + "\nFROM variable\nWHERE " + key + " = ?";
    this.upsert =
        database
            .dialect()
            .upsert("variable", List.of(key), List.of(key, "val", "description", "is_encrypted"));
    this.delete = "DELETE FROM variable\nWHERE " + key + " = ?";
  }

  /** Every variable, by key. */
  public List<VariableRow> list() {
    return jdbc.query("listing variables", list, Jdbc.Binder.NONE, VariableRepository::row);
  }

  public Optional<VariableRow> get(String key) {
    return jdbc.queryOne(
        "reading variable '" + key + "'", get, ps -> ps.setString(1, key), VariableRepository::row);
  }

  /** Creates the variable or replaces its value, description and flag. */
  public void set(VariableRow row) {
    jdbc.update(
        "setting variable '" + row.key() + "'",
        upsert,
        ps -> {
          ps.setString(1, row.key());
          ps.setString(2, row.val());
          ps.setString(3, row.description());
          ps.setBoolean(4, row.isEncrypted());
        });
  }

  /** Deletes a variable; false if there was none. */
  public boolean delete(String key) {
    return jdbc.update("deleting variable '" + key + "'", delete, ps -> ps.setString(1, key)) > 0;
  }

  private static VariableRow row(ResultSet rs) throws SQLException {
    return new VariableRow(
        rs.getString("key"),
        rs.getString("val"),
        rs.getString("description"),
        rs.getBoolean("is_encrypted"));
  }
}
