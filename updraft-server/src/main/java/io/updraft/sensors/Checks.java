package io.updraft.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.connections.Connection;
import io.updraft.connections.UnknownConnectionException;
import io.updraft.dag.Glob;
import io.updraft.util.ProcessTree;
import io.updraft.worker.operators.HttpRequestRunner;
import io.updraft.worker.operators.JdbcPools;
import io.updraft.worker.operators.OperatorFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link ConditionChecker} of every kind of condition, shared by the triggerer and the {@code
 * reschedule}/{@code poke} sensor operator. One instance serves a whole process: its SQL checks use
 * the worker's JDBC pools with at most {@code sqlPerConnection} checks at once per connection id
 * (others wait their turn), its HTTP checks share one client, and a {@code command} runs at most
 * {@code commandTimeout} before its process tree is killed.
 *
 * <p>A check never throws for a failed check: an unreachable host, a query that does not run are
 * {@link CheckResult.Status#ERROR} with one line, retried at the next check. An unknown connection
 * is {@link CheckResult.Status#WAITING}: it may be added while the sensor waits.
 */
public final class Checks implements ConditionChecker {

  /** How many SQL checks run at once on one connection id by default (the JDBC pool's size). */
  public static final int DEFAULT_SQL_PER_CONNECTION = 4;

  /** How long a {@code command}, an SQL query or an HTTP request may take by default. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMinutes(1);

  /** How much of an HTTP response is read for a {@code json} check. */
  static final int MAX_BODY = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private final JdbcPools pools;
  private final HttpRequestRunner http;
  private final int sqlPerConnection;
  private final Duration checkTimeout;
  private final Map<String, Semaphore> sqlSlots = new ConcurrentHashMap<>();

  /** The process's checker: shared JDBC pools and HTTP client, the default limits. */
  public Checks() {
    this(DEFAULT_SQL_PER_CONNECTION);
  }

  /** With at most {@code sqlPerConnection} SQL checks at once per connection id. */
  public Checks(int sqlPerConnection) {
    this(JdbcPools.shared(), HttpRequestRunner.shared(), sqlPerConnection, DEFAULT_CHECK_TIMEOUT);
  }

  /**
   * @param checkTimeout how long one {@code command}, SQL query or HTTP request (without its own
   *     {@code timeout}) may take before the check is an error
   */
  public Checks(
      JdbcPools pools, HttpRequestRunner http, int sqlPerConnection, Duration checkTimeout) {
    if (sqlPerConnection < 1) {
      throw new IllegalArgumentException(
          "sqlPerConnection must be at least 1, not " + sqlPerConnection);
    }
    this.pools = Objects.requireNonNull(pools, "pools");
    this.http = Objects.requireNonNull(http, "http");
    this.sqlPerConnection = sqlPerConnection;
    this.checkTimeout = Objects.requireNonNull(checkTimeout, "checkTimeout");
  }

  @Override
  public CheckResult check(Condition condition, CheckEnv env) throws InterruptedException {
    try {
      return switch (condition) {
        case Condition.File f -> file(f, env);
        case Condition.Sql s -> sql(s, env);
        case Condition.Http h -> http(h, env);
        case Condition.At a ->
            env.clock().instant().isBefore(a.at())
                ? CheckResult.waiting("until " + a.at())
                : CheckResult.holds("it is " + a.at() + " or later");
        case Condition.ExternalTask e -> external(List.of(e), env).get(e);
        case Condition.Command c -> command(c, env);
      };
    } catch (InterruptedException e) {
      throw e;
    } catch (UnknownConnectionException e) {
      // Not an error of the check: the connection may be added while the sensor waits (SPEC §1.9).
      return CheckResult.waiting(OperatorFailure.oneLine(e.getMessage()));
    } catch (UpdraftException e) {
      return CheckResult.error(OperatorFailure.oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      return CheckResult.error(condition.describe() + ": " + OperatorFailure.causeOf(e));
    }
  }

  /**
   * Checks many {@code external_task} conditions with one lookup ({@link ExternalStates}): what the
   * triggerer does once per round for every such condition due.
   */
  public static Map<Condition.ExternalTask, CheckResult> external(
      Collection<Condition.ExternalTask> conditions, CheckEnv env) {
    Map<Condition.ExternalTask, CheckResult> out = new LinkedHashMap<>();
    Map<Condition.ExternalTask, ExternalStates.Answer> answers;
    try {
      answers = env.external().states(conditions);
    } catch (RuntimeException e) {
      String why = "cannot read the states of other DAGs: " + OperatorFailure.causeOf(e);
      conditions.forEach(c -> out.put(c, CheckResult.error(why)));
      return out;
    }
    for (Condition.ExternalTask c : conditions) {
      out.put(c, decide(c, answers.get(c)));
    }
    return out;
  }

  private static CheckResult decide(Condition.ExternalTask c, ExternalStates.Answer a) {
    String what = c.dagId() + (c.taskId() == null ? "" : "." + c.taskId());
    String run = c.runId() != null ? "run " + c.runId() : "the run at " + c.logicalDate();
    if (a == null || !a.dagKnown()) {
      return CheckResult.waiting("DAG " + c.dagId() + " is not stored");
    }
    if (!a.runExists()) {
      return CheckResult.waiting(c.dagId() + " has no " + run + " yet");
    }
    String state = a.state() == null ? "none" : a.state();
    String line = what + " in " + run + " is " + state;
    if (c.failedStates().contains(state)) {
      return CheckResult.failed(line + " (a failed state)");
    }
    return c.allowedStates().contains(state) ? CheckResult.holds(line) : CheckResult.waiting(line);
  }

  // ---- file

  private static CheckResult file(Condition.File f, CheckEnv env) throws InterruptedException {
    String pattern = f.pattern();
    boolean relative = !pattern.startsWith("/");
    if (relative && env.dagFolder() == null) {
      return CheckResult.error(
          "file " + pattern + " is relative, but the DAG file's folder is not on this machine");
    }
    if (!Glob.isPattern(pattern)) {
      Path p = relative ? env.dagFolder().resolve(pattern) : Path.of(pattern);
      return holdsAt(p) ? CheckResult.holds("found " + p) : CheckResult.waiting("no file " + p);
    }
    Glob glob;
    try {
      glob = Glob.compile(pattern);
    } catch (IllegalArgumentException e) {
      return CheckResult.error(e.getMessage());
    }
    Path base =
        relative
            ? (glob.base().isEmpty() ? env.dagFolder() : env.dagFolder().resolve(glob.base()))
            : Path.of(glob.base());
    if (!Files.isDirectory(base)) {
      return CheckResult.waiting("no folder " + base + " for " + pattern);
    }
    AtomicReference<Path> found = new AtomicReference<>();
    try {
      Files.walkFileTree(
          base,
          EnumSet.noneOf(FileVisitOption.class),
          glob.depth(),
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return visit(dir);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              return visit(file);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // unreadable: not a match, keep looking
            }

            private FileVisitResult visit(Path p) {
              if (Thread.currentThread().isInterrupted()) {
                return FileVisitResult.TERMINATE;
              }
              String path =
                  relative
                      ? env.dagFolder().relativize(p).toString().replace('\\', '/')
                      : p.toString().replace('\\', '/');
              if (glob.matches(path) && holdsAt(p)) {
                found.set(p);
                return FileVisitResult.TERMINATE;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      return CheckResult.error("file " + pattern + ": " + OperatorFailure.causeOf(e));
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("the file check was interrupted");
    }
    Path p = found.get();
    return p != null
        ? CheckResult.holds("found " + p)
        : CheckResult.waiting("nothing matches " + pattern);
  }

  /** Airflow's FileSensor: a file, or a folder with a file somewhere in it. */
  private static boolean holdsAt(Path p) {
    if (Files.isRegularFile(p)) {
      return true;
    }
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (var s = Files.walk(p)) {
      return s.anyMatch(Files::isRegularFile);
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  // ---- sql

  private CheckResult sql(Condition.Sql s, CheckEnv env) throws InterruptedException {
    Connection conn = env.connections().get(s.connId());
    Semaphore slots =
        sqlSlots.computeIfAbsent(s.connId(), id -> new Semaphore(sqlPerConnection, true));
    slots.acquire();
    try (java.sql.Connection c = pools.pool(conn).getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(s.sql())) {
        ps.setQueryTimeout((int) Math.max(1, checkTimeout.toSeconds()));
        return query(s, ps);
      } finally {
        c.rollback(); // the pool's connections do not auto-commit: leave no transaction open
      }
    } catch (SQLException e) {
      return CheckResult.error("sql on " + s.connId() + ": " + OperatorFailure.causeOf(e));
    } finally {
      slots.release();
    }
  }

  /**
   * Runs the query on a thread of its own so that an interrupt of the checking thread cancels it on
   * the server at once (a JDBC call does not answer interrupts) instead of waiting it out.
   */
  private static CheckResult query(Condition.Sql s, PreparedStatement ps)
      throws SQLException, InterruptedException {
    FutureTask<CheckResult> task =
        new FutureTask<>(
            () -> {
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return CheckResult.waiting("sql on " + s.connId() + ": no row yet");
                }
                Object first = rs.getObject(1);
                return truthy(first)
                    ? CheckResult.holds("sql on " + s.connId() + ": a row came back")
                    : CheckResult.waiting("sql on " + s.connId() + ": the first cell is " + first);
              }
            });
    Thread.ofVirtual().name("updraft-sensor-sql").start(task);
    try {
      return task.get();
    } catch (InterruptedException e) {
      ps.cancel();
      try {
        task.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS); // let it end before closing
      } catch (ExecutionException | TimeoutException ignored) {
        // cancelled: its outcome does not matter
      }
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException(OperatorFailure.causeOf(e.getCause()), e.getCause());
    }
  }

  /** Python's truth of a first cell, as Airflow's SqlSensor: null, false, 0 and "" are not. */
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof BigDecimal d) {
      return d.signum() != 0;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return !(v instanceof String t) || !t.isEmpty();
  }

  // ---- http

  private CheckResult http(Condition.Http h, CheckEnv env) throws InterruptedException {
    Connection conn = h.connId() == null ? null : env.connections().get(h.connId());
    HttpRequestRunner.Request request =
        HttpRequestRunner.request(
            conn,
            h.method() == null ? "GET" : h.method(),
            h.url(),
            h.headers() == null ? Map.of() : h.headers(),
            null,
            h.timeout() == null ? checkTimeout : h.timeout());
    HttpRequestRunner.Response response;
    try {
      response = http.send(request, h.jsonPointer() == null ? 0 : MAX_BODY, abort -> {});
    } catch (IOException e) {
      return CheckResult.error(
          "cannot reach " + request.describe() + ": " + OperatorFailure.causeOf(e));
    }
    int status = response.status();
    List<Integer> expected = h.expectStatus() == null ? List.of() : h.expectStatus();
    boolean ok = expected.isEmpty() ? status >= 200 && status < 300 : expected.contains(status);
    String line = request.describe() + " answered " + status;
    if (!ok) {
      return CheckResult.waiting(
          line + " (waiting for " + (expected.isEmpty() ? "2xx" : expected) + ")");
    }
    if (h.jsonPointer() == null) {
      return CheckResult.holds(line);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return CheckResult.waiting(line + " but its body is not JSON");
    }
    JsonNode at = body == null ? null : body.at(h.jsonPointer());
    String where = line + ", " + h.jsonPointer();
    if (at == null || at.isMissingNode()) {
      return CheckResult.waiting(where + " is missing");
    }
    if (h.jsonEquals() == null) {
      return jsonTruthy(at)
          ? CheckResult.holds(where + " is " + shorten(at.toString()))
          : CheckResult.waiting(where + " is " + shorten(at.toString()));
    }
    return jsonEquals(at, h.jsonEquals())
        ? CheckResult.holds(where + " is " + shorten(at.toString()))
        : CheckResult.waiting(
            where
                + " is "
                + shorten(at.toString())
                + ", not "
                + shorten(String.valueOf(h.jsonEquals())));
  }

  private static boolean jsonTruthy(JsonNode n) {
    if (n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.decimalValue().signum() != 0;
    }
    if (n.isTextual()) {
      return !n.textValue().isEmpty();
    }
    return !n.isEmpty();
  }

  /**
   * A value equals what the DAG file wrote when both are the same JSON, or — a rendered template
   * being text — when a scalar's text is the same ({@code 1} and {@code "1"}, {@code true} and
   * {@code "true"}); numbers compare by value ({@code 1.0} and {@code 1}).
   */
  static boolean jsonEquals(JsonNode n, Object expected) {
    JsonNode want = JSON.valueToTree(expected);
    if (n.equals(want)) {
      return true;
    }
    if (!n.isValueNode() || !want.isValueNode()) {
      return false;
    }
    String a = n.asText();
    String b = want.asText();
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException e) {
      return a.equals(b);
    }
  }

  // ---- command

  private CheckResult command(Condition.Command c, CheckEnv env) throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", c.command()).redirectErrorStream(true);
    if (env.dagFolder() != null && Files.isDirectory(env.dagFolder())) {
      pb.directory(env.dagFolder().toFile());
    }
    pb.environment().putAll(env.env());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return CheckResult.error(
          "cannot start bash for " + c.describe() + ": " + OperatorFailure.causeOf(e));
    }
    try {
      p.getOutputStream().close(); // no input: a command that reads stdin sees its end
    } catch (IOException e) {
      // the process is already gone; its exit code says the rest
    }
    AtomicReference<String> last = new AtomicReference<>("");
    Thread reader =
        Thread.ofVirtual()
            .name("updraft-sensor-command")
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      if (!line.isBlank()) {
                        last.set(shorten(line.strip()));
                      }
                    }
                  } catch (IOException e) {
                    // the process ended or was killed: what was read is enough
                  }
                });
    boolean exited;
    try {
      exited = p.waitFor(checkTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      ProcessTree.kill(p.toHandle(), Set.of(), KILL_GRACE);
      throw e;
    }
    if (!exited) {
      ProcessTree.kill(p.toHandle(), Set.of(), KILL_GRACE);
      return CheckResult.error(
          c.describe() + " did not exit within " + checkTimeout.toSeconds() + "s: killed");
    }
    reader.join(Duration.ofSeconds(1));
    int code = p.exitValue();
    String out = last.get().isEmpty() ? "" : ": " + last.get();
    return code == 0
        ? CheckResult.holds("exit 0" + out)
        : CheckResult.waiting("exit " + code + out);
  }

  // ---- lines

  private static String shorten(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
