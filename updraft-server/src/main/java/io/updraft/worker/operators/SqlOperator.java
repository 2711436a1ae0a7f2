package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import io.updraft.worker.SafePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code sql} (SPEC §1.3): the statements run in one transaction on a pooled connection; the rows
 * of the last one, if it is a query (at most 1,000), are the return value as a JSON array of
 * objects. An error rolls everything back and fails the try with the database's message.
 */
final class SqlOperator implements InJvmOperator {

  private final JdbcPools pools;

  SqlOperator(JdbcPools pools) {
    this.pools = pools;
  }

  @Override
  public Object execute(OperatorContext ctx) throws InterruptedException {
    String connId = new Args(null, ctx.args()).text("conn", null);
    Args args = new Args(connId, ctx.args());
    if (connId == null) {
      throw args.fail("set conn: to the id of the database's connection");
    }
    List<String> statements = statements(args, ctx);
    Connection conn = ctx.connection(connId);
    DataSource pool = pools.pool(conn);
    Object parameters = args.raw("parameters");
    long start = System.nanoTime();
    try (java.sql.Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        Object result = null;
        for (int i = 0; i < statements.size(); i++) {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
          result = run(ctx, c, statements.get(i), i, statements.size(), parameters, connId);
        }
        c.commit();
        ctx.note(
            "committed "
                + statements.size()
                + (statements.size() == 1 ? " statement" : " statements")
                + " in "
                + (System.nanoTime() - start) / 1_000_000
                + "ms");
        return result;
      } catch (SQLException | RuntimeException | InterruptedException e) {
        rollback(c, ctx);
        throw e;
      }
    } catch (SQLTimeoutException e) {
      throw new InterruptedException("the statement timed out: " + e.getMessage());
    } catch (SQLException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("the statement was cancelled: " + e.getMessage());
      }
      throw args.fail("SQL error: " + OperatorFailure.causeOf(e));
    }
  }

  private static Object run(
      OperatorContext ctx,
      java.sql.Connection c,
      String statement,
      int index,
      int count,
      Object parameters,
      String connId)
      throws SQLException {
    SqlText.Bound bound = SqlText.bind(statement, parameters, connId);
    ctx.note(
        "statement "
            + (index + 1)
            + " of "
            + count
            + ": "
            + OperatorFailure.oneLine(shorten(statement))
            + (bound.values().isEmpty()
                ? ""
                : " ("
                    + bound.values().size()
                    + (bound.values().size() == 1 ? " parameter)" : " parameters)")));
    try (PreparedStatement ps = c.prepareStatement(bound.sql())) {
      ctx.onAbort(
          () -> {
            try {
              ps.cancel();
            } catch (SQLException e) {
              // the statement is done or the connection is gone: the interrupt does the rest
            }
          });
      Duration timeout = ctx.timeout();
      if (timeout != null) {
        // A second line behind the runner's cancel: the server stops the statement by itself.
        ps.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds() + 1)));
      }
      for (int i = 0; i < bound.values().size(); i++) {
        ps.setObject(i + 1, bound.values().get(i));
      }
      boolean query = ps.execute();
      if (!query) {
        int updated = ps.getUpdateCount();
        if (updated >= 0) {
          ctx.note(updated + (updated == 1 ? " row" : " rows") + " affected");
        }
        return null;
      }
      try (var rs = ps.getResultSet()) {
        RowsJson.Rows rows = RowsJson.read(rs);
        ctx.note(
            rows.more()
                ? "returned more than "
                    + RowsJson.MAX_ROWS
                    + " rows: the first "
                    + RowsJson.MAX_ROWS
                    + " are kept"
                : "returned " + rows.rows().size() + (rows.rows().size() == 1 ? " row" : " rows"));
        return rows.rows();
      }
    }
  }

  private static String shorten(String sql) {
    return sql.length() > 200 ? sql.substring(0, 200) + "…" : sql;
  }

  private static void rollback(java.sql.Connection c, OperatorContext ctx) {
    try {
      c.rollback();
      ctx.note("rolled back");
    } catch (SQLException e) {
      ctx.note("rollback failed: " + OperatorFailure.causeOf(e));
    }
  }

  /** The statements of {@code sql} (one text or a list) or of {@code sql_file}. */
  private static List<String> statements(Args args, OperatorContext ctx) {
    Path dagFolder = ctx.dagFolder();
    boolean hasSql = args.has("sql");
    boolean hasFile = args.has("sql_file");
    if (hasSql == hasFile) {
      throw args.fail(
          "set either sql: (a statement or a list) or sql_file: (a file next to the DAG)");
    }
    List<String> out = new ArrayList<>();
    if (hasSql) {
      Object sql = args.raw("sql");
      List<?> items = sql instanceof List<?> l ? l : List.of(sql);
      for (Object item : items) {
        out.addAll(SqlText.split(String.valueOf(item)));
      }
    } else {
      String name = args.text("sql_file", null);
      if (dagFolder == null) {
        throw args.fail("sql_file needs the DAG file's folder, which is not on this machine");
      }
      Path file;
      try {
        file = SafePaths.relative(dagFolder, name);
      } catch (SafePaths.UnsafePathException e) {
        throw args.fail("sql_file " + e.getMessage());
      }
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        out.addAll(SqlText.split(ctx.templates().apply("sql_file", text)));
      } catch (IOException e) {
        throw args.fail("cannot read sql_file " + file + ": " + OperatorFailure.causeOf(e));
      }
    }
    if (out.isEmpty()) {
      throw args.fail("there is no statement to run — sql or sql_file is empty");
    }
    return out;
  }
}
