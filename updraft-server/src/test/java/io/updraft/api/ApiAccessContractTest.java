package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionActions;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.VariableActions;
import io.updraft.store.AssetRepository;
import io.updraft.store.ImportErrorRepository;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the route table, with each role and with no, an expired, a forged and a
 * malformed token: 401 without a good token, 403 for a role that may not, and an answer for a role
 * that may (SPEC §3). A route added without a sample request here fails the test, so no endpoint
 * goes unchecked.
 */
abstract class ApiAccessContractTest extends ApiServerTestBase {
  private final AtomicInteger runs = new AtomicInteger();

  /** A request that succeeds for a role that may make it: a path and a body (null: none). */
  private record Sample(Supplier<String> fresh, Supplier<String> body) {
    Sample(String path, Supplier<String> body) {
      this(() -> path, body);
    }

    /** The path to send to; a delete's makes a new thing to delete each time. */
    String path() {
      return fresh.get();
    }
  }

  private Map<String, Sample> samples() {
    Map<String, Sample> s = new LinkedHashMap<>();
    s.put(
        "POST /auth/token",
        new Sample(
            "/auth/token",
            () -> "{\"username\": \"viewer\", \"password\": \"" + password(Role.VIEWER) + "\"}"));
    s.put("GET /api/v2/version", new Sample("/api/v2/version", null));
    s.put("GET /api/v2/monitor/health", new Sample("/api/v2/monitor/health", null));
    s.put("GET /api/v2/dags", new Sample("/api/v2/dags", null));
    s.put("GET /api/v2/dags/{dag_id}", new Sample("/api/v2/dags/orders", null));
    s.put(
        "PATCH /api/v2/dags/{dag_id}",
        new Sample("/api/v2/dags/cleanup", () -> "{\"is_paused\": true}"));
    s.put("GET /api/v2/dags/{dag_id}/dagRuns", new Sample("/api/v2/dags/orders/dagRuns", null));
    s.put(
        "POST /api/v2/dags/{dag_id}/dagRuns",
        new Sample(
            "/api/v2/dags/orders/dagRuns",
            () -> {
              int n = runs.incrementAndGet();
              return "{\"dag_run_id\": \"access_"
                  + n
                  + "\", \"logical_date\": \""
                  + Instant.parse("2024-03-01T00:00:00Z").plusSeconds(3600L * n)
                  + "\"}";
            }));
    s.put(
        "PATCH /api/v2/dags/{dag_id}/dagRuns",
        new Sample(
            "/api/v2/dags/orders/dagRuns",
            () -> {
              int n = runs.incrementAndGet();
              return "{\"actions\": [{\"action\": \"create\", \"entities\": [{\"dag_run_id\":"
                  + " \"access_"
                  + n
                  + "\", \"logical_date\": \""
                  + Instant.parse("2024-03-01T00:00:00Z").plusSeconds(3600L * n)
                  + "\"}]}]}";
            }));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
        new Sample("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN, null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
        new Sample("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/taskInstances", null));
    s.putAll(resourceSamples());
    long asset = new AssetRepository(db).getByUri(ORDERS_ASSET).orElseThrow().id();
    s.put("GET /api/v2/assets", new Sample("/api/v2/assets", null));
    s.put("GET /api/v2/assets/{asset_id}", new Sample("/api/v2/assets/" + asset, null));
    s.put("GET /api/v2/assets/events", new Sample("/api/v2/assets/events", null));
    s.put(
        "POST /api/v2/assets/events",
        new Sample("/api/v2/assets/events", () -> "{\"asset_id\": " + asset + "}"));
    s.putAll(writeSamples());
    s.putAll(executionSamples());
    return s;
  }

