package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Remote workers end to end (decisions/0148–0152): a real {@code standalone} with {@code
 * core.executor: remote} (its scheduler and API server) and {@code updraft worker} JVMs that hold
 * no database URL. Tasks of two queues go only to workers of their queue; a worker killed with
 * {@code kill -9} has its try failed and retried after the (short) task heartbeat timeout; a worker
 * stopped with SIGTERM hands its try back, retried at once at no cost to its retries; the logs of
 * remote tries are readable through the API after their workers are gone.
 */
abstract class RemoteWorkersTest extends HomeTestBase {
  private static final Pattern API =
      Pattern.compile("API:\\s+(http://127\\.0\\.0\\.1:\\d+)/api/v2");

  private static final String DAG =
      """
      dag_id: remote
      schedule: null
      tasks:
        - task_id: a
          operator: shell
          queue: q1
          command: echo hello-from-a
        - task_id: b
          operator: shell
          queue: q2
          command: echo hello-from-b
        - task_id: long
          operator: shell
          queue: q1
          retries: 2
          retry_delay: 0s
          command: >-
            if [ {{ ti.try_number }} -le 2 ]; then sleep 600; fi; echo done-on-{{ ti.try_number }}
      """;

  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_CORE_EXECUTOR", "remote",
          "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "6s",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  private final List<ChildJvm> workers = new ArrayList<>();

  RemoteWorkersTest() {
    super(ENV, Duration.ofSeconds(120));
  }

  private TaskInstanceRow task(String id) {
    return db(
        d ->
            new TaskInstanceRepository(d)
                .listForRun("remote", "r").stream()
                    .filter(t -> t.taskId().equals(id))
                    .findFirst()
                    .orElseThrow());
  }

  /** {@code updraft worker} with its own home, no database URL: only the API and its token. */
  private ChildJvm worker(String name, String apiUrl, String token, String queues)
      throws Exception {
    Path home = Files.createDirectories(site.home().resolve("worker-" + name));
    ChildJvm w =
        ChildJvm.updraft(
            name,
            site.home(),
            Map.of(
                "UPDRAFT_WORKER_TOKEN", token,
                "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "6s",
                "UPDRAFT_SCHEDULER_SHUTDOWN_GRACE", "5s"),
            List.of(
                "--home",
                home.toString(),
                "worker",
                "--api-url",
                apiUrl,
                "--queues",
                queues,
                "--concurrency",
                "4"));
    workers.add(w);
    w.awaitOutput("Updraft worker is running", Duration.ofSeconds(60));
    return w;
  }

  private static HttpResponse<String> send(String url, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .method(
                body == null ? "GET" : "POST",
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String token(String url, String user, String password) throws Exception {
    HttpResponse<String> r =
        send(
            url,
            "/auth/token",
            null,
            "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new ObjectMapper().readTree(r.body()).get("access_token").asText();
  }

  @Test
  void workersOfTwoQueuesAKilledWorkerAStoppedWorkerAndTheirLogs() throws Exception {
    Files.writeString(site.dags().resolve("remote.yaml"), DAG);
    ChildJvm standalone = site.updraft("standalone", "standalone", "--port", "0");
    try {
      standalone.awaitOutput("is running", Duration.ofSeconds(90));
      standalone.awaitOutput("API:", Duration.ofSeconds(30));
      assertThat(standalone.output()).contains("remote executor");
      Matcher m = API.matcher(standalone.output());
      assertThat(m.find()).as(standalone.output()).isTrue();
      String url = m.group(1);
      db(
          d -> {
            new UserAccounts(d).create("w", Role.WORKER, "worker-password", "test", Instant.now());
            new UserAccounts(d).create("v", Role.VIEWER, "viewer-password", "test", Instant.now());
            return null;
          });
      String workerToken = token(url, "w", "worker-password");
      String viewerToken = token(url, "v", "viewer-password");
      await(
          "the DAG to be read",
          standalone,
          () -> db(d -> new DagRepository(d).get("remote").isPresent()));
      db(
          d -> {
            var latest = new DagVersions(new SerializedDagRepository(d)).latest("remote");
            Instant now = Instant.now();
            return ManualRuns.trigger(d, latest, now, "r", null, now);
          });

      // A worker of q1 runs a and long, never b (q2).
      ChildJvm one = worker("worker-one", url, workerToken, "q1");
      await(
          "a to succeed on worker one", one, () -> task("a").state() == TaskInstanceState.SUCCESS);
      assertThat(task("a").pid()).isEqualTo((int) one.pid());
      await(
          "long to run on worker one",
          one,
          () -> task("long").state() == TaskInstanceState.RUNNING);
      assertThat(task("b").state()).isEqualTo(TaskInstanceState.QUEUED);

      // kill -9: its try is failed after the task heartbeat timeout, and retried.
      one.kill();
      await(
          "long's first try to be failed after the heartbeat timeout",
          standalone,
          () -> task("long").state() != TaskInstanceState.RUNNING);
      assertThat(task("long").tryNumber()).isEqualTo(1);

      // A worker of both queues takes b and long's second try.
      ChildJvm two = worker("worker-two", url, workerToken, "q1,q2");
      await(
          "b to succeed on worker two", two, () -> task("b").state() == TaskInstanceState.SUCCESS);
      assertThat(task("b").pid()).isEqualTo((int) two.pid());
      await(
          "long's second try to run",
          two,
          () -> task("long").state() == TaskInstanceState.RUNNING && task("long").tryNumber() == 2);
      int maxTries = task("long").maxTries();

      // SIGTERM: the try is handed back, at no cost to its retries.
      assertThat(two.terminate(Duration.ofSeconds(60))).as(two.output()).isZero();
      assertThat(two.output()).contains("1 tries handed back");
      TaskInstanceRow back = task("long");
      assertThat(back.state())
          .isIn(
              TaskInstanceState.UP_FOR_RETRY,
              TaskInstanceState.SCHEDULED,
              TaskInstanceState.QUEUED);
      assertThat(back.tryNumber()).isEqualTo(2);
      assertThat(back.maxTries()).isEqualTo(maxTries + 1);

      ChildJvm three = worker("worker-three", url, workerToken, "q1");
      await(
          "the run to succeed",
          three,
          () ->
              db(d -> new DagRunRepository(d).get("remote", "r").orElseThrow().state())
                  == DagRunState.SUCCESS);
      int last = task("long").tryNumber();
      assertThat(last).isEqualTo(3);
      assertThat(three.terminate(Duration.ofSeconds(60))).as(three.output()).isZero();

      // Logs of remote tries, read through the API after their workers are gone.
      HttpResponse<String> logA =
          send(url, "/api/v2/dags/remote/dagRuns/r/taskInstances/a/logs/1", viewerToken, null);
      assertThat(logA.statusCode()).as(logA.body()).isEqualTo(200);
      assertThat(logA.body()).contains("hello-from-a");
      HttpResponse<String> logLong =
          send(
              url,
              "/api/v2/dags/remote/dagRuns/r/taskInstances/long/logs/" + last,
              viewerToken,
              null);
      assertThat(logLong.body()).contains("done-on-" + last);
      assertThat(one.output() + two.output() + three.output()).doesNotContain("Exception");
    } finally {
      for (ChildJvm w : workers) {
        w.close();
      }
    }
  }
}
