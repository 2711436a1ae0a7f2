package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import io.updraft.worker.TryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The execution API a remote worker calls (decisions/0148, 0149): claims by queue, the task token
 * and its scope, heartbeats that say stop, log shipping, XComs, the end recorded as the local
 * executor records it, and the hand-back of a stopping worker — on every database.
 */
abstract class ExecutionApiContractTest extends ApiServerTestBase {
  private static final String CLAIM = "/execution/task-instances/claim";

  private Response claim(String queue, double wait) {
    return send(
        "POST",
        CLAIM,
        tokens.get(Role.WORKER),
        "{\"queues\": [\""
            + queue
            + "\"], \"hostname\": \"worker-1\", \"pid\": 42,"
            + " \"wait_seconds\": "
            + wait
            + "}");
  }

  /** Up to two task instances of {@code queue}, claimed in one request. */
  private JsonNode claimTwo(String queue) {
    return send(
            "POST",
            CLAIM,
            tokens.get(Role.WORKER),
            "{\"queues\": [\"" + queue + "\"], \"hostname\": \"w\", \"limit\": 2}")
        .json()
        .get("workloads");
  }

  private static String ti(long id, String what) {
    return "/execution/task-instances/" + id + "/" + what;
  }

  private TaskInstanceRow row(long id) {
    return new TaskInstanceRepository(db).get(id).orElseThrow();
  }

  @Test
  void aWorkerClaimsOnlyItsQueuesAndRunsTheTryThroughItsTaskToken() throws Exception {
    long other = queuedInstance("extract", "gpu_" + System.nanoTime());
    String queue = "etl_" + System.nanoTime();
    long mine = queuedInstance("extract", queue);

    Response claimed = claim(queue, 0);
    assertThat(claimed.status()).as(claimed.toString()).isEqualTo(200);
    JsonNode workloads = claimed.json().get("workloads");
    assertThat(workloads).hasSize(1);
    JsonNode w = workloads.get(0);
    assertThat(w.at("/task_instance/id").asLong()).isEqualTo(mine);
    assertThat(w.at("/task_instance/try_number").asInt()).isEqualTo(1);
    assertThat(w.at("/dag/dag_id").isMissingNode() && w.at("/dag").isNull()).isFalse();
    assertThat(row(mine).state()).isEqualTo(TaskInstanceState.RUNNING);
    assertThat(row(mine).hostname()).isEqualTo("worker-1");
    // What the workers page counts as running on that worker (its host and pid).
    assertThat(new TaskInstanceRepository(db).runningPerProcess())
        .extractingByKey(new TaskInstanceRepository.Process("worker-1", 42))
        .isNotNull()
        .satisfies(n -> assertThat(n).isPositive());
    assertThat(row(other).state()).isEqualTo(TaskInstanceState.QUEUED);
    String token = w.get("token").asText();

    // The task token heartbeats its own try and gets a renewed token.
    Response beat = send("PUT", ti(mine, "heartbeat"), token, "{}");
    assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
    assertThat(beat.json().get("token").asText()).isNotBlank();

    // It ships the log, which the public API reads as a local one.
    Response logged =
        send("POST", ti(mine, "logs"), token, "{\"offset\": 0, \"text\": \"line one\\n\"}");
    assertThat(logged.status()).as(logged.toString()).isEqualTo(200);
    Response again =
        send(
            "POST",
            ti(mine, "logs"),
            token,
            "{\"offset\": 0, \"text\": \"line one\\nline two\\n\"}");
    assertThat(again.json().get("size").asLong()).isEqualTo(18);
    TaskInstanceRow running = row(mine);
    Path file = TryLog.path(logsRoot, "orders", running.runId(), "extract", 1);
    assertThat(Files.readString(file)).isEqualTo("line one\nline two\n");
    Response read =
        get(
            "/api/v2/dags/orders/dagRuns/" + running.runId() + "/taskInstances/extract/logs/1",
            Role.VIEWER);
    assertThat(read.body()).contains("line one").contains("line two");

    // XComs: pushed by its own try, read back.
    String xcom = "/execution/xcoms/orders/" + running.runId() + "/extract/rows";
    assertThat(send("POST", xcom, token, "{\"value\": [1, 2]}").status()).isEqualTo(200);
    Response pulled = send("GET", xcom, token, null);
    assertThat(pulled.json().get("value").toString()).isEqualTo("[1,2]");

    // The end, recorded as the local executor records it: the return value is the XCom.
    Response ended =
        send("PATCH", ti(mine, "state"), token, "{\"state\": \"success\", \"return_value\": 7}");
    assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
    assertThat(ended.json().get("state").asText()).isEqualTo("success");
    assertThat(row(mine).state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(new XComRepository(db).get("orders", running.runId(), "extract", "return_value"))
        .contains("7");

    // Once the try is over, its heartbeat says stop.
    Response late = send("PUT", ti(mine, "heartbeat"), token, "{}");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.detail()).startsWith("stop").contains("success");
  }

