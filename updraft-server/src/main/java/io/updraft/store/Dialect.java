package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between the databases Updraft runs on, in one place: which migrations to
 * run, how times are bound and read, the upsert statement, and the clauses of claim queries.
 * Repositories write portable SQL and ask the dialect only for these.
 *
 * <p>Portable facts every dialect shares (so they are not methods here): {@code LIMIT n} comes
 * before the locking clause ({@code ... ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED}; H2 and MySQL
 * reject the other order), and {@code FOR UPDATE SKIP LOCKED} / {@code FOR UPDATE NOWAIT} are
 * spelled the same on PostgreSQL, MySQL 8, MariaDB 10.6+ and H2 2.x.
 *
 * <p>Times are UTC instants truncated to microseconds, the finest unit all three store, so a value
 * reads back exactly as written whatever the JVM's or the session's time zone.
 */
public sealed interface Dialect permits Dialect.H2, Dialect.Postgres, Dialect.MySql {

  /** The dialect of a JDBC URL, or a one-line error naming the supported schemes. */
  static Dialect forUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.trim().toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:h2:")) {
      return new H2();
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new Postgres();
    }
    if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
      return new MySql();
    }
    throw new DatabaseException(
        "unsupported database URL "
            + Redact.url(jdbcUrl)
            + ": use jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:"
            + " (check --db-url / UPDRAFT_DB_URL)");
  }

  /** Short name: {@code h2}, {@code postgresql} or {@code mysql} (MySQL and MariaDB). */
  String name();

  /**
   * A column name quoted for this database: for Airflow's column names that are reserved words
   * somewhere ({@code key}, {@code schema}). The migrations quote them the same way.
   */
  default String quote(String column) {
    return "\"" + column.toLowerCase(Locale.ROOT) + "\"";
  }

  /** The classpath folder of this dialect's Flyway migrations. */
  String migrationLocation();

  /**
   * SQL for the seconds from {@code column} to the instant bound at the one {@code ?} it contains
   * (with microseconds), for durations computed in bulk updates.
   */
  String secondsSince(String column);

  /**
   * What goes right after {@code SELECT} in a join that must be read in the order its first table
   * is written (MySQL's planner otherwise starts from the small table and sorts the big one).
   */
  default String joinInWrittenOrder() {
    return "";
  }

  /** The URL to hand the driver (a dialect may add a parameter it needs). */
  default String driverUrl(String jdbcUrl) {
    return jdbcUrl;
  }

  /**
   * Driver properties that make every statement prepared once per connection and reused (the
   * repositories keep their SQL constant, so the drivers' caches hit). pgjdbc does this by default
   * (server-side after 5 uses, 256 cached per connection).
   */
  default Map<String, String> driverProperties() {
    return Map.of();
  }

  /** SQL every new connection runs first, if any. */
  default Optional<String> connectionInitSql() {
    return Optional.empty();
  }

  /**
   * The index hint that makes a claim query ({@code FOR UPDATE SKIP LOCKED}) walk the primary key,
   * placed right after the table name; empty where the planner needs no help. It helps only a claim
   * in primary key order: a claim with an ORDER BY on other columns locks every matching row on H2
   * even with the hint (and on MySQL/MariaDB too), so those read in order without locks and lock by
   * id ({@link LockByIds}).
   */
  default String primaryKeyScanHint() {
    return "";
  }

  /**
   * An insert-or-update of one row by its key, with one {@code ?} per column in {@code columns}
   * order; the columns that are not keys are updated on conflict.
   */
  String upsert(String table, List<String> keyColumns, List<String> columns);

  /** True when the exception is a unique or primary key violation. */
  default boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * The lock a scheduler takes on the rows it claims: {@code FOR UPDATE}, or on PostgreSQL {@code
   * FOR NO KEY UPDATE}, which still keeps every other claimer, update and delete out but not the
   * foreign key checks of rows that reference the claimed one (decisions/0191).
   */
  default String rowClaimLock() {
    return "FOR UPDATE";
  }

  /** Whether a {@code FOR UPDATE NOWAIT} failed because another transaction holds the rows. */
  default boolean isLockNotAvailable(SQLException e) {
    return "55P03".equals(e.getSQLState()); // PostgreSQL: lock_not_available
  }

  /** Binds an instant (null: SQL NULL), truncated to microseconds. */
  default void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(micros(value), ZoneOffset.UTC));
    }
  }

  /** Reads an instant column (SQL NULL: null). */
  default Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The finest unit every supported database stores. */
  static Instant micros(Instant value) {
    return value.truncatedTo(ChronoUnit.MICROS);
  }

  private static String placeholders(List<String> columns) {
    return String.join(", ", columns.stream().map(c -> "?").toList());
  }

  private static List<String> nonKeys(List<String> keyColumns, List<String> columns) {
    return columns.stream().filter(c -> !keyColumns.contains(c)).toList();
  }

  /** H2 2.x, the embedded default. */
  record H2() implements Dialect {
    /** H2 folds unquoted names to upper case, so the quoted name is upper case too. */
    @Override
    public String quote(String column) {
      return "\"" + column.toUpperCase(Locale.ROOT) + "\"";
    }

    /** H2 caches only 8 prepared commands per session by default; a loop pass uses more. */
    @Override
    public Map<String, String> driverProperties() {
      return Map.of("QUERY_CACHE_SIZE", "64");
    }

    @Override
    public boolean isLockNotAvailable(SQLException e) {
      return e.getErrorCode() == 50200 || "HYT00".equals(e.getSQLState()); // LOCK_TIMEOUT_1
    }

    @Override
    public String name() {
      return "h2";
    }

    @Override
    public String secondsSince(String column) {
      return "DATEDIFF(MICROSECOND, " + column + ", ?) / 1000000.0";
    }

    @Override
    public String migrationLocation() {
      return "classpath:db/migration/h2";
    }

    /**
     * H2 locks every row a secondary index matches under {@code FOR UPDATE SKIP LOCKED LIMIT n},
     * not just the n returned (shared/LIMITS.md); {@code USE INDEX ()} makes it scan in primary key
     * order and lock only what it returns.
     */
    @Override
    public String primaryKeyScanHint() {
      return "USE INDEX ()";
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
      return "MERGE INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") KEY ("
          + String.join(", ", keyColumns)
          + ") VALUES ("
          + placeholders(columns)
          + ")";
    }
  }

  /** PostgreSQL 13+. */
  record Postgres() implements Dialect {
    @Override
    public String rowClaimLock() {
      return "FOR NO KEY UPDATE";
    }

    @Override
    public String name() {
      return "postgresql";
    }

    @Override
    public String secondsSince(String column) {
      return "EXTRACT(EPOCH FROM (CAST(? AS TIMESTAMPTZ) - " + column + "))";
    }

    @Override
    public String migrationLocation() {
      return "classpath:db/migration/postgres";
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
      List<String> updates = nonKeys(keyColumns, columns);
      return "INSERT INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") VALUES ("
          + placeholders(columns)
          + ") ON CONFLICT ("
          + String.join(", ", keyColumns)
          + ") "
          + (updates.isEmpty()
              ? "DO NOTHING"
              : "DO UPDATE SET "
                  + String.join(", ", updates.stream().map(c -> c + " = EXCLUDED." + c).toList()));
    }
  }

  /**
   * MySQL 8 and MariaDB 10.6+, both through MariaDB Connector/J. Times are DATETIME(6) holding UTC
   * wall-clock time: bound and read as {@link java.time.LocalDateTime} at UTC, which the driver
   * passes through unconverted, and every session is pinned to UTC so SQL time functions agree.
   */
  record MySql() implements Dialect {
    @Override
    public String quote(String column) {
      return "`" + column + "`";
    }

    @Override
    public boolean isLockNotAvailable(SQLException e) {
      // MySQL 8: ER_LOCK_NOWAIT; MariaDB reports NOWAIT as a lock wait timeout.
      return e.getErrorCode() == 3572 || e.getErrorCode() == 1205;
    }

    @Override
    public String name() {
      return "mysql";
    }

    @Override
    public String joinInWrittenOrder() {
      return "STRAIGHT_JOIN ";
    }

    /**
     * InnoDB, given a secondary index that matches the WHERE, reads through it, sorts, and locks
     * every row it read (a trigger claim of 2 locked all 6 free triggers, so another triggerer got
     * none); forced onto the primary key it locks only the rows it returns.
     */
    @Override
    public String primaryKeyScanHint() {
      return "FORCE INDEX (PRIMARY)";
    }

    @Override
    public String secondsSince(String column) {
      return "TIMESTAMPDIFF(MICROSECOND, " + column + ", ?) / 1000000.0";
    }

    @Override
    public String migrationLocation() {
      return "classpath:db/migration/mysql";
    }

    /** MariaDB Connector/J takes {@code jdbc:mysql:} URLs only when told to. */
    @Override
    public String driverUrl(String jdbcUrl) {
      if (!jdbcUrl.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
          || jdbcUrl.toLowerCase(Locale.ROOT).contains("permitmysqlscheme")) {
        return jdbcUrl;
      }
      return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "permitMysqlScheme";
    }

    @Override
    public Map<String, String> driverProperties() {
      return Map.of("useServerPrepStmts", "true", "cachePrepStmts", "true");
    }

    @Override
    public Optional<String> connectionInitSql() {
      return Optional.of("SET time_zone = '+00:00'");
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns) {
      List<String> updates = nonKeys(keyColumns, columns);
      // VALUES(c) is deprecated in MySQL 8.0.20+ but still works there, and MariaDB lacks the
      // row-alias form that replaces it.
      List<String> sets =
          updates.isEmpty()
              ? List.of(keyColumns.get(0) + " = " + keyColumns.get(0))
              : updates.stream().map(c -> c + " = VALUES(" + c + ")").toList();
      return "INSERT INTO "
          + table
          + " ("
          + String.join(", ", columns)
          + ") VALUES ("
          + placeholders(columns)
          + ") ON DUPLICATE KEY UPDATE "
          + String.join(", ", sets);
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
      return e.getErrorCode() == 1062 || "23505".equals(e.getSQLState());
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
      if (value == null) {
        ps.setNull(index, java.sql.Types.TIMESTAMP);
      } else {
        ps.setObject(
            index, java.time.LocalDateTime.ofInstant(Dialect.micros(value), ZoneOffset.UTC));
      }
    }

    @Override
    public Instant getInstant(ResultSet rs, String column) throws SQLException {
      java.time.LocalDateTime value = rs.getObject(column, java.time.LocalDateTime.class);
      return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
  }
}
