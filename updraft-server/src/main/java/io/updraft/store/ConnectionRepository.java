package io.updraft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * The {@code connection} table. Stores and returns rows as they are; encryption is the caller's
 * ({@code io.updraft.connections.StoredConnections}). {@code schema} is a reserved word in MySQL,
 * so it is quoted by the dialect.
 */
public final class ConnectionRepository {
  private static final String COLUMNS =
      "conn_id, conn_type, description, host, %s, login, password, port, extra, is_encrypted,"
          + " is_extra_encrypted";

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final String list;
  private final String get;
  private final String insert;
  private final String upsert;
  private final String updateSecrets;

  private static final String DELETE =
      """
      DELETE FROM connection
      WHERE conn_id = ?
      """;

  public ConnectionRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
    String columns = COLUMNS.formatted(dialect.quote("schema"));
    this.list = "SELECT " + columns + "\nFROM connection\nORDER BY conn_id";
    this.get = "SELECT " + columns + "\nFROM connection\nWHERE conn_id = ?";
    this.insert =
        "INSERT INTO connection (" + columns + ")\nVALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.upsert =
        dialect.upsert(
            "connection",
            List.of("conn_id"),
            List.of(columns.split(", ")).stream().map(String::strip).toList());
    this.updateSecrets =
        """
        UPDATE connection
        SET password = ?, is_encrypted = ?, extra = ?, is_extra_encrypted = ?
        WHERE conn_id = ?
        """;
  }

  /** Every connection, by id. */
  public List<ConnectionRow> list() {
    return jdbc.query("listing connections", list, Jdbc.Binder.NONE, ConnectionRepository::row);
  }

  public Optional<ConnectionRow> get(String connId) {
    return jdbc.queryOne(
        "reading connection '" + connId + "'",
        get,
        ps -> ps.setString(1, connId),
        ConnectionRepository::row);
  }

  /** Adds a connection; false (and nothing changed) when one with its id exists. */
  public boolean add(ConnectionRow row) {
    try {
      jdbc.update("adding connection '" + row.connId() + "'", insert, ps -> bind(ps, row));
      return true;
    } catch (DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        return false;
      }
      throw e;
    }
  }

  /** Adds the connection or replaces every field of the one with its id. */
  public void set(ConnectionRow row) {
    jdbc.update("setting connection '" + row.connId() + "'", upsert, ps -> bind(ps, row));
  }

  /** Replaces the stored password and extra (key rotation); false if the connection is gone. */
  public boolean updateSecrets(ConnectionRow row) {
    return jdbc.update(
            "re-encrypting connection '" + row.connId() + "'",
            updateSecrets,
            ps -> {
              ps.setString(1, row.password());
              ps.setBoolean(2, row.isEncrypted());
              ps.setString(3, row.extra());
              ps.setBoolean(4, row.isExtraEncrypted());
              ps.setString(5, row.connId());
            })
        > 0;
  }

  /** Deletes a connection; false if there was none. */
  public boolean delete(String connId) {
    return jdbc.update(
            "deleting connection '" + connId + "'", DELETE, ps -> ps.setString(1, connId))
        > 0;
  }

  private static void bind(java.sql.PreparedStatement ps, ConnectionRow row) throws SQLException {
    ps.setString(1, row.connId());
    ps.setString(2, row.connType());
    ps.setString(3, row.description());
    ps.setString(4, row.host());
    ps.setString(5, row.schema());
    ps.setString(6, row.login());
    ps.setString(7, row.password());
    if (row.port() == null) {
      ps.setNull(8, Types.INTEGER);
    } else {
      ps.setInt(8, row.port());
    }
    ps.setString(9, row.extra());
    ps.setBoolean(10, row.isEncrypted());
    ps.setBoolean(11, row.isExtraEncrypted());
  }

  private static ConnectionRow row(ResultSet rs) throws SQLException {
    int port = rs.getInt("port");
    Integer portOrNull = rs.wasNull() ? null : port;
    return new ConnectionRow(
        rs.getString("conn_id"),
        rs.getString("conn_type"),
        rs.getString("description"),
        rs.getString("host"),
        rs.getString("schema"),
        rs.getString("login"),
        rs.getString("password"),
        portOrNull,
        rs.getString("extra"),
        rs.getBoolean("is_encrypted"),
        rs.getBoolean("is_extra_encrypted"));
  }
}
