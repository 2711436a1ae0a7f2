package io.updraft.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.Fernet;
import io.updraft.connections.FernetKeys;
import io.updraft.dag.Dag;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.MovableClock;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.store.AssetRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A real API server on a free loopback port over a fresh migrated database of the subclass's
 * backend, with two DAGs ({@code orders} tagged sales, whose load task has the outlet {@link
 * #ORDERS_ASSET}, {@code cleanup} tagged ops and paused), one run of orders ({@code seeded}), a
 * user of each role and a token for each; requests go through a real HTTP client. One server per
 * test class: tests must not depend on each other's writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiServerTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2024-01-05T00:00:00Z");
  static final String SEEDED_RUN = "seeded";
  static final String ORDERS_ASSET = "s3://warehouse/orders";

  /** What orders.yaml holds in the DAGs folder the server is given (not parsed: only shown). */
  static final String ORDERS_SOURCE = "dag_id: orders\nschedule: \"@daily\"  # ünïcode\n";

  ScratchDatabase scratch;
  Database db;
  ApiServer server;
  MovableClock clock;
  Path dagsFolder;
  FernetKeys fernetKeys;
  Path logsRoot;
  HttpClient http;
  final Map<Role, String> tokens = new EnumMap<>(Role.class);

  abstract TestBackend backend();

  static String password(Role role) {
    return "password-of-" + role.id();
  }

  static Dag orders() {
    return Dags.dag("orders")
        .schedule("@daily")
        .startDate("2024-01-01")
        .tags("sales", "daily")
        .task(Tasks.shell("extract", "true"))
        .task(Tasks.shell("load", "true").upstream("extract").outlets(ORDERS_ASSET))
        .build();
  }

  static Dag cleanup() {
    return Dags.dag("cleanup").tags("ops").task(Tasks.shell("sweep", "true")).build();
  }

  @BeforeAll
  void startServer() throws Exception {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    clock = new MovableClock(NOW);
    for (Dag dag : new Dag[] {orders(), cleanup()}) {
      new SerializedDagRepository(db)
          .store(dag.dagId(), DagSerializer.serialize(dag), dag.dagId() + ".yaml", NOW);
      new DagRepository(db).upsert(dag, dag.dagId() + ".yaml", true, NOW);
      new AssetRepository(db).registerOutlets(dag, NOW);
    }
    new DagRepository(db).setPaused("orders", false);
    DagActions.trigger(
        db, "orders", Instant.parse("2024-01-02T00:00:00Z"), SEEDED_RUN, null, "test", NOW);
    UserAccounts accounts = new UserAccounts(db);
    for (Role role : Role.values()) {
      accounts.create(role.id(), role, password(role), "test", NOW);
    }
    fernetKeys = FernetKeys.parse(Fernet.generateKey(), "the test");
    dagsFolder = Files.createTempDirectory("updraft-api-dags");
    Files.writeString(dagsFolder.resolve("orders.yaml"), ORDERS_SOURCE);
    logsRoot = Files.createTempDirectory("updraft-api-logs");
    server =
        ApiServer.start(
            db,
            new ApiServer.Settings(
                "127.0.0.1", 0, Duration.ofSeconds(30), logsRoot, fernetKeys, dagsFolder),
            clock);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (Role role : Role.values()) {
      Response r =
          send(
              "POST",
              "/auth/token",
              null,
              "{\"username\": \"" + role.id() + "\", \"password\": \"" + password(role) + "\"}");
      if (r.status() != 201) {
        throw new IllegalStateException("sign-in of " + role + ": " + r);
      }
      tokens.put(role, r.json().get("access_token").asText());
    }
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
    for (Path folder : new Path[] {dagsFolder, logsRoot}) {
      if (folder != null) {
        try (var files = Files.walk(folder)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** An answer: status and body. */
  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    String detail() {
      return json().path("detail").asText(null);
    }
  }

  Response send(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private final java.util.concurrent.atomic.AtomicInteger queuedRuns =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Task instance {@code taskId} of a new run of orders, queued on {@code queue} by a scheduler job
   * as a scheduler would queue it; returns its id.
   */
  long queuedInstance(String taskId, String queue) {
    int n = queuedRuns.incrementAndGet();
    String runId = "queued_" + n + "_" + System.nanoTime();
    DagActions.trigger(
        db,
        "orders",
        Instant.parse("2022-01-01T00:00:00Z").plusSeconds(3600L * n + queuedRuns.get() * 7L),
        runId,
        null,
        "test",
        NOW);
    io.updraft.store.TaskInstanceRepository tis = new io.updraft.store.TaskInstanceRepository(db);
    long id =
        tis.listForRun("orders", runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow()
            .id();
    tis.setStates(
        List.of(
            new io.updraft.store.StateChange(
                id,
                io.updraft.state.TaskInstanceState.NONE,
                io.updraft.state.TaskInstanceState.SCHEDULED)),
        NOW);
    db.jdbc()
        .update(
            "setting the queue",
            "UPDATE task_instance SET queue = ? WHERE id = ?",
            ps -> {
              ps.setString(1, queue);
              ps.setLong(2, id);
            });
    long job =
        new io.updraft.store.JobRepository(db)
            .register(io.updraft.store.JobType.SCHEDULER, "test", 1, NOW);
    new io.updraft.store.TaskInstanceQueueing(db).queue(List.of(id), job, NOW);
    return id;
  }

  Response get(String path, Role as) {
    return send("GET", path, tokens.get(as), null);
  }
}