  @Test
  void anEndCarriesTheLastPieceOfItsLogAndIsNotRecordedWithoutIt() throws Exception {
    String queue = "endlog_" + System.nanoTime();
    long id = queuedInstance("extract", queue);
    JsonNode w = claim(queue, 0).json().get("workloads").get(0);
    String token = w.get("token").asText();
    assertThat(
            send("POST", ti(id, "logs"), token, "{\"offset\": 0, \"text\": \"line one\\n\"}")
                .status())
        .isEqualTo(200);
    Path file = TryLog.path(logsRoot, "orders", row(id).runId(), "extract", 1);

    // A piece that leaves a gap: the end is refused, nothing is recorded, nothing written.
    Response gap =
        send(
            "PATCH",
            ti(id, "state"),
            token,
            "{\"state\": \"success\", \"log\": {\"offset\": 100, \"text\": \"last\\n\"}}");
    assertThat(gap.status()).as(gap.toString()).isEqualTo(409);
    assertThat(gap.detail()).contains("send from 9");
    assertThat(row(id).state()).isEqualTo(TaskInstanceState.RUNNING);
    assertThat(Files.readString(file)).isEqualTo("line one\n");

    // The end with its last piece (overlapping what was shipped: written once), in one request.
    Response ended =
        send(
            "PATCH",
            ti(id, "state"),
            token,
            "{\"state\": \"success\", \"log\": {\"offset\": 0,"
                + " \"text\": \"line one\\nlast line\\n\"}}");
    assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
    assertThat(ended.json().get("state").asText()).isEqualTo("success");
    assertThat(ended.json().get("log_size").asLong()).isEqualTo(19);
    assertThat(Files.readString(file)).isEqualTo("line one\nlast line\n");
    assertThat(row(id).state()).isEqualTo(TaskInstanceState.SUCCESS);

    // An end whose try is over stores nothing either: it is refused before the log is touched.
    Response late =
        send(
            "PATCH",
            ti(id, "state"),
            token,
            "{\"state\": \"failed\", \"try_number\": 2, \"log\": {\"offset\": 19,"
                + " \"text\": \"x\\n\"}}");
    assertThat(late.status()).isBetween(400, 499);
    assertThat(Files.readString(file)).isEqualTo("line one\nlast line\n");
  }