  /** Samples of the execution API (a worker's or an admin's token; decisions/0148). */
  private Map<String, Sample> executionSamples() {
    Map<String, Sample> s = new LinkedHashMap<>();
    String tis = "/execution/task-instances/";
    s.put(
        "POST /execution/task-instances/claim",
        new Sample(tis + "claim", () -> "{\"queues\": [\"nothing\"], \"hostname\": \"h\"}"));
    s.put(
        "PATCH /execution/task-instances/{task_instance_id}/run",
        new Sample(
            () -> tis + queuedInstance("extract", "access") + "/run",
            () -> "{\"hostname\": \"h\"}"));
    s.put(
        "PUT /execution/task-instances/{task_instance_id}/heartbeat",
        new Sample(() -> tis + runningInstance() + "/heartbeat", () -> "{\"try_number\": 1}"));
    s.put(
        "PATCH /execution/task-instances/{task_instance_id}/state",
        new Sample(
            () -> tis + runningInstance() + "/state",
            () -> "{\"try_number\": 1, \"state\": \"success\"}"));
    s.put(
        "POST /execution/task-instances/{task_instance_id}/logs",
        new Sample(
            () -> tis + runningInstance() + "/logs",
            () -> "{\"try_number\": 1, \"offset\": 0, \"text\": \"x\\n\"}"));
    s.put(
        "GET /execution/xcoms/{dag_id}/{run_id}/{task_id}/{key}",
        new Sample(
            () -> {
              long run =
                  new io.updraft.store.DagRunRepository(db)
                      .get("orders", SEEDED_RUN)
                      .orElseThrow()
                      .id();
              new io.updraft.store.XComRepository(db)
                  .put(run, "orders", SEEDED_RUN, "extract", "sample", "1", NOW);
              return "/execution/xcoms/orders/" + SEEDED_RUN + "/extract/sample";
            },
            null));
    s.put(
        "POST /execution/xcoms/{dag_id}/{run_id}/{task_id}/{key}",
        new Sample(
            () -> {
              long id = runningInstance();
              String run =
                  new io.updraft.store.TaskInstanceRepository(db).get(id).orElseThrow().runId();
              return "/execution/xcoms/orders/" + run + "/extract/k";
            },
            () -> "{\"value\": 1}"));
    s.put(
        "GET /execution/connections/{connection_id}",
        new Sample(() -> "/execution/connections/" + connection(), null));
    s.put(
        "GET /execution/variables/{variable_key}",
        new Sample(() -> "/execution/variables/" + variable(), null));
    s.put(
        "GET /execution/dag-bundles/{bundle_hash}",
        new Sample(
            () -> {
              String hash = "bundle" + runs.incrementAndGet();
              new io.updraft.store.DagBundleRepository(db)
                  .store(hash, "x.java", new byte[] {1, 2}, NOW);
              return "/execution/dag-bundles/" + hash;
            },
            null));
    s.put(
        "POST /execution/dag-runs/{dag_id}",
        new Sample(
            "/execution/dag-runs/orders",
            () ->
                "{\"task_instance_id\": "
                    + runningInstance()
                    + ", \"try_number\": 1, \"run_id\": \"by_task_"
                    + runs.incrementAndGet()
                    + "\", \"logical_date\": \""
                    + Instant.parse("2023-01-01T00:00:00Z").plusSeconds(3600L * runs.get())
                    + "\"}"));
    s.put(
        "GET /execution/dag-runs/{dag_id}/{run_id}/state",
        new Sample("/execution/dag-runs/orders/" + SEEDED_RUN + "/state", null));
    s.put(
        "POST /execution/workers",
        new Sample(
            "/execution/workers",
            () -> "{\"hostname\": \"h\", \"queues\": [\"default\"], \"concurrency\": 2}"));
    s.put(
        "PUT /execution/workers/{worker_id}/heartbeat",
        new Sample(() -> "/execution/workers/" + workerJob() + "/heartbeat", null));
    s.put(
        "DELETE /execution/workers/{worker_id}",
        new Sample(() -> "/execution/workers/" + workerJob(), null));
    s.put("POST /execution/token", new Sample("/execution/token", () -> "{}"));
    s.put("GET /api/v2/workers", new Sample("/api/v2/workers", null));
    return s;
  }

