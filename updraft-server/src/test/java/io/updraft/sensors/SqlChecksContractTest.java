package io.updraft.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.Connection;
import io.updraft.sensors.CheckResult.Status;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import io.updraft.worker.operators.HttpRequestRunner;
import io.updraft.worker.operators.JdbcPools;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sql} condition on a real database of each engine (Airflow's SqlSensor). */
abstract class SqlChecksContractTest {
  @TempDir Path dir;
  ScratchDatabase db;
  Checks checks;

  abstract TestBackend backend();

  /** The connection of the scratch database as a user would add it. */
  abstract Connection connection(String url);

  /** A query that takes about {@code seconds}; null if the engine has none. */
  String slowQuery(int seconds) {
    return null;
  }

  @BeforeEach
  void open() throws Exception {
    db = backend().create();
    checks = new Checks(JdbcPools.shared(), HttpRequestRunner.shared(), 2, Duration.ofSeconds(30));
    exec("create table partitions (ds varchar(10), ready int)");
  }

  @AfterEach
  void close() throws Exception {
    JdbcPools.shared().close();
    db.close();
  }

  void exec(String sql) throws Exception {
    try (var c =
            DriverManager.getConnection(
                db.config().url(), db.config().user(), db.config().password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  CheckEnv env() {
    Connection conn = connection(db.config().url());
    return new CheckEnv(
        Clock.systemUTC(),
        id -> id.equals("db") ? Optional.of(conn) : Optional.empty(),
        conditions -> Map.of(),
        dir,
        Map.of());
  }

  CheckResult check(String sql) throws InterruptedException {
    return checks.check(new Condition.Sql("db", sql), env());
  }

  @Test
  void holdsWhenARowWithATruthyFirstCellComesBack() throws Exception {
    String q = "select ready from partitions where ds = '2024-03-10'";
    assertThat(check(q)).isEqualTo(CheckResult.waiting("sql on db: no row yet"));
    exec("insert into partitions values ('2024-03-10', 0)");
    assertThat(check(q).status()).isEqualTo(Status.WAITING);
    assertThat(check(q).detail()).contains("the first cell is 0");
    exec("update partitions set ready = 2");
    assertThat(check(q)).isEqualTo(CheckResult.holds("sql on db: a row came back"));
    assertThat(check("select ds from partitions").status()).isEqualTo(Status.HOLDS);
    assertThat(check("select null from partitions").status()).isEqualTo(Status.WAITING);
  }

  @Test
  void errorsAreOneLine() throws Exception {
    CheckResult bad = check("select nothing from nowhere");
    assertThat(bad.status()).isEqualTo(Status.ERROR);
    assertThat(bad.detail()).startsWith("sql on db: ").doesNotContain("\n");
    CheckResult unknown = checks.check(new Condition.Sql("other", "select 1"), env());
    assertThat(unknown.status()).isEqualTo(Status.WAITING); // it may be added meanwhile
    assertThat(unknown.detail()).contains("connection 'other' is not defined");
  }

  /** An interrupted check cancels its query at once instead of waiting it out. */
  @Test
  void anInterruptCancelsTheQuery() throws Exception {
    String slow = slowQuery(60);
    org.junit.jupiter.api.Assumptions.assumeTrue(slow != null, "the engine has no sleep function");
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    thrown.set(new AssertionError("returned " + check(slow)));
                  } catch (Throwable e) {
                    thrown.set(e);
                  }
                  done.countDown();
                });
    Thread.sleep(500); // let the query reach the server; an earlier interrupt is fine as well
    t.interrupt();
    assertThat(done.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the 60 s query was cancelled")
        .isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
  }
}
