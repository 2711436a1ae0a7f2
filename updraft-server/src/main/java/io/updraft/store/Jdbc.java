package io.updraft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A thin helper over JDBC for repositories: every statement is a prepared statement on a pooled
 * connection (auto-commit), and a {@link SQLException} becomes a one-line {@link DatabaseException}
 * naming the database and what was being done.
 */
public final class Jdbc {
  /** Binds the parameters of a statement. */
  @FunctionalInterface
  public interface Binder {
    Binder NONE = ps -> {};

    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Database database;

  Jdbc(Database database) {
    this.database = database;
  }

  /** All rows; {@code what} says what is being read, for the error message. */
  public <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** The only row, if any; more than one is a bug in the query. */
  public <T> Optional<T> queryOne(String what, String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(what, sql, binder, mapper);
    if (rows.size() > 1) {
      throw new IllegalStateException(what + ": expected at most one row, got " + rows.size());
    }
    return rows.stream().findFirst();
  }

  /** Runs an INSERT, UPDATE, DELETE or MERGE; returns the update count. */
  public int update(String what, String sql, Binder binder) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  DatabaseException failed(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return new DatabaseException(
        what + " failed on " + database.displayUrl() + ": " + Database.reason(e, List.of()) + state,
        e);
  }
}
