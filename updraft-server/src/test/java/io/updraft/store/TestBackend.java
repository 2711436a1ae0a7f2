package io.updraft.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A database engine the contract tests run on. Each {@link #create()} makes a fresh, empty database
 * with a unique name, so test classes (and parallel builds on the shared local servers) never see
 * each other's tables.
 *
 * <p>Environment: {@code UPDRAFT_TEST_PG_URL} (an admin URL of a PostgreSQL server, e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; unset: an embedded PostgreSQL started once
 * per test JVM) and {@code UPDRAFT_TEST_MYSQL_URL} (e.g. {@code
 * jdbc:mariadb://127.0.0.1:3306/test?user=root}; unset: the MySQL tests are skipped).
 */
public sealed interface TestBackend {
  String PG_ENV = "UPDRAFT_TEST_PG_URL";
  String MYSQL_ENV = "UPDRAFT_TEST_MYSQL_URL";

  /** The zone the embedded PostgreSQL server runs in: not UTC, on purpose. */
  String EMBEDDED_SERVER_ZONE = "Asia/Kathmandu";

  public ScratchDatabase create();

  static String uniqueName() {
    return "updraft_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** A file database in a test's temporary folder, at the same URL a home folder gets. */
  public record H2(Path dir) implements TestBackend {
    private static final AtomicInteger COUNT = new AtomicInteger();

    @Override
    public ScratchDatabase create() {
      Path home = dir.resolve("home" + COUNT.incrementAndGet());
      return new ScratchDatabase(DatabaseConfig.of(DatabaseConfig.defaultUrl(home)), () -> {});
    }
  }

  /** A server reached through an admin URL, on which each scratch database is created. */
  record Server(String adminUrl) implements TestBackend {
    private static final Pattern DATABASE_IN_URL =
        Pattern.compile("^(jdbc:[a-z]+://[^/?;]+)(/[^?;]*)?(.*)$");

    @Override
    public ScratchDatabase create() {
      String name = uniqueName();
      admin("CREATE DATABASE " + name);
      boolean postgres = adminUrl.startsWith("jdbc:postgresql:");
      return new ScratchDatabase(
          DatabaseConfig.of(withDatabase(adminUrl, name)),
          () -> admin("DROP DATABASE IF EXISTS " + name + (postgres ? " WITH (FORCE)" : "")));
    }

    private void admin(String sql) {
      String url = Dialect.forUrl(adminUrl).driverUrl(adminUrl);
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql + " on " + Redact.url(adminUrl) + ": " + e, e);
      }
    }

    static String withDatabase(String url, String database) {
      Matcher m = DATABASE_IN_URL.matcher(url);
      if (!m.matches()) {
        throw new IllegalArgumentException("cannot find the database name in " + url);
      }
      return m.group(1) + "/" + database + m.group(3);
    }
  }

  public static TestBackend postgres() {
    String url = System.getenv(PG_ENV);
    return new Server(url == null || url.isBlank() ? EmbeddedPg.adminUrl() : url);
  }

  /** The MySQL/MariaDB backend; skips the calling test with a message when none is configured. */
  public static TestBackend mysql() {
    String url = System.getenv(MYSQL_ENV);
    if (url == null || url.isBlank()) {
      MySqlNotice.printOnce();
      Assumptions.abort("no MySQL/MariaDB server: set " + MYSQL_ENV + " to run them");
    }
    return new Server(url);
  }

  /** Prints the MySQL skip notice once per test JVM. */
  final class MySqlNotice {
    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    private MySqlNotice() {}

    static void printOnce() {
      if (PRINTED.compareAndSet(false, true)) {
        System.out.println(
            "MySQL/MariaDB contract tests skipped: set "
                + MYSQL_ENV
                + " to run them, e.g. "
                + MYSQL_ENV
                + "=jdbc:mariadb://127.0.0.1:3306/test?user=root");
      }
    }
  }

  /**
   * One embedded PostgreSQL (zonky's binaries) per test JVM, started on first use and stopped by
   * its shutdown hook. Durability is off: these databases live for one build.
   */
  final class EmbeddedPg {
    private static EmbeddedPostgres server;

    private EmbeddedPg() {}

    static synchronized String adminUrl() {
      if (server == null) {
        try {
          server =
              EmbeddedPostgres.builder()
                  .setServerConfig("timezone", EMBEDDED_SERVER_ZONE)
                  .setServerConfig("fsync", "off")
                  .setServerConfig("synchronous_commit", "off")
                  .setServerConfig("full_page_writes", "off")
                  .start();
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot start the embedded PostgreSQL; set " + PG_ENV + " to use a server instead",
              e);
        }
      }
      return server.getJdbcUrl("postgres", "postgres");
    }
  }
}