  @Test
  void aTaskTokenActsOnItsOwnTryOnly() {
    String queue = "scope_" + System.nanoTime();
    long a = queuedInstance("extract", queue);
    long b = queuedInstance("extract", queue);
    JsonNode claimed = claimTwo(queue);
    assertThat(claimed).hasSize(2);
    String tokenOfA =
        claimed.get(0).at("/task_instance/id").asLong() == a
            ? claimed.get(0).get("token").asText()
            : claimed.get(1).get("token").asText();

    for (String[] call :
        new String[][] {
          {"PUT", ti(b, "heartbeat"), "{}"},
          {"PATCH", ti(b, "state"), "{\"state\": \"success\"}"},
          {"POST", ti(b, "logs"), "{\"offset\": 0, \"text\": \"x\"}"},
          {"PATCH", ti(b, "run"), "{\"hostname\": \"h\"}"},
        }) {
      Response r = send(call[0], call[1], tokenOfA, call[2]);
      assertThat(r.status()).as(call[1] + ": " + r).isEqualTo(403);
      assertThat(r.detail()).contains("task instance " + a);
    }
    String runOfB = row(b).runId();
    Response push =
        send(
            "POST", "/execution/xcoms/orders/" + runOfB + "/extract/k", tokenOfA, "{\"value\": 1}");
    assertThat(push.status()).as(push.toString()).isEqualTo(403);
    assertThat(row(b).state()).isEqualTo(TaskInstanceState.RUNNING);

    // Nothing outside /execution, and no claims.
    assertThat(send("GET", "/api/v2/dags", tokenOfA, null).status()).isEqualTo(401);
    Response claim =
        send("POST", CLAIM, tokenOfA, "{\"queues\": [\"" + queue + "\"], \"hostname\": \"w\"}");
    assertThat(claim.status()).isEqualTo(403);
    // A worker's own token reaches no public endpoint either.
    assertThat(get("/api/v2/dags", Role.WORKER).status()).isEqualTo(403);
  }

  @Test
  void aHeartbeatSaysStopWhenTheInstanceLeftRunningAndAStoppingWorkerHandsBack() {
    String queue = "stop_" + System.nanoTime();
    long marked = queuedInstance("extract", queue);
    long handed = queuedInstance("extract", queue);
    JsonNode claimed = claimTwo(queue);
    String tokenMarked = null;
    String tokenHanded = null;
    for (JsonNode w : claimed) {
      if (w.at("/task_instance/id").asLong() == marked) {
        tokenMarked = w.get("token").asText();
      } else {
        tokenHanded = w.get("token").asText();
      }
    }
    new TaskInstanceRepository(db)
        .setStates(
            List.of(
                new io.updraft.store.StateChange(
                    marked, TaskInstanceState.RUNNING, TaskInstanceState.FAILED)),
            NOW);
    Response beat = send("PUT", ti(marked, "heartbeat"), tokenMarked, "{}");
    assertThat(beat.status()).isEqualTo(409);
    assertThat(beat.detail()).isEqualTo("stop: the task instance is now failed");

    int maxTriesBefore = row(handed).maxTries();
    Response back =
        send(
            "PATCH",
            ti(handed, "state"),
            tokenHanded,
            "{\"state\": \"failed\", \"error\": \"stopped\", \"handed_back\": true}");
    assertThat(back.status()).as(back.toString()).isEqualTo(200);
    assertThat(back.json().get("handed_back").asBoolean()).isTrue();
    TaskInstanceRow after = row(handed);
    assertThat(after.state()).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
    assertThat(after.nextRetryAt()).as("retried at once").isEqualTo(NOW);
    assertThat(after.maxTries()).as("the hand-back costs no retry").isEqualTo(maxTriesBefore + 1);
  }

