package io.updraft.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the metadata database. User and password may also be in the URL; when given here
 * they win.
 *
 * @param url a JDBC URL: {@code jdbc:h2:}, {@code jdbc:postgresql:}, {@code jdbc:mysql:} or {@code
 *     jdbc:mariadb:}
 * @param user null: from the URL (H2: {@code sa})
 * @param password null: from the URL (H2: empty)
 * @param maxPoolSize connections kept open, at least 1
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize) {
  /** The environment variable that overrides the default URL. */
  public static final String URL_ENV = "UPDRAFT_DB_URL";

  public static final int DEFAULT_POOL_SIZE = 10;

  public DatabaseConfig {
    Objects.requireNonNull(url, "url");
    if (maxPoolSize < 1) {
      throw new DatabaseException("the database pool size must be at least 1, not " + maxPoolSize);
    }
  }

  public static DatabaseConfig of(String url) {
    return new DatabaseConfig(url, null, null, DEFAULT_POOL_SIZE);
  }

  /**
   * The embedded database of a home folder: an H2 file {@code <home>/updraft.mv.db} in {@code
   * AUTO_SERVER} mode, so the CLI, a second scheduler or a worker on the same machine can open it
   * while the first process runs (the first one serves it to the others over a local TCP port it
   * records in the lock file; when it exits, another takes over). {@code WRITE_DELAY=0}: every
   * commit reaches the file before it returns, so a killed process loses nothing it committed (H2's
   * default flushes up to half a second later; decisions/0030). The file is served on the loopback
   * address only ({@link Database#H2_BIND_ADDRESS}). H2 refuses {@code DB_CLOSE_ON_EXIT=FALSE} with
   * AUTO_SERVER, so its shutdown hook stays: a stopping scheduler handles SIGTERM itself, and the
   * hook runs only once it closed the database (decisions/0042).
   */
  public static String defaultUrl(Path home) {
    String path = home.toAbsolutePath().normalize().resolve("updraft").toString();
    if (path.contains(";")) {
      throw new DatabaseException(
          "the Updraft home folder "
              + home
              + " contains ';', which an H2 URL cannot hold: choose another folder or set "
              + URL_ENV);
    }
    return "jdbc:h2:file:" + path + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }

  public DatabaseConfig withCredentials(String user, String password) {
    return new DatabaseConfig(url, user, password, maxPoolSize);
  }

  public DatabaseConfig withMaxPoolSize(int size) {
    return new DatabaseConfig(url, user, password, size);
  }

  /** Every password this configuration holds, to mask in anything printed. */
  List<String> secrets() {
    List<String> secrets = new ArrayList<>(Redact.secretsIn(url));
    if (password != null && !password.isEmpty()) {
      secrets.add(password);
    }
    return secrets;
  }

  /** The URL as it may be printed: passwords removed. */
  public String displayUrl() {
    return Redact.url(url);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + displayUrl()
        + ", user="
        + user
        + ", maxPoolSize="
        + maxPoolSize
        + "]";
  }
}
