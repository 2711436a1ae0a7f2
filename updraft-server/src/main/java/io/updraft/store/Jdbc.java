package io.updraft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A thin helper over JDBC for repositories: every statement is a prepared statement, and a {@link
 * SQLException} becomes a one-line {@link DatabaseException} naming the database and what was being
 * done.
 *
 * <p>Outside a transaction each call takes a pooled connection in auto-commit mode. Inside {@link
 * #inTransaction} every call on the same thread uses that transaction's connection, so repository
 * methods compose into one transaction without passing a connection around; a nested {@code
 * inTransaction} joins the outer one. The connection is bound to the thread, which is what the
 * scheduler's loop and a worker's supervisor thread (virtual or not) are.
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

  /** Binds the parameters of one item of a batch. */
  @FunctionalInterface
  public interface BatchBinder<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  /** Binds the parameters of one row of a multi-row statement, from parameter {@code first} on. */
  @FunctionalInterface
  public interface RowBinder<T> {
    void bind(PreparedStatement ps, int first, T item) throws SQLException;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Database database;
  private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

  Jdbc(Database database) {
    this.database = database;
  }

  /**
   * Runs {@code work} in one transaction and returns its result: committed when it returns, rolled
   * back when it throws (the exception goes on unchanged). Inside an outer transaction it simply
   * runs as part of it.
   */
  public <T> T inTransaction(Supplier<T> work) {
    if (transaction.get() != null) {
      return work.get();
    }
    Connection c;
    try {
      c = database.dataSource().getConnection();
    } catch (SQLException e) {
      throw failed("starting a transaction", e);
    }
    transaction.set(c);
    try {
      c.setAutoCommit(false);
      T result = work.get();
      c.commit();
      return result;
    } catch (SQLException e) {
      rollback(c, e);
      throw failed("committing a transaction", e);
    } catch (RuntimeException | Error e) {
      rollback(c, e);
      throw e;
    } finally {
      transaction.remove();
      try {
        c.setAutoCommit(true);
        c.close();
      } catch (SQLException e) {
        // The pool discards a connection it cannot reset; nothing of ours is lost.
      }
    }
  }

  /** {@link #inTransaction(Supplier)} for work without a result. */
  public void runInTransaction(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Runs {@code work} inside the current transaction behind a savepoint: if it throws, what it
   * wrote is undone and the transaction goes on. PostgreSQL aborts the whole transaction on a
   * failed statement (a unique violation one caller expects and skips); the savepoint keeps the
   * rest.
   */
  public <T> T inSavepoint(String what, Supplier<T> work) {
    requireTransaction(what);
    Connection c = transaction.get();
    java.sql.Savepoint savepoint;
    try {
      savepoint = c.setSavepoint();
    } catch (SQLException e) {
      throw failed(what + ": setting a savepoint", e);
    }
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      try {
        c.rollback(savepoint);
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
    try {
      c.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      throw failed(what + ": releasing a savepoint", e);
    }
    return result;
  }

  /** The connection of this thread's transaction, or null outside one. */
  Connection connection() {
    return transaction.get();
  }

  /** True when this thread is inside {@link #inTransaction}. */
  public boolean inTransaction() {
    return transaction.get() != null;
  }

  /**
   * Fails unless this thread is in a transaction: row locks ({@code FOR UPDATE}) last until commit,
   * so in auto-commit mode they would be gone before the caller acts on the rows.
   */
  public void requireTransaction(String what) {
    if (!inTransaction()) {
      throw new IllegalStateException(
          what + " locks rows and must run inside Database.inTransaction(...)");
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private <T> T withConnection(String what, Work<T> work) {
    Connection current = transaction.get();
    try {
      if (current != null) {
        return work.run(current);
      }
      try (Connection c = database.dataSource().getConnection()) {
        return work.run(c);
      }
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** All rows; {@code what} says what is being read, for the error message. */
  public <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
    return withConnection(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              List<T> rows = new ArrayList<>();
              while (rs.next()) {
                rows.add(mapper.map(rs));
              }
              return rows;
            }
          }
        });
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
    return withConnection(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
          }
        });
  }

  /** Runs an INSERT into a table with a generated {@code id}; returns that id. */
  public long insertReturningId(String what, String sql, Binder binder) {
    return withConnection(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            binder.bind(ps);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new IllegalStateException(what + ": the database returned no generated id");
              }
              return keys.getLong(1);
            }
          }
        });
  }

  /**
   * One statement executed for every item in one JDBC batch (one round trip on every driver we
   * use); returns the update count of each item, in order. Outside a transaction the batch runs in
   * auto-commit mode, item by item on the server.
   */
  public <T> int[] batch(String what, String sql, List<T> items, BatchBinder<T> binder) {
    if (items.isEmpty()) {
      return new int[0];
    }
    return withConnection(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T item : items) {
              binder.bind(ps, item);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int count : counts) {
              if (count == java.sql.Statement.SUCCESS_NO_INFO) {
                // Callers branch on each count (0 = lost a race); a driver that hides them would
                // make every guarded write look successful.
                throw new IllegalStateException(
                    what + ": the JDBC driver did not report the update count of a batch item");
              }
            }
            return counts;
          }
        });
  }

  /**
   * Inserts many rows with multi-row {@code INSERT ... VALUES (...), (...)} statements of at most
   * {@code rowsPerStatement} rows: one round trip per statement on every driver, where a JDBC batch
   * over H2's TCP server (the CLI beside a running {@code standalone}) is one round trip per row.
   *
   * @param insertPrefix {@code INSERT INTO t (a, b, c) VALUES }
   * @param rowValues one row's values, e.g. {@code (?, ?, NULL)}; {@code binder} binds its {@code
   *     ?}
   * @return how many rows were inserted
   */
  public <T> int insertRows(
      String what,
      String insertPrefix,
      String rowValues,
      List<T> items,
      int rowsPerStatement,
      RowBinder<T> binder) {
    if (items.isEmpty()) {
      return 0;
    }
    int params = (int) rowValues.chars().filter(ch -> ch == '?').count();
    return withConnection(
        what,
        c -> {
          int inserted = 0;
          for (int from = 0; from < items.size(); from += rowsPerStatement) {
            List<T> chunk = items.subList(from, Math.min(items.size(), from + rowsPerStatement));
            StringBuilder sql = new StringBuilder(insertPrefix);
            for (int i = 0; i < chunk.size(); i++) {
              sql.append(i == 0 ? "" : ", ").append(rowValues);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
              int first = 1;
              for (T item : chunk) {
                binder.bind(ps, first, item);
                first += params;
              }
              inserted += ps.executeUpdate();
            }
          }
          return inserted;
        });
  }

  /** {@code ?, ?, ?}: the placeholders of an IN list of {@code n} values. */
  public static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  DatabaseException failed(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return new DatabaseException(
        what + " failed on " + database.displayUrl() + ": " + Database.reason(e, List.of()) + state,
        e);
  }
}
