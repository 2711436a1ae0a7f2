package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.scheduler.DagActions;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Clear, mark, delete, task instances, tries, logs and XComs through the API, on a real database:
 * Airflow's shapes, what the writes leave, and that they are audited with the API user. Each test
 * makes runs of its own ({@code orders}: extract → load).
 */
abstract class ApiWritesContractTest extends ApiServerTestBase {
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** A new queued run of orders with its two task instances (none). */
  String newRun() {
    int n = RUNS.incrementAndGet();
    String id = "w" + n + "_" + System.nanoTime();
    DagActions.trigger(
        db,
        "orders",
        Instant.parse("2022-01-01T00:00:00Z").plusSeconds(3600L * n + System.nanoTime() % 3600),
        id,
        null,
        "test",
        NOW);
    return id;
  }

  TaskInstanceRow ti(String runId, String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun("orders", runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
  }

  void set(String runId, String taskId, TaskInstanceState to) {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow t = ti(runId, taskId);
    if (to == TaskInstanceState.RUNNING) {
      tis.setStates(List.of(new StateChange(t.id(), t.state(), TaskInstanceState.SCHEDULED)), NOW);
      tis.setStates(
          List.of(new StateChange(t.id(), TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED)),
          NOW);
      new TaskInstanceTries(db).start(t.id(), "host", 7, NOW);
    } else {
      tis.setStates(List.of(new StateChange(t.id(), t.state(), to)), NOW);
    }
  }

  void runState(String runId, DagRunState to) {
    DagRunRepository runs = new DagRunRepository(db);
    DagRunRow r = runs.get("orders", runId).orElseThrow();
    runs.setState(r.id(), DagRunState.QUEUED, DagRunState.RUNNING, NOW);
    if (to != DagRunState.RUNNING) {
      runs.setState(r.id(), DagRunState.RUNNING, to, NOW);
    }
  }

  String base(String runId) {
    return "/api/v2/dags/orders/dagRuns/" + runId;
  }

  Response as(Role role, String method, String path, String body) {
    return send(method, path, tokens.get(role), body);
  }

  LogRow lastAudit(String event) {
    return new LogRepository(db)
        .recent(50).stream()
            .filter(l -> l.event().equals(event))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no audit event " + event));
  }

  static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asText())
        .toList();
  }

  @Test
  void clearTaskInstancesIsADryRunUnlessToldAndThenClearsAndAudits() {
    String run = newRun();
    set(run, "extract", TaskInstanceState.FAILED);
    set(run, "load", TaskInstanceState.UPSTREAM_FAILED);
    runState(run, DagRunState.FAILED);
    String body =
        "{\"dag_run_id\": \""
            + run
            + "\", \"task_ids\": [\"extract\"], \"include_downstream\": true";

    Response dry = as(Role.USER, "POST", "/api/v2/dags/orders/clearTaskInstances", body + "}");
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(dry.json().get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(dry.json().get("task_instances"), "state"))
        .containsExactlyInAnyOrder("failed", "upstream_failed");
    assertThat(ti(run, "extract").state()).isEqualTo(TaskInstanceState.FAILED);

    Response done =
        as(
            Role.USER,
            "POST",
            "/api/v2/dags/orders/clearTaskInstances",
            body + ", \"dry_run\": false}");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(texts(done.json().get("task_instances"), "task_id"))
        .containsExactlyInAnyOrder("extract", "load");
    assertThat(done.json().get("task_instances").get(0).get("state").isNull()).isTrue();
    assertThat(ti(run, "load").state()).isEqualTo(TaskInstanceState.NONE);
    assertThat(new DagRunRepository(db).get("orders", run).orElseThrow().state())
        .isEqualTo(DagRunState.QUEUED);
    LogRow audit = lastAudit("clear");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(audit.runId()).isEqualTo(run);

    Response unknownTask =
        as(
            Role.USER,
            "POST",
            "/api/v2/dags/orders/clearTaskInstances",
            "{\"task_ids\": [\"nope\"]}");
    assertThat(unknownTask.status()).isEqualTo(404);
    assertThat(unknownTask.detail()).contains("nope");
    Response unknownRun =
        as(
            Role.USER,
            "POST",
            "/api/v2/dags/orders/clearTaskInstances",
            "{\"dag_run_id\": \"nope\"}");
    assertThat(unknownRun.status()).isEqualTo(404);
    Response past =
        as(Role.USER, "POST", "/api/v2/dags/orders/clearTaskInstances", "{\"include_past\": true}");
    assertThat(past.status()).isEqualTo(422);
    assertThat(past.detail()).contains("include_past");
  }

  @Test
  void clearingARunAnswersTheInstancesOnADryRunAndTheRunOtherwise() {
    String run = newRun();
    set(run, "extract", TaskInstanceState.SUCCESS);
    set(run, "load", TaskInstanceState.FAILED);
    runState(run, DagRunState.FAILED);

    Response dry = as(Role.USER, "POST", base(run) + "/clear", "{\"only_failed\": true}");
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(texts(dry.json().get("task_instances"), "task_id")).containsExactly("load");

    Response done = as(Role.USER, "POST", base(run) + "/clear", "{\"dry_run\": false}");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.json().get("dag_run_id").asText()).isEqualTo(run);
    assertThat(done.json().get("state").asText()).isEqualTo("queued");
    assertThat(ti(run, "extract").state()).isEqualTo(TaskInstanceState.NONE);
  }

  @Test
  void patchingARunMarksItAndItsInstances() {
    String run = newRun();
    set(run, "extract", TaskInstanceState.RUNNING);
    runState(run, DagRunState.RUNNING);

    Response failed = as(Role.USER, "PATCH", base(run), "{\"state\": \"failed\"}");
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);
    assertThat(failed.json().get("state").asText()).isEqualTo("failed");
    assertThat(ti(run, "extract").state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(ti(run, "load").state()).isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(lastAudit("dagrun_failed").owner()).isEqualTo("user");

    Response success = as(Role.USER, "PATCH", base(run), "{\"state\": \"success\"}");
    assertThat(success.json().get("state").asText()).isEqualTo("success");
    assertThat(ti(run, "load").state()).isEqualTo(TaskInstanceState.SUCCESS);

    for (String bad :
        List.of(
            "{\"state\": \"running\"}",
            "{\"state\": \"success\", \"note\": \"hi\"}",
            "{}",
            "{\"state\": 3}")) {
      Response r = as(Role.USER, "PATCH", base(run), bad);
      assertThat(r.status()).as(bad + " " + r.body()).isEqualTo(422);
    }
    assertThat(as(Role.USER, "PATCH", base("nope"), "{\"state\": \"failed\"}").status())
        .isEqualTo(404);
    assertThat(as(Role.VIEWER, "PATCH", base(run), "{\"state\": \"failed\"}").status())
        .isEqualTo(403);
  }

  @Test
  void deletingARunIsA204AndTheRunIsGone() {
    String run = newRun();
    Response r = as(Role.USER, "DELETE", base(run), null);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(as(Role.VIEWER, "GET", base(run), null).status()).isEqualTo(404);
    assertThat(new TaskInstanceRepository(db).listForRun("orders", run)).isEmpty();
    LogRow audit = lastAudit("delete_dag_run");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(as(Role.USER, "DELETE", base(run), null).status()).isEqualTo(404);
  }

  @Test
  void oneTaskInstanceItsTriesAndMarkingIt() {
    String run = newRun();
    set(run, "extract", TaskInstanceState.RUNNING);
    new TaskInstanceTries(db)
        .finishTry(
            ti(run, "extract").id(),
            1,
            TaskInstanceState.RUNNING,
            TaskInstanceState.FAILED,
            NOW,
            null);

    Response one = as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract", null);
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().get("state").asText()).isEqualTo("failed");
    assertThat(one.json().get("try_number").asInt()).isEqualTo(1);
    assertThat(as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/-1", null).json())
        .isEqualTo(one.json());
    assertThat(as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/3", null).status())
        .isEqualTo(404);
    assertThat(as(Role.VIEWER, "GET", base(run) + "/taskInstances/nope", null).status())
        .isEqualTo(404);

    Response tries = as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/tries", null);
    assertThat(tries.status()).as(tries.body()).isEqualTo(200);
    assertThat(tries.json().get("total_entries").asInt()).isEqualTo(1);
    assertThat(tries.json().get("task_instances").get(0).get("try_number").asInt()).isEqualTo(1);
    assertThat(tries.json().get("task_instances").get(0).get("state").asText()).isEqualTo("failed");

    Response dry =
        as(
            Role.USER,
            "PATCH",
            base(run) + "/taskInstances/extract",
            "{\"new_state\": \"success\", \"dry_run\": true, \"include_downstream\": true}");
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(texts(dry.json().get("task_instances"), "task_id"))
        .containsExactlyInAnyOrder("extract", "load");
    assertThat(ti(run, "extract").state()).isEqualTo(TaskInstanceState.FAILED);

    Response marked =
        as(
            Role.USER,
            "PATCH",
            base(run) + "/taskInstances/extract",
            "{\"new_state\": \"success\"}");
    assertThat(marked.status()).as(marked.body()).isEqualTo(200);
    assertThat(marked.json().get("total_entries").asInt()).isEqualTo(1);
    assertThat(marked.json().get("task_instances").get(0).get("state").asText())
        .isEqualTo("success");
    LogRow audit = lastAudit("mark_success");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(audit.taskId()).isEqualTo("extract");

    Response bad =
        as(Role.USER, "PATCH", base(run) + "/taskInstances/extract", "{\"new_state\": \"queued\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.detail()).contains("new_state");
  }

  @Test
  void xcomEntriesOfATaskInstance() {
    String run = newRun();
    long runId = new DagRunRepository(db).get("orders", run).orElseThrow().id();
    XComRepository xcoms = new XComRepository(db);
    xcoms.put(runId, "orders", run, "extract", "return_value", "{\"rows\": 3}", NOW);
    xcoms.put(runId, "orders", run, "extract", "count", "3", NOW);

    Response list = as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/xcomEntries", null);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(list.json().get("xcom_entries"), "key"))
        .containsExactly("count", "return_value");

    Response one =
        as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/xcomEntries/return_value", null);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("value").get("rows").asInt()).isEqualTo(3);
    assertThat(one.json().get("dag_id").asText()).isEqualTo("orders");
    assertThat(
            as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/xcomEntries/nope", null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void runListsFilterByStateAndDatesAcrossDags() {
    String a = newRun();
    String b = newRun();
    runState(a, DagRunState.FAILED);
    Instant aDate = new DagRunRepository(db).get("orders", a).orElseThrow().logicalDate();

    JsonNode failed =
        as(Role.VIEWER, "GET", "/api/v2/dags/~/dagRuns?state=failed&limit=100", null).json();
    assertThat(texts(failed.get("dag_runs"), "dag_run_id")).contains(a).doesNotContain(b);
    assertThat(texts(failed.get("dag_runs"), "state")).containsOnly("failed");

    String at = URLEncoder.encode(aDate.toString(), StandardCharsets.UTF_8);
    JsonNode exact =
        as(
                Role.VIEWER,
                "GET",
                "/api/v2/dags/orders/dagRuns?logical_date_gte=" + at + "&logical_date_lte=" + at,
                null)
            .json();
    assertThat(exact.get("total_entries").asInt()).isEqualTo(1);
    assertThat(texts(exact.get("dag_runs"), "dag_run_id")).containsExactly(a);

    Response badState = as(Role.VIEWER, "GET", "/api/v2/dags/~/dagRuns?state=dancing", null);
    assertThat(badState.status()).isEqualTo(422);
    assertThat(badState.detail()).contains("state");
    Response badDate =
        as(Role.VIEWER, "GET", "/api/v2/dags/orders/dagRuns?run_after_gte=soon", null);
    assertThat(badDate.status()).isEqualTo(422);
    assertThat(badDate.detail()).contains("run_after_gte");

    set(b, "load", TaskInstanceState.SKIPPED);
    JsonNode skipped =
        as(
                Role.VIEWER,
                "GET",
                "/api/v2/dags/~/dagRuns/~/taskInstances?state=skipped&limit=100",
                null)
            .json();
    assertThat(skipped.get("task_instances")).isNotEmpty();
    assertThat(texts(skipped.get("task_instances"), "state")).containsOnly("skipped");
    assertThat(texts(skipped.get("task_instances"), "dag_run_id")).contains(b);
    JsonNode ofRun =
        as(Role.VIEWER, "GET", base(b) + "/taskInstances?state=none&task_id=extract", null).json();
    assertThat(ofRun.get("total_entries").asInt()).isEqualTo(1);
    assertThat(ofRun.get("task_instances").get(0).get("logical_date").isNull()).isFalse();
  }

  @Test
  void aClientTailsAGrowingLogWithTheContinuationToken() throws Exception {
    String run = newRun();
    set(run, "extract", TaskInstanceState.RUNNING);
    Path log = TryLog.path(logsRoot, "orders", run, "extract", 1);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "[2024-01-05T00:00:00.000Z] [updraft] try 1 starts\nfirst line\nhalf");
    String url = base(run) + "/taskInstances/extract/logs/1";

    Response first = as(Role.VIEWER, "GET", url, null);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    JsonNode content = first.json().get("content");
    assertThat(texts(content, "event"))
        .containsExactly("[2024-01-05T00:00:00.000Z] [updraft] try 1 starts", "first line");
    assertThat(content.get(0).get("timestamp").asText()).isEqualTo("2024-01-05T00:00:00.000Z");
    assertThat(content.get(1).get("timestamp").isNull()).isTrue();
    assertThat(first.json().get("end_of_log").asBoolean()).isFalse();
    String token = first.json().get("continuation_token").asText();

    Files.writeString(log, " done\nsecond line\n", StandardOpenOption.APPEND);
    Response second = as(Role.VIEWER, "GET", url + "?token=" + token, null);
    assertThat(texts(second.json().get("content"), "event"))
        .containsExactly("half done", "second line");
    String token2 = second.json().get("continuation_token").asText();

    Response nothingNew = as(Role.VIEWER, "GET", url + "?token=" + token2, null);
    assertThat(nothingNew.json().get("content")).isEmpty();

    Files.writeString(log, "last words", StandardOpenOption.APPEND);
    new TaskInstanceTries(db)
        .finishTry(
            ti(run, "extract").id(),
            1,
            TaskInstanceState.RUNNING,
            TaskInstanceState.SUCCESS,
            NOW,
            null);
    Response last = as(Role.VIEWER, "GET", url + "?token=" + token2, null);
    assertThat(texts(last.json().get("content"), "event")).containsExactly("last words");
    assertThat(last.json().get("end_of_log").asBoolean()).isTrue();

    HttpResponse<String> text =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + url))
                .header("Authorization", "Bearer " + tokens.get(Role.VIEWER))
                .header("Accept", "text/plain")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(text.body()).startsWith("[2024-01-05T00:00:00.000Z]").endsWith("last words");
    assertThat(text.headers().firstValue("X-Continuation-Token")).isPresent();

    // a token is bound to its log: another try's, or an altered one, is refused
    Response forged = as(Role.VIEWER, "GET", url + "?token=" + token2 + "x", null);
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.detail()).contains("token");
    String other = newRun();
    Response foreign =
        as(Role.VIEWER, "GET", base(other) + "/taskInstances/extract/logs/1?token=" + token2, null);
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/logs/5", null).status())
        .isEqualTo(404);
    assertThat(as(Role.VIEWER, "GET", base(run) + "/taskInstances/extract/logs/0", null).status())
        .isEqualTo(422);
  }

  /** The run ids a log test can name: not a path out of the logs folder. */
  @Test
  void aLogOfAnInstanceThatHasNotRunIsEmptyNotAnError() throws IOException {
    String run = newRun();
    Response r = as(Role.VIEWER, "GET", base(run) + "/taskInstances/load/logs/1", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("content")).isEmpty();
    assertThat(r.json().get("end_of_log").asBoolean()).isFalse();
  }
}
