package io.updraft.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.state.TaskInstanceState;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import io.updraft.worker.operators.HttpRequestRunner;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What an in-JVM operator's try costs beyond its request (issue 11: target at most 5 ms per task):
 * {@code tries} tries of one {@code http} task against an HTTP server in this JVM, or of one {@code
 * sql} task ({@code select 1}) against the bench's database (PostgreSQL with {@code --db
 * postgres}), each through the worker's task runner — templates, the try's log file, the virtual
 * thread, the outcome — alternated with the same request made directly ({@link HttpRequestRunner} /
 * a HikariCP pool of its own). Main figure: the tries' total time; {@code per_task_ms} and {@code
 * request_ms} are the means of a try and of a direct request, {@code overhead_ms} their difference.
 */
record OperatorOverheadWorkload(String operator, int tries) implements Workload {

  private static final Instant LOGICAL = Instant.parse("2024-01-01T00:00:00Z");

  @Override
  public String scenario() {
    return "operator-overhead";
  }

  @Override
  public String label() {
    return operator + "-" + tries;
  }

  @Override
  public int tasks() {
    return 1;
  }

  @Override
  public int dags() {
    return 1;
  }

  /** One way of making the request: a try of the task, or the request alone. */
  private interface Call {
    void call(int i) throws Exception;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Path logs = fresh.folder().resolve("logs");
      return operator.equals("http") ? http(logs, window) : sql(fresh, logs, window);
    }
  }

  private Sample http(Path logs, Window window) throws Exception {
    try (PingServer server = PingServer.start()) {
      String url = server.url();
      Dag dag = Dags.dag("bench_http").task(Tasks.http("t", "GET", url)).build();
      TaskRunner runner = new TaskRunner(RunnerSettings.defaults());
      HttpRequestRunner.Request request =
          HttpRequestRunner.request(null, "GET", url, Map.of(), null, null);
      return measure(
          window,
          i -> check(runner.run(request(dag, logs, i).build())),
          i -> {
            if (HttpRequestRunner.shared().send(request, 1 << 20, a -> {}).status() != 200) {
              throw new IllegalStateException("the server did not answer 200");
            }
          });
    }
  }

  private Sample sql(BenchDatabases.Fresh fresh, Path logs, Window window) throws Exception {
    String query = "select 1 as one";
    Connection conn =
        new Connection("bench", "jdbc", fresh.url(), null, null, null, null, Map.of());
    Dag dag = Dags.dag("bench_sql").task(Tasks.sql("t", "bench", query)).build();
    TaskRunner runner = new TaskRunner(RunnerSettings.defaults());
    ConnectionLookup lookup = id -> Optional.of(conn);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(fresh.url());
    config.setMaximumPoolSize(4);
    config.setAutoCommit(false);
    try (HikariDataSource direct = new HikariDataSource(config)) {
      return measure(
          window,
          i -> check(runner.run(request(dag, logs, i).connections(lookup).build())),
          i -> {
            try (java.sql.Connection c = direct.getConnection();
                PreparedStatement ps = c.prepareStatement(query)) {
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rs.getObject(1);
              }
              c.commit();
            }
          });
    }
  }

  /** Warms both ways up, then times them alternately, so drift hits both alike. */
  private Sample measure(Window window, Call task, Call direct) throws Exception {
    int warm = Math.min(tries, 200);
    for (int i = 0; i < warm; i++) {
      task.call(-1 - i);
      direct.call(i);
    }
    long tasks = 0;
    long requests = 0;
    window.open();
    try {
      for (int i = 0; i < tries; i++) {
        long t0 = System.nanoTime();
        task.call(i);
        long t1 = System.nanoTime();
        direct.call(i);
        long t2 = System.nanoTime();
        tasks += t1 - t0;
        requests += t2 - t1;
      }
    } finally {
      window.close();
    }
    double perTask = tasks / 1e6 / tries;
    double perRequest = requests / 1e6 / tries;
    return new Sample(
        tasks / 1e9,
        Map.of(
            "per_task_ms", perTask,
            "request_ms", perRequest,
            "overhead_ms", Math.max(0, perTask - perRequest)));
  }

  private static TryRequest.Builder request(Dag dag, Path logs, int i) {
    String runId = "bench_" + (i < 0 ? "warm" + -i : String.valueOf(i));
    return TryRequest.builder(dag, "t", runId, LOGICAL, logs);
  }

  private static void check(TryOutcome o) {
    if (o.state() != TaskInstanceState.SUCCESS) {
      throw new IllegalStateException("the bench task failed: " + o.error());
    }
  }
}
