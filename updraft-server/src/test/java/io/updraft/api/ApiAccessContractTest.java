package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

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
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
        new Sample("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN, null));
    s.put(
        "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
        new Sample("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/taskInstances", null));
    s.putAll(writeSamples());
    return s;
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
