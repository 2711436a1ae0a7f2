package io.updraft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database: a connection pool on one JDBC URL, its {@link Dialect}, and the schema's
 * migrations.
 *
 * <p>{@link #open} connects once before it builds the pool, so an unreachable database is one clear
 * line ("cannot connect to ...") instead of a pool start-up stack trace. {@link #migrate} brings
 * the schema to this Updraft's version; {@link #check} refuses to go on with a database at any
 * other version, which is what every component calls at start.
 *
 * <p>Nothing printed about the database ever shows its password: URLs pass through {@link
 * Redact#url}, and driver messages have the configured password masked.
 */
public final class Database implements AutoCloseable {
  /** Flyway's history table; not Flyway's default name, so a shared database cannot mix them up. */
  public static final String HISTORY_TABLE = "updraft_schema_history";

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * H2's AUTO_SERVER serves an embedded file to the machine's other processes on a TCP port it
   * opens with {@code -tcpAllowOthers}, on every interface unless the system property {@code
   * h2.bindAddress} names one; it also writes that address into the lock file for the others to
   * connect to. Only local processes are meant to share the file, so it listens on the loopback
   * address. H2 reads the property once, when its first class loads: this runs before any H2 use.
   * An address given with {@code -Dh2.bindAddress} is kept.
   */
  public static final String H2_BIND_ADDRESS = "h2.bindAddress";

  static {
    if (System.getProperty(H2_BIND_ADDRESS) == null) {
      System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
    }
  }

  private final DatabaseConfig config;
  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final Flyway flyway;
  private final Jdbc jdbc;
  private final GroupCommit groupCommit;

  private Database(
      DatabaseConfig config,
      Dialect dialect,
      HikariDataSource dataSource,
      List<String> extraMigrationLocations) {
    this.config = config;
    this.dialect = dialect;
    this.dataSource = dataSource;
    List<String> locations = new ArrayList<>();
    locations.add(dialect.migrationLocation());
    locations.addAll(extraMigrationLocations);
    this.flyway =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(dataSource)
            .locations(locations.toArray(String[]::new))
            .table(HISTORY_TABLE)
            .failOnMissingLocations(true)
            .validateMigrationNaming(true)
            // Versions are handed out to branches worked on at once (V5 connections, V6
            // callbacks): a database that got a higher one first still takes a lower one later.
            .outOfOrder(true)
            .load();
    this.jdbc = new Jdbc(this);
    this.groupCommit = new GroupCommit(jdbc, groupCommitLanes(dialect, config.maxPoolSize()));
  }

  /** Most group commits at once on a server database (decisions/0182). */
  static final int SERVER_LANES = 4;

  /**
   * How many group commits may be under way at once: one on H2, whose commits take the store's lock
   * one at a time; on a server database up to {@value #SERVER_LANES}, leaving half the pool to the
   * rest of the process.
   */
  static int groupCommitLanes(Dialect dialect, int poolSize) {
    return dialect instanceof Dialect.H2 ? 1 : Math.max(1, Math.min(SERVER_LANES, poolSize / 2));
  }

  public static Database open(String url) {
    return open(DatabaseConfig.of(url));
  }

  /** Connects to the database and starts the pool; a one-line {@link DatabaseException} if not. */
  public static Database open(DatabaseConfig config) {
    return open(config, List.of());
  }

  /** Tests add migrations of their own to play an older or newer Updraft. */
  static Database open(DatabaseConfig config, List<String> extraMigrationLocations) {
    Dialect dialect = Dialect.forUrl(config.url());
    String driverUrl = dialect.driverUrl(config.url().trim());
    String user = config.user();
    String password = config.password();
    if (dialect instanceof Dialect.H2 && user == null && !hasParameter(driverUrl, "user")) {
      user = "sa";
      password = password == null ? "" : password;
    }
    // The probe's connection stays open until the pool has its own: on an embedded H2 file, closing
    // the last connection closes the database, and another process could take the file over in
    // between.
    Connection probe = probe(config, dialect, driverUrl, user, password);
    try {
      return openPool(config, dialect, driverUrl, user, password, extraMigrationLocations);
    } finally {
      closeQuietly(probe);
    }
  }

  private static Database openPool(
      DatabaseConfig config,
      Dialect dialect,
      String driverUrl,
      String user,
      String password,
      List<String> extraMigrationLocations) {
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("updraft-db");
    pool.setJdbcUrl(driverUrl);
    if (user != null) {
      pool.setUsername(user);
    }
    if (password != null) {
      pool.setPassword(password);
    }
    pool.setMaximumPoolSize(config.maxPoolSize());
    pool.setMinimumIdle(1);
    // The default of PostgreSQL and H2; MySQL's REPEATABLE READ would add gap locks to every
    // FOR UPDATE range scan, blocking inserts of new task instances behind a claim.
    pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    dialect.connectionInitSql().ifPresent(pool::setConnectionInitSql);
    dialect.driverProperties().forEach((k, v) -> addUnlessInUrl(pool, driverUrl, k, v));
    try {
      HikariDataSource dataSource = new HikariDataSource(pool);
      log.debug("opened the {} metadata database at {}", dialect.name(), config.displayUrl());
      return new Database(config, dialect, dataSource, extraMigrationLocations);
    } catch (RuntimeException e) {
      throw cannotConnect(config, e);
    }
  }

  /**
   * One plain connection before the pool exists: the pool would log its own stack trace. Returns it
   * open; the caller closes it. It carries the dialect's driver properties as the pool's
   * connections do: on an embedded H2 file the first connection opens the database, and settings
   * such as H2's QUERY_CACHE_SIZE are taken from it.
   */
  private static Connection probe(
      DatabaseConfig config, Dialect dialect, String url, String user, String password) {
    Properties properties = new Properties();
    dialect
        .driverProperties()
        .forEach(
            (k, v) -> {
              if (!hasParameter(url, k)) {
                properties.setProperty(k, v);
              }
            });
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    long start = System.nanoTime();
    boolean said = false;
    while (true) {
      try {
        return DriverManager.getConnection(url, properties);
      } catch (SQLException e) {
        if (!isH2Handover(url, e)) {
          throw cannotConnect(config, e);
        }
        if (System.nanoTime() - start > H2_HANDOVER.toNanos()) {
          throw new DatabaseException(
              "cannot open "
                  + config.displayUrl()
                  + ": the H2 file is still held by another process after "
                  + H2_HANDOVER.toSeconds()
                  + " s ("
                  + reason(e, config.secrets())
                  + ") — stop that process, or open the file with AUTO_SERVER=TRUE there too",
              safeCause(e, config));
        }
        if (!said) {
          log.warn(
              "the embedded database {} is being opened or handed over by another process;"
                  + " waiting up to {} s for it",
              config.displayUrl(),
              H2_HANDOVER.toSeconds());
          said = true;
        }
        sleepBriefly();
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing the first connection: {}", e.toString());
    }
  }

  /**
   * How long to wait for an embedded H2 file changing hands: the process serving it (AUTO_SERVER)
   * just exited, or was killed and its lock file has not yet gone stale, or another process is
   * opening it right now and has not started serving it yet ("Locked by another process": a CLI
   * command and {@code standalone} starting together on a new file). H2 says so with error 8000 or
   * 90020 and these words; a few seconds later the file is served or free.
   */
  private static final java.time.Duration H2_HANDOVER = java.time.Duration.ofSeconds(20);

  private static boolean isH2Handover(String url, SQLException e) {
    if (!url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("Lock file recently modified")
              || m.contains("Locked by another process")
              || m.contains("Connection is broken"))) {
        return true;
      }
    }
    return false;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private static void addUnlessInUrl(HikariConfig pool, String url, String name, String value) {
    if (!hasParameter(url, name)) {
      pool.addDataSourceProperty(name, value);
    }
  }

  private static boolean hasParameter(String url, String name) {
    return url.toLowerCase(java.util.Locale.ROOT)
        .matches(".*[?&;]" + name.toLowerCase(java.util.Locale.ROOT) + "=.*");
  }

  static DatabaseException cannotConnect(DatabaseConfig config, Throwable e) {
    SQLException sql = find(e, SQLException.class);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    int code = sql == null ? 0 : sql.getErrorCode();
    String hint;
    if (state.startsWith("28") || code == 1045) {
      hint = "check the user and password (--db-url / UPDRAFT_DB_URL)";
    } else if (state.equals("3D000") || code == 1049 || state.equals("90146")) {
      hint = "does the database exist? create it or check --db-url / UPDRAFT_DB_URL";
    } else {
      hint = "is the database running? check --db-url / UPDRAFT_DB_URL";
    }
    return new DatabaseException(
        "cannot connect to "
            + config.displayUrl()
            + ": "
            + reason(e, config.secrets())
            + " — "
            + hint,
        safeCause(e, config));
  }

  /** The most specific message in the cause chain, first line only, password masked. */
  static String reason(Throwable e, List<String> secrets) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    String firstLine = message.strip().lines().findFirst().orElse(message).strip();
    return Redact.text(firstLine, secrets);
  }

  /** The cause to chain, unless a message in it shows a password (drivers echo URLs). */
  private static Throwable safeCause(Throwable e, DatabaseConfig config) {
    List<String> secrets = config.secrets();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t.toString();
      if (secrets.stream().anyMatch(text::contains)) {
        return null;
      }
    }
    return e;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  public Dialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Plain JDBC with this database's error translation; repositories use it. */
  public Jdbc jdbc() {
    return jdbc;
  }

  /**
   * Runs {@code work} in one transaction (see {@link Jdbc#inTransaction}): every repository call it
   * makes on this thread joins it; committed on return, rolled back if it throws.
   */
  public <T> T inTransaction(java.util.function.Supplier<T> work) {
    return jdbc.inTransaction(work);
  }

  /**
   * Runs {@code work} in a transaction it may share with the work of other threads that arrives
   * while a commit is being written: one commit for all of them (decisions/0160, {@link
   * GroupCommit}). Returns once its writes are committed; if it throws, nothing of it is committed
   * and the exception goes to this caller only. {@code work} may run on another thread and more
   * than once: its only effects must be writes through this database, with everything else it needs
   * captured. Inside a transaction of this thread it joins that one.
   *
   * @param what what the work does, for error messages
   */
  public <T> T inGroupCommit(String what, java.util.function.Supplier<T> work) {
    return groupCommit.run(what, work);
  }

  /** The group commits so far: {transactions, units they carried}; for tests and measurements. */
  public long[] groupCommitCounts() {
    return groupCommit.counts();
  }

  /** How many group commits may be under way at once (decisions/0182). */
  public int groupCommitLanes() {
    return groupCommit.lanes();
  }

  /** How many units wait for the next group commit; tests wait on it. */
  public int groupCommitQueued() {
    return groupCommit.queued();
  }

  /** {@link #inTransaction} without a result. */
  public void runInTransaction(Runnable work) {
    jdbc.runInTransaction(work);
  }

  /** The URL with passwords removed: what messages and logs show. */
  public String displayUrl() {
    return config.displayUrl();
  }

  /** Applies pending migrations; returns how many ran. Refuses a database newer than this code. */
  public int migrate() {
    SchemaStatus status = status();
    switch (status.state()) {
      case AHEAD, FAILED -> throw schemaError(status);
      default -> {}
    }
    try {
      int applied = flyway.migrate().migrationsExecuted;
      if (applied > 0) {
        log.info(
            "migrated the metadata database at {} to schema version {} ({} migrations)",
            displayUrl(),
            status.required(),
            applied);
      }
      return applied;
    } catch (FlywayException e) {
      throw new DatabaseException(
          "migrating the metadata database at "
              + displayUrl()
              + " failed: "
              + reason(e, config.secrets())
              + " — an Updraft database needs a database (or schema) of its own",
          e);
    }
  }

  /** Where the schema stands against this Updraft's migrations. */
  public SchemaStatus status() {
    MigrationInfoService info;
    try {
      info = flyway.info();
    } catch (FlywayException e) {
      throw cannotConnect(config, e);
    }
    MigrationInfo[] all = info.all();
    String required =
        Arrays.stream(all)
            .filter(i -> i.getState().isResolved() && i.getVersion() != null)
            .map(MigrationInfo::getVersion)
            .max(Comparator.naturalOrder())
            .map(MigrationVersion::getVersion)
            .orElseThrow(
                () ->
                    new DatabaseException(
                        "no migrations found at "
                            + dialect.migrationLocation()
                            + ": broken build"));
    MigrationInfo current = info.current();
    String currentVersion =
        current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    SchemaStatus.State state;
    if (Arrays.stream(all).anyMatch(i -> i.getState().isFailed())) {
      state = SchemaStatus.State.FAILED;
    } else if (current == null) {
      state = SchemaStatus.State.EMPTY;
    } else if (current.getState() == MigrationState.FUTURE_SUCCESS) {
      state = SchemaStatus.State.AHEAD;
    } else if (info.pending().length > 0) {
      state = SchemaStatus.State.BEHIND;
    } else {
      state = SchemaStatus.State.CURRENT;
    }
    return new SchemaStatus(state, currentVersion, required);
  }

  /**
   * Connects and checks that the schema is exactly at this Updraft's version; a one-line {@link
   * DatabaseException} saying what to do otherwise.
   */
  public void check() {
    try (Connection c = dataSource.getConnection()) {
      if (!c.isValid(10)) {
        throw new DatabaseException(
            "cannot connect to "
                + displayUrl()
                + ": the connection is not valid — is the database running?");
      }
    } catch (SQLException e) {
      throw cannotConnect(config, e);
    }
    SchemaStatus status = status();
    if (!status.isCurrent()) {
      throw schemaError(status);
    }
  }

  private DatabaseException schemaError(SchemaStatus s) {
    String at = "the metadata database at " + displayUrl();
    return new DatabaseException(
        switch (s.state()) {
          case EMPTY -> at + " has no Updraft schema — run 'updraft db migrate'";
          case BEHIND ->
              at
                  + " is at schema version "
                  + s.current()
                  + ", this Updraft needs "
                  + s.required()
                  + " — run 'updraft db migrate'";
          case AHEAD ->
              at
                  + " is at schema version "
                  + s.current()
                  + ", newer than this Updraft knows ("
                  + s.required()
                  + ") — run a newer Updraft against it, or use another database";
          case FAILED ->
              at
                  + " has a migration that failed half-way (see its table "
                  + HISTORY_TABLE
                  + ") — repair the database by hand, delete the failed row, then run 'updraft db"
                  + " migrate' again";
          case CURRENT -> throw new IllegalStateException("not an error: " + s);
        });
  }

  @Override
  public void close() {
    dataSource.close();
  }

  @Override
  public String toString() {
    return "Database[" + dialect.name() + " " + displayUrl() + "]";
  }
}
