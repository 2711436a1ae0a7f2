package io.updraft.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.sensors.CheckResult.Status;
import io.updraft.worker.operators.HttpRequestRunner;
import io.updraft.worker.operators.JdbcPools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of condition but {@code sql} (see {@link SqlChecksContractTest}) against real files, a
 * real HTTP server and real processes.
 */
class ChecksTest {
  static final Instant NOW = Instant.parse("2024-03-10T06:00:00Z");

  @TempDir Path dags;
  HttpServer server;
  String base;
  final AtomicReference<String> auth = new AtomicReference<>();
  final Checks checks =
      new Checks(JdbcPools.shared(), HttpRequestRunner.shared(), 4, Duration.ofSeconds(5));
  ExternalStates external = conditions -> Map.of();
  Map<String, Connection> connections = Map.of();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    auth.set(ex.getRequestHeaders().getFirst("Authorization"));
    switch (ex.getRequestURI().getPath()) {
      case "/ready" -> reply(ex, 200, "{\"status\":\"ready\",\"n\":1,\"items\":[]}");
      case "/busy" -> reply(ex, 200, "{\"status\":\"busy\",\"n\":0}");
      case "/text" -> reply(ex, 200, "not json");
      case "/created" -> reply(ex, 201, "");
      default -> reply(ex, 404, "no");
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  CheckEnv env() {
    ConnectionLookup lookup = id -> Optional.ofNullable(connections.get(id));
    return new CheckEnv(
        Clock.fixed(NOW, ZoneOffset.UTC), lookup, external, dags, Map.of("GREETING", "hello"));
  }

  CheckResult check(Condition c) throws InterruptedException {
    CheckResult r = checks.check(c, env());
    assertThat(r.detail()).doesNotContain("\n");
    return r;
  }

  // ---- file

  @Test
  void aPlainPathRelativeToTheDagFolder() throws Exception {
    assertThat(check(new Condition.File("in/_SUCCESS")).status()).isEqualTo(Status.WAITING);
    Files.createDirectories(dags.resolve("in"));
    assertThat(check(new Condition.File("in")).status())
        .as("an empty folder does not hold (Airflow's FileSensor)")
        .isEqualTo(Status.WAITING);
    Files.writeString(dags.resolve("in/_SUCCESS"), "");
    CheckResult r = check(new Condition.File("in/_SUCCESS"));
    assertThat(r.status()).isEqualTo(Status.HOLDS);
    assertThat(r.detail()).contains("_SUCCESS");
    assertThat(check(new Condition.File("in")).status()).isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.File(dags.resolve("in/_SUCCESS").toString())).status())
        .isEqualTo(Status.HOLDS);
  }

  @Test
  void globs() throws Exception {
    Files.createDirectories(dags.resolve("data/2024/03/10"));
    assertThat(check(new Condition.File("data/*/*.csv")).status()).isEqualTo(Status.WAITING);
    assertThat(check(new Condition.File("data/**/*.csv")).status()).isEqualTo(Status.WAITING);
    Files.writeString(dags.resolve("data/2024/03/10/orders.csv"), "x");
    assertThat(check(new Condition.File("data/*/*.csv")).status())
        .as("* stays within one folder")
        .isEqualTo(Status.WAITING);
    assertThat(check(new Condition.File("data/**/*.csv")).status()).isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.File("data/*/0?/1[0-9]/{orders,items}.csv")).status())
        .isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.File("data/*/0?/1[!0]/*.csv")).status())
        .isEqualTo(Status.WAITING);
    Files.writeString(dags.resolve("data/top.csv"), "x");
    assertThat(check(new Condition.File("data/**/top.csv")).status())
        .as("** also matches no folder at all")
        .isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.File(dags + "/data/**/orders.csv")).status())
        .isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.File("nothing/*/x")).detail()).contains("no folder");
  }

  @Test
  void aBadGlobOrAMissingFolderIsAnError() throws Exception {
    assertThat(check(new Condition.File("in/{a,b")).status()).isEqualTo(Status.ERROR);
    CheckResult relative =
        checks.check(
            new Condition.File("x"),
            new CheckEnv(Clock.systemUTC(), ConnectionLookup.none(), external, null, Map.of()));
    assertThat(relative.status()).isEqualTo(Status.ERROR);
    assertThat(relative.detail()).contains("is relative");
  }

  // ---- time

  @Test
  void timeHoldsFromItsInstant() throws Exception {
    assertThat(check(new Condition.At(NOW.plusSeconds(1), "time 06:00:01")).status())
        .isEqualTo(Status.WAITING);
    assertThat(check(new Condition.At(NOW, "time 06:00")).status()).isEqualTo(Status.HOLDS);
  }

  // ---- external_task

  @Test
  void externalTaskStates() throws Exception {
    Condition.ExternalTask unknown = ext("nope");
    Condition.ExternalTask noRun = ext("norun");
    Condition.ExternalTask running = ext("running");
    Condition.ExternalTask ok = ext("ok");
    Condition.ExternalTask failed = ext("failed");
    Condition.ExternalTask none = ext("none");
    List<Collection<Condition.ExternalTask>> calls = new ArrayList<>();
    external =
        conditions -> {
          calls.add(conditions);
          Map<Condition.ExternalTask, ExternalStates.Answer> m = new java.util.HashMap<>();
          for (Condition.ExternalTask c : conditions) {
            m.put(
                c,
                switch (c.dagId()) {
                  case "nope" -> ExternalStates.Answer.UNKNOWN_DAG;
                  case "norun" -> ExternalStates.Answer.NO_RUN;
                  case "running" -> ExternalStates.Answer.of("running");
                  case "ok" -> ExternalStates.Answer.of("success");
                  case "failed" -> ExternalStates.Answer.of("upstream_failed");
                  default -> ExternalStates.Answer.of(null);
                });
          }
          return m;
        };
    assertThat(check(unknown)).isEqualTo(CheckResult.waiting("DAG nope is not stored"));
    assertThat(calls).singleElement().satisfies(c -> assertThat(c).containsExactly(unknown));
    assertThat(check(noRun).detail()).contains("no the run at", "yet");
    assertThat(check(running).status()).isEqualTo(Status.WAITING);
    assertThat(check(ok).status()).isEqualTo(Status.HOLDS);
    assertThat(check(failed).status()).isEqualTo(Status.FAILED);
    assertThat(check(none).detail()).endsWith("is none");

    calls.clear();
    Map<Condition.ExternalTask, CheckResult> batch =
        Checks.external(List.of(unknown, ok, failed), env());
    assertThat(calls).as("one lookup for the whole batch").hasSize(1);
    assertThat(batch.get(ok).status()).isEqualTo(Status.HOLDS);
    assertThat(batch.get(failed).status()).isEqualTo(Status.FAILED);

    external =
        conditions -> {
          throw new IllegalStateException("database is down");
        };
    CheckResult broken = check(ok);
    assertThat(broken.status()).isEqualTo(Status.ERROR);
    assertThat(broken.detail()).contains("database is down");
  }

  private static Condition.ExternalTask ext(String dagId) {
    return new Condition.ExternalTask(
        dagId, "t", NOW, null, List.of("success"), List.of("failed", "upstream_failed"));
  }

  // ---- command

  @Test
  void commandsRunInTheDagFolderWithTheirEnvironment() throws Exception {
    Files.writeString(dags.resolve("marker"), "x");
    assertThat(check(new Condition.Command("test -s marker")).status()).isEqualTo(Status.HOLDS);
    assertThat(check(new Condition.Command("test \"$GREETING\" = hello")).status())
        .isEqualTo(Status.HOLDS);
    CheckResult r = check(new Condition.Command("echo first; echo 'not yet' >&2; exit 3"));
    assertThat(r).isEqualTo(CheckResult.waiting("exit 3: not yet"));
  }

  @Test
  void aCommandThatHangsIsKilledAtTheTimeout() throws Exception {
    Path pid = dags.resolve("child.pid");
    Checks quick =
        new Checks(JdbcPools.shared(), HttpRequestRunner.shared(), 4, Duration.ofSeconds(1));
    CheckResult r =
        quick.check(new Condition.Command("sleep 60 & echo $! > child.pid; wait"), env());
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.detail()).contains("did not exit within 1s");
    long child = Long.parseLong(Files.readString(pid).strip());
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
        .as("the command's child is killed too")
        .isFalse();
  }

  @Test
  void anInterruptedCommandIsKilledWithItsChildren() throws Exception {
    Path pid = dags.resolve("child.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    checks.check(
                        new Condition.Command("sleep 60 & echo $! > child.pid; wait"), env());
                  } catch (Throwable e) {
                    thrown.set(e);
                  }
                  done.countDown();
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(Files.exists(pid) && !Files.readString(pid).isBlank())
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    t.interrupt();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    long child = Long.parseLong(Files.readString(pid).strip());
    ProcessHandle.of(child).ifPresent(h -> h.onExit().join());
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  // ---- http

  @Test
  void httpStatus() throws Exception {
    assertThat(check(http(base + "/created", List.of(), null, null)).status())
        .isEqualTo(Status.HOLDS);
    CheckResult missing = check(http(base + "/missing", List.of(), null, null));
    assertThat(missing.status()).isEqualTo(Status.WAITING);
    assertThat(missing.detail()).contains("answered 404", "waiting for 2xx");
    assertThat(check(http(base + "/missing", List.of(404), null, null)).status())
        .isEqualTo(Status.HOLDS);
  }

  @Test
  void httpJsonChecks() throws Exception {
    assertThat(check(http(base + "/ready", List.of(), "/status", "ready")).status())
        .isEqualTo(Status.HOLDS);
    CheckResult busy = check(http(base + "/busy", List.of(), "/status", "ready"));
    assertThat(busy.status()).isEqualTo(Status.WAITING);
    assertThat(busy.detail()).contains("/status is \"busy\", not ready");
    assertThat(check(http(base + "/ready", List.of(), "/n", "1")).status())
        .as("a rendered template is text: \"1\" equals 1")
        .isEqualTo(Status.HOLDS);
    assertThat(check(http(base + "/ready", List.of(), "/n", null)).status())
        .isEqualTo(Status.HOLDS);
    assertThat(check(http(base + "/busy", List.of(), "/n", null)).status())
        .as("0 is not truthy")
        .isEqualTo(Status.WAITING);
    assertThat(check(http(base + "/ready", List.of(), "/items", null)).status())
        .as("an empty list is not truthy")
        .isEqualTo(Status.WAITING);
    assertThat(check(http(base + "/ready", List.of(), "/absent", null)).detail())
        .contains("is missing");
    assertThat(check(http(base + "/text", List.of(), "/a", null)).detail()).contains("not JSON");
  }

  @Test
  void httpThroughAConnectionWithItsAuth() throws Exception {
    connections =
        Map.of(
            "api",
            new Connection(
                "api",
                "http",
                "127.0.0.1",
                server.getAddress().getPort(),
                "user",
                "s3cret",
                null,
                Map.of()));
    CheckResult r =
        check(new Condition.Http("api", "/ready", "GET", Map.of(), List.of(), null, null, null));
    assertThat(r.status()).isEqualTo(Status.HOLDS);
    assertThat(auth.get()).startsWith("Basic ");
    assertThat(r.detail()).doesNotContain("s3cret");
    CheckResult unknown =
        check(new Condition.Http("nope", "/ready", "GET", Map.of(), List.of(), null, null, null));
    assertThat(unknown.status()).isEqualTo(Status.WAITING); // it may be added meanwhile
    assertThat(unknown.detail()).contains("connection 'nope' is not defined");
  }

  @Test
  void anUnreachableHostIsAnError() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CheckResult r = check(http("http://127.0.0.1:" + port + "/x", List.of(), null, null));
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.detail()).startsWith("cannot reach GET http://127.0.0.1:" + port + "/x");
    assertThat(check(http("ftp://x/y", List.of(), null, null)).status()).isEqualTo(Status.ERROR);
  }

  private static Condition.Http http(
      String url, List<Integer> expect, String pointer, Object equals) {
    return new Condition.Http(null, url, "GET", Map.of(), expect, pointer, equals, null);
  }
}
