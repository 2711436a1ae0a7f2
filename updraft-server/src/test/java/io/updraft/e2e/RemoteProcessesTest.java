package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.JobRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Remote workers with every component its own process, as deployed (docs/deploy.md): {@code updraft
 * api-server}, {@code updraft scheduler} with {@code core.executor: remote} and {@code updraft
 * worker} (no database URL). A run goes to success through the worker, a failing try retried; a
 * try's log is read through the CLI, the API and the UI while it runs and after the worker is gone;
 * a {@code trigger_dag} task creates its run through the API; the worker is a job (listed, healthy,
 * ended at its stop) and renews its token, which lives 20 s here, as it goes. A worker killed with
 * {@code kill -9} is ended as failed by the scheduler, with no other worker alive to notice.
 */
abstract class RemoteProcessesTest extends HomeTestBase {
  private static final Pattern URL = Pattern.compile("running on (http://127\\.0\\.0\\.1:\\d+)/");
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(20);

  private static final String MAIN =
      """
      dag_id: main
      schedule: null
      tasks:
        - task_id: talk
          operator: shell
          command: >-
            echo fir""st-line; while [ ! -f %s ]; do sleep 0.2; done; echo sec""ond-line
        - task_id: flaky
          operator: shell
          retries: 1
          retry_delay: 0s
          command: >-
            if [ {{ ti.try_number }} -le 1 ]; then echo fail""ing-once; exit 3; fi;
            echo fine-on-{{ ti.try_number }}
        - task_id: kick
          operator: trigger_dag
          trigger_dag_id: child
          trigger_run_id: "from_{{ run_id }}"
          conf: {x: 7}
          upstream: [flaky]
      """;

  private static final String CHILD =
      """
      dag_id: child
      schedule: null
      tasks:
        - task_id: only
          operator: shell
          command: echo child-ran
      """;