  @Test
  void aWaitingClaimTakesWorkQueuedWhileItWaits() throws Exception {
    String queue = "wait_" + System.nanoTime();
    CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> claim(queue, 30));
    Thread.sleep(200); // let the claim start waiting; the test passes either way
    long id = queuedInstance("extract", queue);
    io.updraft.store.ChangeSignals.queued(db).run();
    Response r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.json().get("workloads")).hasSize(1);
    assertThat(r.json().at("/workloads/0/task_instance/id").asLong()).isEqualTo(id);
  }

  @Test
  void aRunningTryTriggersARunOfAnotherDagAsTheLocalOperatorDoes() {
    String queue = "trigger_" + System.nanoTime();
    long id = queuedInstance("extract", queue);
    String token = claim(queue, 0).json().at("/workloads/0/token").asText();
    String runId = "from_task_" + System.nanoTime();
    Response made =
        send(
            "POST",
            "/execution/dag-runs/orders",
            token,
            "{\"run_id\": \""
                + runId
                + "\", \"logical_date\": \"2022-05-01T00:00:00Z\", \"conf\": {\"n\": 3}}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    assertThat(made.json().get("run_id").asText()).isEqualTo(runId);
    var run = new io.updraft.store.DagRunRepository(db).get("orders", runId).orElseThrow();
    assertThat(run.externalTrigger()).isTrue();
    assertThat(run.conf()).contains("\"n\"");
    assertThat(new TaskInstanceRepository(db).listForRun("orders", runId)).isNotEmpty();
    Response state = send("GET", "/execution/dag-runs/orders/" + runId + "/state", token, null);
    assertThat(state.json().get("state").asText()).isEqualTo("queued");
    assertThat(get("/api/v2/eventLogs?event=trigger&run_id=" + runId, Role.ADMIN).body())
        .contains("trigger_dag");

    // The local operator's refusals, in one line each.
    Response taken =
        send(
            "POST",
            "/execution/dag-runs/orders",
            token,
            "{\"run_id\": \"" + runId + "\", \"logical_date\": \"2022-06-01T00:00:00Z\"}");
    assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
    Response unknown = send("POST", "/execution/dag-runs/no_such_dag", token, "{}");
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
    assertThat(unknown.detail()).contains("no_such_dag");
    Response badConf = send("POST", "/execution/dag-runs/orders", token, "{\"conf\": [1]}");
    assertThat(badConf.status()).isEqualTo(422);
    assertThat(badConf.detail()).contains("conf");
    // A worker's token names the try; a try that is over triggers nothing.
    Response noTry = send("POST", "/execution/dag-runs/orders", tokens.get(Role.WORKER), "{}");
    assertThat(noTry.detail()).contains("task_instance_id");
    send("PATCH", ti(id, "state"), token, "{\"state\": \"success\"}");
    Response over = send("POST", "/execution/dag-runs/orders", token, "{}");
    assertThat(over.status()).isEqualTo(409);
  }

  @Test
  void aWorkerIsAJobWhileItHeartbeatsAndItsTokenIsRenewed() {
    String worker = tokens.get(Role.WORKER);
    Response made =
        send(
            "POST",
            "/execution/workers",
            worker,
            "{\"hostname\": \"gpu-7\", \"pid\": 9, \"queues\": [\"gpu\", \"default\"],"
                + " \"concurrency\": 4}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    long job = made.json().get("id").asLong();
    JsonNode listed = get("/api/v2/workers", Role.VIEWER).json();
    JsonNode mine = null;
    for (JsonNode w : listed.get("workers")) {
      if (w.get("id").asLong() == job) {
        mine = w;
      }
    }
    assertThat(mine).as(listed.toString()).isNotNull();
    assertThat(mine.get("hostname").asText()).isEqualTo("gpu-7");
    assertThat(mine.get("queues").toString()).isEqualTo("[\"gpu\",\"default\"]");
    assertThat(mine.get("concurrency").asInt()).isEqualTo(4);
    JsonNode health = get("/api/v2/monitor/health", Role.VIEWER).json().get("worker");
    assertThat(health.get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("alive").asInt()).isPositive();
    assertThat(send("PUT", "/execution/workers/" + job + "/heartbeat", worker, null).status())
        .isEqualTo(200);
    // A task token is not a worker's.
    String queue = "job_" + System.nanoTime();
    queuedInstance("extract", queue);
    String taskToken = claim(queue, 0).json().at("/workloads/0/token").asText();
    assertThat(send("PUT", "/execution/workers/" + job + "/heartbeat", taskToken, null).status())
        .isEqualTo(403);
    assertThat(send("POST", "/execution/token", taskToken, "{}").status()).isEqualTo(403);
    // Stopped: its row ends, and a late heartbeat is told to register again.
    assertThat(send("DELETE", "/execution/workers/" + job, worker, null).status()).isEqualTo(204);
    assertThat(new io.updraft.store.JobRepository(db).get(job).orElseThrow().state())
        .isEqualTo("success");
    Response late = send("PUT", "/execution/workers/" + job + "/heartbeat", worker, null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.detail()).contains("register again");

    // Renewal: a fresh token before the old one expires, which outlives it.
    new UserAccounts(db).create("renewing", Role.WORKER, "renewing-pw1", "test", clock.instant());
    String old =
        send(
                "POST",
                "/auth/token",
                null,
                "{\"username\": \"renewing\", \"password\": \"renewing-pw1\"}")
            .json()
            .get("access_token")
            .asText();
    java.time.Instant start = clock.now;
    try {
      clock.now = start.plus(Tokens.LIFETIME.minusHours(1));
      Response renewed = send("POST", "/execution/token", old, "{}");
      assertThat(renewed.status()).as(renewed.toString()).isEqualTo(201);
      String fresh = renewed.json().get("access_token").asText();
      assertThat(renewed.json().get("expires_in").asLong()).isEqualTo(Tokens.LIFETIME.toSeconds());
      clock.now = start.plus(Tokens.LIFETIME.plusHours(1));
      assertThat(send("POST", "/execution/token", old, "{}").status()).isEqualTo(401);
      Response works = send("POST", CLAIM, fresh, "{\"queues\": [\"none\"], \"hostname\": \"w\"}");
      assertThat(works.status()).as(works.toString()).isEqualTo(200);
      // Revoked: a user whose role may no longer run tasks gets no fresh token.
      new io.updraft.store.UserRepository(db)
          .setRole("renewing", Role.VIEWER.id(), clock.instant());
      Response refused = send("POST", "/execution/token", fresh, "{}");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
      assertThat(refused.detail()).contains("viewer");
    } finally {
      clock.now = start;
    }
  }

  @Test
  void badInputIsA4xxNamingTheField() {
    String worker = tokens.get(Role.WORKER);
    String[][] cases = {
      {"POST", CLAIM, "{\"hostname\": \"w\"}", "queues"},
      {"POST", CLAIM, "{\"queues\": [\"\"], \"hostname\": \"w\"}", "queues"},
      {"POST", CLAIM, "{\"queues\": [\"q\"]}", "hostname"},
      {"POST", CLAIM, "{\"queues\": [\"q\"], \"hostname\": \"w\", \"limit\": 0}", "limit"},
      {
        "POST",
        CLAIM,
        "{\"queues\": [\"q\"], \"hostname\": \"w\", \"wait_seconds\": 99}",
        "wait_seconds"
      },
      {"POST", CLAIM, "{\"queues\": [\"q\"], \"hostname\": \"w\", \"pid\": -1}", "pid"},
      {"PUT", ti(1, "heartbeat"), "{}", "try_number"},
      {"PATCH", ti(1, "state"), "{\"try_number\": 1}", "state"},
      {"PATCH", ti(1, "state"), "{\"state\": \"running\", \"try_number\": 1}", "state"},
      {
        "PATCH",
        ti(1, "state"),
        "{\"state\": \"up_for_reschedule\", \"try_number\": 1}",
        "reschedule_date"
      },
      {"PATCH", ti(1, "state"), "{\"state\": \"deferred\", \"try_number\": 1}", "trigger"},
      {"POST", ti(1, "logs"), "{\"try_number\": 1, \"text\": \"x\"}", "offset"},
      {
        "PATCH",
        ti(1, "state"),
        "{\"state\": \"success\", \"try_number\": 1, \"log\": {\"text\": \"x\"}}",
        "log.offset"
      },
      {"POST", ti(1, "logs"), "{\"try_number\": 1, \"offset\": 0}", "text"},
      {"PUT", "/execution/task-instances/x/heartbeat", "{\"try_number\": 1}", "task_instance_id"},
    };
    for (String[] c : cases) {
      Response r = send(c[0], c[1], worker, c[2]);
      assertThat(r.status()).as(c[1] + " " + c[2] + ": " + r).isBetween(400, 499);
      assertThat(r.detail()).as(c[1] + " " + c[2]).contains(c[3]);
    }
  }
}
