package io.updraft.bench;

import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a fresh, migrated metadata database for each run of a workload, so no run sees another's
 * rows: on H2 a new file database in a temporary folder (the URL a home folder gets); on PostgreSQL
 * a new database on the server named by {@code UPDRAFT_TEST_PG_URL} — or, without it, on an
 * embedded PostgreSQL started once — dropped after the run. Scratch databases are named {@code
 * updraft_bench_…}, so a shared server's other databases are never touched.
 */
public final class BenchDatabases implements AutoCloseable {
  public static final String PG_ENV = "UPDRAFT_TEST_PG_URL";

  private static final Pattern DATABASE_IN_URL =
      Pattern.compile("^(jdbc:postgresql://[^/?;]+)(/[^?;]*)?(.*)$");

  private final DbKind kind;
  private final Path scratch;
  private final String pgAdminUrl;
  private final EmbeddedPostgres embedded;

  /**
   * Run folders left for later, and the bytes they hold. Deleting a run's thousands of log files
   * right before the next run made that run's file creations slow: ext4's inode allocator steps
   * over inodes freed within the last seconds ({@code recently_deleted}), which a server does not
   * meet, and which was most of the {@code http} chains' time in {@code mkdir} and {@code open}.
   */
  private final List<Path> left = new ArrayList<>();

  private long leftBytes;

  /** PostgreSQL databases of ended runs, dropped at the end (see {@link #leaveDatabase}). */
  private final List<String> leftDatabases = new ArrayList<>();

  /** Databases left at most; beyond it, those left so far are dropped. */
  private static final int LEFT_DATABASES_MAX = 100;

  /** Deferred at most; beyond it, the folders left so far are deleted. */
  private static final long LEFT_BYTES_MAX = 1L << 30;

  /** A folder larger than this is deleted at once (a 200 MB log of tasks-logs). */
  private static final long LEAVE_BELOW_BYTES = 64L << 20;

  /** A fresh database for one run; closing it closes and drops it. */
  public interface Fresh extends AutoCloseable {
    /** Opens the database (once) and migrates it. */
    Database database();

    /** The JDBC URL, for a child process that should use the same database. */
    String url();

    /** A folder of the run's own, deleted with the database or, when small, later. */
    Path folder();

    @Override
    void close();
  }

  private BenchDatabases(DbKind kind, Path scratch, String pgAdminUrl, EmbeddedPostgres embedded) {
    this.kind = kind;
    this.scratch = scratch;
    this.pgAdminUrl = pgAdminUrl;
    this.embedded = embedded;
  }

  /** For {@code kind}; on PostgreSQL without {@code UPDRAFT_TEST_PG_URL} starts an embedded one. */
  public static BenchDatabases open(DbKind kind) throws IOException {
    Path scratch = Files.createTempDirectory("updraft-bench-");
    if (kind == DbKind.H2) {
      return new BenchDatabases(kind, scratch, null, null);
    }
    String url = System.getenv(PG_ENV);
    if (url != null && !url.isBlank()) {
      return new BenchDatabases(kind, scratch, url.trim(), null);
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    return new BenchDatabases(kind, scratch, pg.getJdbcUrl("postgres", "postgres"), pg);
  }

  public DbKind kind() {
    return kind;
  }

  /** Where PostgreSQL runs, for the report: the server of the env variable, or embedded. */
  public String where() {
    if (kind == DbKind.H2) {
      return "H2 (a file database per run)";
    }
    return embedded != null
        ? "an embedded PostgreSQL"
        : "PostgreSQL at " + DatabaseConfig.of(pgAdminUrl).displayUrl() + " (" + PG_ENV + ")";
  }

  /** A new, empty database; {@link Fresh#database()} migrates it. */
  public Fresh fresh() throws IOException {
    Path folder = Files.createTempDirectory(scratch, "run-");
    if (kind == DbKind.H2) {
      Path home = folder.resolve("home");
      // its few large files go at once; the run's many small ones are left (see left)
      return fresh(DatabaseConfig.defaultUrl(home), folder, () -> deleteH2Files(home));
    }
    String name = "updraft_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return fresh(withDatabase(pgAdminUrl, name), folder, () -> leaveDatabase(name));
  }

  /**
   * Drops a run's PostgreSQL database later: a drop deletes its few hundred files on the machine's
   * file system, and the next run's log files would step over those inodes (see {@link #left}).
   */
  private synchronized void leaveDatabase(String name) {
    leftDatabases.add(name);
    if (leftDatabases.size() > LEFT_DATABASES_MAX) {
      dropLeftDatabases();
    }
  }

  private synchronized void dropLeftDatabases() {
    leftDatabases.forEach(name -> admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    leftDatabases.clear();
  }

  /** The database is opened and migrated on first use: a child process may be the one to. */
  private Fresh fresh(String url, Path folder, Runnable drop) {
    return new Fresh() {
      private Database db;

      @Override
      public synchronized Database database() {
        if (db == null) {
          db = Database.open(url);
          db.migrate();
        }
        return db;
      }

      @Override
      public String url() {
        return url;
      }

      @Override
      public Path folder() {
        return folder;
      }

      @Override
      public synchronized void close() {
        try {
          if (db != null) {
            db.close();
          }
        } finally {
          drop.run();
          leave(folder);
        }
      }
    };
  }

  private void admin(String sql) {
    try (Connection c = DriverManager.getConnection(pgAdminUrl);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          sql + " failed: " + e.getMessage() + " — " + PG_ENV + " must name a user that may", e);
    }
  }

  static String withDatabase(String url, String database) {
    Matcher m = DATABASE_IN_URL.matcher(url);
    if (!m.matches()) {
      throw new UsageException(
          PG_ENV
              + " must be a PostgreSQL JDBC URL such as"
              + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }
    return m.group(1) + "/" + database + m.group(3);
  }

  /** Deletes a run's folder later if it is small, now if it is large (see {@link #left}). */
  private synchronized void leave(Path folder) {
    long bytes = sizeOf(folder);
    if (bytes >= LEAVE_BELOW_BYTES) {
      deleteTree(folder);
      return;
    }
    left.add(folder);
    leftBytes += bytes;
    if (leftBytes > LEFT_BYTES_MAX) {
      left.forEach(BenchDatabases::deleteTree);
      left.clear();
      leftBytes = 0;
    }
  }

  private static long sizeOf(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return Long.MAX_VALUE; // delete it now
    }
  }

  /** The files of the embedded database in {@code home} (updraft.mv.db and its companions). */
  private static void deleteH2Files(Path home) {
    try (Stream<Path> files = Files.list(home)) {
      files
          .filter(f -> f.getFileName().toString().matches("updraft\\.[a-z.]*db"))
          .forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException noHome) {
      // nothing was created there
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    dropLeftDatabases();
    deleteTree(scratch);
    if (embedded != null) {
      embedded.close();
    }
  }
}