  RemoteProcessesTest() {
    super(
        Map.of(
            "UPDRAFT_CORE_EXECUTOR", "remote",
            "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "10s",
            "UPDRAFT_API_AUTH_JWT_EXPIRATION_TIME", TOKEN_LIFETIME.toSeconds() + "s",
            "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "15s",
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"),
        Duration.ofSeconds(180));
  }

  private TaskInstanceRow task(String dagId, String runId, String taskId) {
    return db(
        d ->
            new TaskInstanceRepository(d)
                .listForRun(dagId, runId).stream()
                    .filter(t -> t.taskId().equals(taskId))
                    .findFirst()
                    .orElseThrow());
  }

  private DagRunState runState(String dagId, String runId) {
    return db(d -> new DagRunRepository(d).get(dagId, runId).map(r -> r.state()).orElse(null));
  }

  private static HttpResponse<String> send(
      String url, String method, String path, String token, String body, String contentType)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null && token.startsWith("updraft_session=")) {
      b.header("Cookie", token);
    } else if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The UI's session cookie for a user, as a browser gets it from the sign-in form. */
  private static String session(String url, String user, String password) throws Exception {
    HttpResponse<String> r =
        send(
            url,
            "POST",
            "/login",
            null,
            "username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8),
            "application/x-www-form-urlencoded");
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** The try's log as the API, the CLI and the UI read it. */
  private List<String> logs(String url, int tryNumber) throws Exception {
    String viewer = RemoteWorkersTest.token(url, "v", "viewer-password");
    HttpResponse<String> api =
        send(
            url,
            "GET",
            "/api/v2/dags/main/dagRuns/r/taskInstances/talk/logs/" + tryNumber,
            viewer,
            null,
            null);
    assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
    ChildJvm cli = site.updraft("logs-" + System.nanoTime(), "tasks", "logs", "main", "r", "talk");
    assertThat(cli.awaitExit(Duration.ofSeconds(90))).as(cli.output()).isZero();
    HttpResponse<String> ui =
        send(
            url,
            "GET",
            "/dags/main/runs/r/tasks/talk/log?try=" + tryNumber + "&offset=0",
            session(url, "v", "viewer-password"),
            null,
            null);
    assertThat(ui.statusCode()).as(ui.body()).isEqualTo(200);
    return List.of(api.body(), cli.output(), ui.body());
  }

  private record Started(ChildJvm api, String url, ChildJvm scheduler) {}

  /**
   * Migrates, starts {@code updraft api-server} and {@code updraft scheduler}, and creates the
   * users {@code w} (worker) and {@code v} (viewer).
   */
  private Started startApiServerAndScheduler() {
    site.migrate();
    ChildJvm api = site.updraft("api-server", "api-server", "--port", "0");
    api.awaitOutput("Updraft API server is running on", Duration.ofSeconds(90));
    Matcher m = URL.matcher(api.output());
    assertThat(m.find()).as(api.output()).isTrue();
    ChildJvm scheduler = site.updraft("scheduler", "scheduler");
    scheduler.awaitOutput("is running", Duration.ofSeconds(90));
    users();
    return new Started(api, m.group(1), scheduler);
  }

  /** Starts {@code updraft worker} of queue {@code default}, in a home of its own. */
  private ChildJvm worker(String url, String workerToken) throws Exception {
    Path workerHome = Files.createDirectories(home.resolve("worker-home"));
    return ChildJvm.updraft(
        "worker",
        home,
        Map.of(
            "UPDRAFT_WORKER_TOKEN",
            workerToken,
            "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT",
            "10s"),
        List.of(
            "--home",
            workerHome.toString(),
            "worker",
            "--api-url",
            url,
            "--queues",
            "default",
            "--concurrency",
            "4"));
  }

  private void users() {
    db(
        d -> {
          new UserAccounts(d).create("w", Role.WORKER, "worker-password", "test", Instant.now());
          new UserAccounts(d).create("v", Role.VIEWER, "viewer-password", "test", Instant.now());
          return null;
        });
  }

  private static JsonNode get(String url, String path, String token) throws Exception {
    HttpResponse<String> r = send(url, "GET", path, token, null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void aKilledWorkersJobIsEndedByTheSchedulerWithNoOtherWorkerAlive() throws Exception {
    Started started = startApiServerAndScheduler();
    ChildJvm api = started.api();
    String url = started.url();
    ChildJvm scheduler = started.scheduler();
    ChildJvm worker = worker(url, RemoteWorkersTest.token(url, "w", "worker-password"));
    try {
      worker.awaitOutput("Updraft worker is running", Duration.ofSeconds(90));
      String viewer = RemoteWorkersTest.token(url, "v", "viewer-password");
      await(
          "the worker to be listed",
          worker,
          () -> {
            try {
              return get(url, "/api/v2/workers", viewer).get("total_entries").asInt() == 1;
            } catch (Exception e) {
              return false;
            }
          });
      long jobId = get(url, "/api/v2/workers", viewer).at("/workers/0/id").asLong();

      worker.kill();
      // No worker is left to heartbeat (which used to be what ended a dead one's row): the
      // scheduler ends it once its heartbeat is past the health threshold (15 s here).
      await(
          "the scheduler to end the killed worker's job",
          scheduler,
          () -> "failed".equals(db(d -> new JobRepository(d).get(jobId).orElseThrow().state())));
      assertThat(get(url, "/api/v2/workers", viewer).get("total_entries").asInt()).isZero();
      JsonNode health = get(url, "/api/v2/monitor/health", null);
      assertThat(health.at("/worker/status").asText()).isEqualTo("unhealthy");
      assertThat(health.at("/worker/alive").asInt()).isZero();
      assertThat(scheduler.output()).contains("remote worker(s) without heartbeat");
      assertThat(api.output() + scheduler.output()).doesNotContain("ERROR");
    } finally {
      worker.close();
    }
  }

  @Test
  void aRunGoesThroughAnApiServerASchedulerAndAWorkerEachItsOwnProcess() throws Exception {
    Path go = home.resolve("go");
    Files.writeString(site.dags().resolve("main.yaml"), MAIN.formatted(go));
    Files.writeString(site.dags().resolve("child.yaml"), CHILD);
    Started started = startApiServerAndScheduler();
    ChildJvm api = started.api();
    String url = started.url();
    ChildJvm scheduler = started.scheduler();
    String workerToken = RemoteWorkersTest.token(url, "w", "worker-password");
    Instant tokenIssued = Instant.now();
    await(
        "both DAGs to be read",
        scheduler,
        () ->
            db(
                d ->
                    new DagRepository(d).get("main").isPresent()
                        && new DagRepository(d).get("child").isPresent()));

    ChildJvm worker = worker(url, workerToken);
    try {
      worker.awaitOutput("Updraft worker is running", Duration.ofSeconds(90));
      db(
          d -> {
            var latest = new DagVersions(new SerializedDagRepository(d)).latest("main");
            Instant now = Instant.now();
            return ManualRuns.trigger(d, latest, now, "r", null, now);
          });

      // The worker is a job: listed with its queues and concurrency, and healthy.
      String viewer = RemoteWorkersTest.token(url, "v", "viewer-password");
      await(
          "the worker to be listed",
          worker,
          () -> {
            try {
              return send(url, "GET", "/api/v2/workers", viewer, null, null)
                  .body()
                  .contains("\"concurrency\":4");
            } catch (Exception e) {
              return false;
            }
          });
      JsonNode listed =
          new ObjectMapper()
              .readTree(send(url, "GET", "/api/v2/workers", viewer, null, null).body())
              .get("workers")
              .get(0);
      assertThat(listed.get("queues").toString()).isEqualTo("[\"default\"]");
      assertThat(listed.get("pid").asLong()).isEqualTo(worker.pid());
      long jobId = listed.get("id").asLong();
      JsonNode health =
          new ObjectMapper()
              .readTree(send(url, "GET", "/api/v2/monitor/health", null, null, null).body());
      assertThat(health.at("/worker/status").asText()).isEqualTo("healthy");
      assertThat(health.at("/worker/alive").asInt()).isEqualTo(1);

      // talk's log, read three ways while its try runs on the worker.
      await(
          "talk's first line to reach the API server",
          worker,
          () -> {
            try {
              return task("main", "r", "talk").state() == TaskInstanceState.RUNNING
                  && logs(url, 1).stream().allMatch(l -> l.contains("first-line"));
            } catch (Exception e) {
              return false;
            }
          });
      for (String log : logs(url, 1)) {
        assertThat(log).contains("first-line").doesNotContain("second-line");
      }
      assertThat(task("main", "r", "talk").state()).isEqualTo(TaskInstanceState.RUNNING);

      // flaky fails once and is retried; kick triggers child through the API; child runs.
      await(
          "flaky to succeed on its second try",
          worker,
          () -> task("main", "r", "flaky").state() == TaskInstanceState.SUCCESS);
      assertThat(task("main", "r", "flaky").tryNumber()).isEqualTo(2);
      await(
          "kick's run of child to succeed",
          worker,
          () -> runState("child", "from_r") == DagRunState.SUCCESS);
      String conf = db(d -> new DagRunRepository(d).get("child", "from_r").orElseThrow().conf());
      assertThat(conf).contains("\"x\"");
      assertThat(task("main", "r", "kick").state()).isEqualTo(TaskInstanceState.SUCCESS);

      Files.writeString(go, "");
      await("the run to succeed", worker, () -> runState("main", "r") == DagRunState.SUCCESS);

      // The token the worker started with has expired by now; its renewed one claims on.
      long left = Duration.between(Instant.now(), tokenIssued.plus(TOKEN_LIFETIME)).toMillis();
      if (left > 0) {
        Thread.sleep(left + 2000);
      }
      db(
          d -> {
            var latest = new DagVersions(new SerializedDagRepository(d)).latest("child");
            Instant now = Instant.now();
            return ManualRuns.trigger(d, latest, now, "late", null, now);
          });
      await(
          "a run after the first token expired",
          worker,
          () -> runState("child", "late") == DagRunState.SUCCESS);
      assertThat(worker.output()).contains("worker token renewed");

      assertThat(worker.terminate(Duration.ofSeconds(60))).as(worker.output()).isZero();
      String jobState = db(d -> new JobRepository(d).get(jobId).orElseThrow().state());
      assertThat(jobState).isEqualTo("success");

      // After the worker is gone: the whole log, three ways; flaky's failed try too.
      for (String log : logs(url, 1)) {
        assertThat(log).contains("first-line").contains("second-line");
      }
      HttpResponse<String> failed =
          send(
              url,
              "GET",
              "/api/v2/dags/main/dagRuns/r/taskInstances/flaky/logs/1",
              RemoteWorkersTest.token(url, "v", "viewer-password"),
              null,
              null);
      assertThat(failed.body()).contains("failing-once");
      assertThat(worker.output()).doesNotContain("Exception");
      assertThat(api.output() + scheduler.output()).doesNotContain("ERROR");
    } finally {
      worker.close();
    }
  }
}
