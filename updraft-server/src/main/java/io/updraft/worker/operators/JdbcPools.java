package io.updraft.worker.operators;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.updraft.connections.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One HikariCP pool per SQL connection id, for the life of the worker: a {@code sql} try borrows a
 * connection that is already open instead of logging in again. A connection whose URL or
 * credentials changed (edited with {@code connections add}) gets a new pool; the old one is closed.
 * Pools are small and shrink to nothing when idle, so a rarely used database holds no sessions.
 *
 * <p>Drivers are found by {@link DriverManager} through the class path: the PostgreSQL, MariaDB and
 * H2 drivers ship in Updraft's jar, and {@code bin/updraft} puts the jars of {@code
 * $UPDRAFT_HOME/drivers} on the class path at start (docs/decisions/0066), so no class loader is
 * made here.
 */
public final class JdbcPools implements AutoCloseable {

  private static final JdbcPools SHARED = new JdbcPools(4, Duration.ofSeconds(30));

  private record Pool(String fingerprint, HikariDataSource dataSource) {}

  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private final int maxSize;
  private final Duration connectTimeout;

  JdbcPools(int maxSize, Duration connectTimeout) {
    this.maxSize = maxSize;
    this.connectTimeout = connectTimeout;
  }

  /** The worker's pools. */
  public static JdbcPools shared() {
    return SHARED;
  }

  /**
   * The pool of this connection, opened on first use.
   *
   * @throws OperatorFailure if no driver takes the URL or the database cannot be reached
   */
  public DataSource pool(Connection c) {
    String url = JdbcUrls.of(c);
    String fingerprint =
        Integer.toHexString(Objects.hash(url, c.login(), c.password(), c.extra().toString()));
    Pool p = pools.get(c.connId());
    if (p != null && p.fingerprint().equals(fingerprint)) {
      return p.dataSource();
    }
    synchronized (this) {
      p = pools.get(c.connId());
      if (p != null && p.fingerprint().equals(fingerprint)) {
        return p.dataSource();
      }
      if (p != null) {
        p.dataSource().close();
        pools.remove(c.connId());
      }
      HikariDataSource ds = open(c, url);
      pools.put(c.connId(), new Pool(fingerprint, ds));
      return ds;
    }
  }

  private HikariDataSource open(Connection c, String url) {
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new OperatorFailure(
          c.connId(),
          "no JDBC driver takes URLs starting "
              + JdbcUrls.prefix(url)
              + " — put the driver's jar in $UPDRAFT_HOME/drivers and restart Updraft");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("updraft-sql-" + c.connId());
    config.setJdbcUrl(url);
    if (c.login() != null) {
      config.setUsername(c.login());
    }
    if (c.password() != null) {
      config.setPassword(c.password());
    }
    // Driver options (sslmode, ...) as Airflow passes a connection's extra to its hooks.
    c.extra()
        .forEach(
            (k, v) -> {
              if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                config.addDataSourceProperty(k, String.valueOf(v));
              }
            });
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofMinutes(2).toMillis());
    config.setConnectionTimeout(connectTimeout.toMillis());
    config.setAutoCommit(false);
    try {
      return new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new OperatorFailure(
          c.connId(),
          "cannot connect to "
              + JdbcUrls.prefix(url)
              + ": "
              + OperatorFailure.causeOf(e.getCause()),
          e);
    }
  }

  @Override
  public synchronized void close() {
    pools.values().forEach(p -> p.dataSource().close());
    pools.clear();
  }
}