  private long workerJob() {
    return new io.updraft.store.WorkerJobs(db)
        .register("h", 1, List.of("default"), 2, clock.instant());
  }

  /** A queued task instance started as a worker's claim starts it: running its try 1. */
  private long runningInstance() {
    long id = queuedInstance("extract", "access");
    new io.updraft.store.TaskInstanceTries(db).start(id, "h", 1, NOW);
    return id;
  }

  /** Samples of clearing, marking, deleting runs, task instances, tries, logs and XComs. */
  private Map<String, Sample> writeSamples() {
    String ti = "/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/taskInstances/extract";
    Map<String, Sample> s = new LinkedHashMap<>();
    s.put(
        "POST /api/v2/dags/{dag_id}/clearTaskInstances",
        new Sample("/api/v2/dags/orders/clearTaskInstances", () -> "{\"dry_run\": true}"));
    s.put(
        "POST /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/clear",
        new Sample(
            "/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/clear", () -> "{\"dry_run\": true}"));
    s.put(
        "PATCH /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
        new Sample("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN, () -> "{\"state\": \"queued\"}"));
    s.put(
        "DELETE /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
        new Sample(
            () -> {
              int n = runs.incrementAndGet();
              String id = "doomed_" + n;
              io.updraft.scheduler.DagActions.trigger(
                  db,
                  "orders",
                  Instant.parse("2023-01-01T00:00:00Z").plusSeconds(3600L * n),
                  id,
                  null,
                  "test",
                  NOW);
              return "/api/v2/dags/orders/dagRuns/" + id;
            },
            null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
        new Sample(ti, null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}",
        new Sample(ti + "/-1", null));
    s.put(
        "PATCH /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
        new Sample(ti, () -> "{\"new_state\": \"success\", \"dry_run\": true}"));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries",
        new Sample(ti + "/tries", null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}",
        new Sample(ti + "/logs/1", null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries",
        new Sample(ti + "/xcomEntries", null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}",
        new Sample(
            () -> {
              long runId =
                  new io.updraft.store.DagRunRepository(db)
                      .get("orders", SEEDED_RUN)
                      .orElseThrow()
                      .id();
              new io.updraft.store.XComRepository(db)
                  .put(runId, "orders", SEEDED_RUN, "extract", "k", "1", NOW);
              return ti + "/xcomEntries/k";
            },
            null));
    return s;
  }

  /** Samples of pools, variables, connections, import errors, event logs, users and DAG details. */
  private Map<String, Sample> resourceSamples() {
    Map<String, Sample> s = new LinkedHashMap<>();
    s.put("GET /api/v2/pools", new Sample("/api/v2/pools", null));
    s.put(
        "POST /api/v2/pools",
        new Sample(
            "/api/v2/pools",
            () -> "{\"name\": \"access_" + runs.incrementAndGet() + "\", \"slots\": 2}"));
    s.put("GET /api/v2/pools/{pool_name}", new Sample("/api/v2/pools/default_pool", null));
    s.put(
        "PATCH /api/v2/pools/{pool_name}",
        new Sample("/api/v2/pools/default_pool", () -> "{\"slots\": 128}"));
    s.put(
        "DELETE /api/v2/pools/{pool_name}",
        new Sample(
            () -> {
              String name = "doomed_" + runs.incrementAndGet();
              new io.updraft.store.PoolRepository(db)
                  .add(new io.updraft.store.Pool(name, 1, null, false));
              return "/api/v2/pools/" + name;
            },
            null));
    s.put("GET /api/v2/variables", new Sample("/api/v2/variables", null));
    s.put(
        "POST /api/v2/variables",
        new Sample(
            "/api/v2/variables",
            () -> "{\"key\": \"access_" + runs.incrementAndGet() + "\", \"value\": \"v\"}"));
    s.put(
        "GET /api/v2/variables/{variable_key}",
        new Sample(() -> "/api/v2/variables/" + variable(), null));
    s.put(
        "PATCH /api/v2/variables/{variable_key}",
        new Sample(() -> "/api/v2/variables/" + variable(), () -> "{\"value\": \"w\"}"));
    s.put(
        "DELETE /api/v2/variables/{variable_key}",
        new Sample(() -> "/api/v2/variables/" + variable(), null));
    s.put("GET /api/v2/connections", new Sample("/api/v2/connections", null));
    s.put(
        "POST /api/v2/connections",
        new Sample(
            "/api/v2/connections",
            () ->
                "{\"connection_id\": \"access_"
                    + runs.incrementAndGet()
                    + "\", \"conn_type\": \"http\"}"));
    s.put(
        "GET /api/v2/connections/{connection_id}",
        new Sample(() -> "/api/v2/connections/" + connection(), null));
    s.put(
        "PATCH /api/v2/connections/{connection_id}",
        new Sample(() -> "/api/v2/connections/" + connection(), () -> "{\"host\": \"h\"}"));
    s.put(
        "DELETE /api/v2/connections/{connection_id}",
        new Sample(() -> "/api/v2/connections/" + connection(), null));
    s.put("GET /api/v2/importErrors", new Sample("/api/v2/importErrors", null));
    s.put(
        "GET /api/v2/importErrors/{import_error_id}",
        new Sample(() -> "/api/v2/importErrors/" + importError(), null));
    s.put("GET /api/v2/eventLogs", new Sample("/api/v2/eventLogs", null));
    s.put(
        "GET /api/v2/eventLogs/{event_log_id}",
        new Sample(
            () ->
                "/api/v2/eventLogs/"
                    + new io.updraft.store.LogRepository(db)
                        .record("access", null, null, null, "test", null, NOW),
            null));
    s.put("GET /auth/fab/v1/users", new Sample("/auth/fab/v1/users", null));
    s.put(
        "POST /auth/fab/v1/users",
        new Sample(
            "/auth/fab/v1/users",
            () ->
                "{\"username\": \"access_"
                    + runs.incrementAndGet()
                    + "\", \"password\": \"a-long-password\", \"roles\": [{\"name\":"
                    + " \"Viewer\"}]}"));
    s.put("GET /auth/fab/v1/users/{username}", new Sample("/auth/fab/v1/users/viewer", null));
    s.put(
        "PATCH /auth/fab/v1/users/{username}",
        new Sample(
            () -> "/auth/fab/v1/users/" + user(), () -> "{\"roles\": [{\"name\": \"Op\"}]}"));
    s.put(
        "DELETE /auth/fab/v1/users/{username}",
        new Sample(() -> "/auth/fab/v1/users/" + user(), null));
    s.put("GET /api/v2/dagSources/{dag_id}", new Sample("/api/v2/dagSources/orders", null));
    s.put("GET /api/v2/dags/{dag_id}/details", new Sample("/api/v2/dags/orders/details", null));
    s.put("GET /api/v2/dags/{dag_id}/tasks", new Sample("/api/v2/dags/orders/tasks", null));
    s.put(
        "GET /api/v2/dags/{dag_id}/tasks/{task_id}",
        new Sample("/api/v2/dags/orders/tasks/load", null));
    return s;
  }

  private String variable() {
    String key = "var_" + runs.incrementAndGet();
    new VariableActions(db, FernetKeys.none()).set(key, "value", null, "test", NOW);
    return key;
  }

  private String connection() {
    String id = "conn_" + runs.incrementAndGet();
    new ConnectionActions(db, FernetKeys.none())
        .add(new Connection(id, "http", "example.com", null, null, null, null, null), "test", NOW);
    return id;
  }

  private long importError() {
    String file = "broken_" + runs.incrementAndGet() + ".yaml";
    ImportErrorRepository errors = new ImportErrorRepository(db);
    errors.replaceForFile(file, List.of(new ImportErrorRepository.Problem(1, 1, "bad", null)), NOW);
    return errors.list().stream()
        .filter(e -> e.filename().equals(file))
        .findFirst()
        .orElseThrow()
        .id();
  }

  private String user() {
    String name = "someone_" + runs.incrementAndGet();
    new UserAccounts(db).create(name, Role.VIEWER, "a-long-password", "test", NOW);
    return name;
  }

  private Map<String, String> badTokens() {
    byte[] otherKey = new byte[64];
    new SecureRandom().nextBytes(otherKey);
    Caller admin = new Caller("admin", Role.ADMIN);
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("no token", null);
    bad.put(
        "an expired token",
        new Tokens(
                keyOf(),
                java.time.Clock.fixed(
                    Instant.parse("2024-01-01T00:00:00Z"), java.time.ZoneOffset.UTC))
            .issue(admin));
    bad.put("a token signed with another key", new Tokens(otherKey, clock).issue(admin));
    bad.put("a malformed token", "not.a.jwt");
    String good = tokens.get(Role.ADMIN);
    bad.put("an altered token", good.substring(0, good.length() - 4) + "AAAA");
    return bad;
  }

  private byte[] keyOf() {
    return java.util.Base64.getDecoder()
        .decode(new io.updraft.store.ApiSecretRepository(db).get(Tokens.KEY_NAME).orElseThrow());
  }

  @Test
  void everyEndpointChecksTheTokenAndTheRole() {
    Map<String, Sample> samples = samples();
    List<String> problems = new ArrayList<>();
    for (Route route : server.routes()) {
      String key = route.method().name() + " " + route.path();
      Sample sample = samples.get(key);
      if (sample == null) {
        problems.add(key + ": no sample request in " + getClass().getSimpleName());
        continue;
      }
      String method = route.method().name();
      for (Map.Entry<String, String> bad : badTokens().entrySet()) {
        Response r =
            send(
                method,
                sample.path(),
                bad.getValue(),
                sample.body() == null ? null : sample.body().get());
        int expected = route.role() == null ? route.status() : 401;
        if (r.status() != expected || r.detail() == null && expected != route.status()) {
          problems.add(key + " with " + bad.getKey() + ": " + r + ", expected " + expected);
        }
      }
      for (Role role : Role.values()) {
        Response r =
            send(
                method,
                sample.path(),
                tokens.get(role),
                sample.body() == null ? null : sample.body().get());
        boolean may = route.role() == null || role.allows(route.role());
        int expected = may ? route.status() : 403;
        if (r.status() != expected) {
          problems.add(key + " as " + role.id() + ": " + r + ", expected " + expected);
        } else if (!may && (r.detail() == null || !r.detail().contains(role.id()))) {
          problems.add(key + " as " + role.id() + ": the 403 does not say why: " + r);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(samples.keySet())
        .as("samples for endpoints that do not exist")
        .containsExactlyInAnyOrderElementsOf(
            server.routes().stream().map(r -> r.method().name() + " " + r.path()).toList());
  }

  /** Airflow's meanings, written out: a change to {@link Role#allows} must change this table. */
  @Test
  void rolesIncludeTheOnesBelowThemAndWorkerStandsApart() {
    String table =
        """
        holder \\ needed  viewer user op admin worker
        viewer            y      n    n  n     n
        user              y      y    n  n     n
        op                y      y    y  n     n
        admin             y      y    y  y     y
        worker            n      n    n  n     y
        """;
    List<String> lines = table.lines().skip(1).toList();
    for (String line : lines) {
      String[] cells = line.trim().split("\\s+");
      Role holder = Role.parse(cells[0]);
      for (Role needed : Role.values()) {
        assertThat(holder.allows(needed))
            .as(holder + " allows " + needed)
            .isEqualTo(cells[1 + needed.ordinal()].equals("y"));
      }
    }
  }

  @Test
  void aTokenFromBeforeTheServerRestartedStillWorks() {
    // Stateless: the key is in the database, so any server on it accepts the token.
    Tokens another = Tokens.of(db, clock);
    Response r =
        send("GET", "/api/v2/dags", another.issue(new Caller("viewer", Role.VIEWER)), null);
    assertThat(r.status()).isEqualTo(200);
  }
}
