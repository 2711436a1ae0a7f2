package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code import_error} table: the parse errors of each DAG file, replaced as a whole every time
 * the file is parsed, cleared when it parses cleanly.
 */
public final class ImportErrorRepository {
  /**
   * One error to record.
   *
   * @param line 1-based; null when unknown
   * @param column 1-based; null when unknown
   * @param stacktrace null: none
   */
  public record Problem(Integer line, Integer column, String message, String stacktrace) {}

  private static final String DELETE_FOR_FILE =
      """
      DELETE FROM import_error
      WHERE filename = ?
      """;

  private static final String INSERT =
      """
      INSERT INTO import_error (filename, line_number, column_number, message, stacktrace, timestamp)
      VALUES (?, ?, ?, ?, ?, ?)
      """;

  private static final String LIST =
      """
      SELECT id, filename, line_number, column_number, message, stacktrace, timestamp
      FROM import_error
      ORDER BY filename, line_number, column_number, id
      """;

  private static final String GET =
      """
      SELECT id, filename, line_number, column_number, message, stacktrace, timestamp
      FROM import_error
      WHERE id = ?
      """;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public ImportErrorRepository(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** Replaces the errors of a file with {@code problems} (none: the file is clean) in one go. */
  public void replaceForFile(String filename, List<Problem> problems, Instant now) {
    jdbc.runInTransaction(
        () -> {
          clearForFile(filename);
          jdbc.batch(
              "recording the import errors of " + filename,
              INSERT,
              problems,
              (ps, p) -> {
                ps.setString(1, filename);
                setInteger(ps, 2, p.line());
                setInteger(ps, 3, p.column());
                ps.setString(4, p.message());
                ps.setString(5, p.stacktrace());
                dialect.setInstant(ps, 6, now);
              });
        });
  }

  /** Every import error, by file and position. */
  public List<ImportErrorRow> list() {
    return jdbc.query("listing import errors", LIST, Jdbc.Binder.NONE, this::row);
  }

  public Optional<ImportErrorRow> get(long id) {
    return jdbc.queryOne("reading import error " + id, GET, ps -> ps.setLong(1, id), this::row);
  }

  /** Removes the errors of a file (it parsed cleanly, or was deleted); returns how many. */
  public int clearForFile(String filename) {
    return jdbc.update(
        "clearing the import errors of " + filename,
        DELETE_FOR_FILE,
        ps -> ps.setString(1, filename));
  }

  private static void setInteger(PreparedStatement ps, int index, Integer value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  private ImportErrorRow row(ResultSet rs) throws SQLException {
    return new ImportErrorRow(
        rs.getLong("id"),
        rs.getString("filename"),
        (Integer) rs.getObject("line_number", Integer.class),
        (Integer) rs.getObject("column_number", Integer.class),
        rs.getString("message"),
        rs.getString("stacktrace"),
        dialect.getInstant(rs, "timestamp"));
  }
}
