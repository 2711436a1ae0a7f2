package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.updraft.e2e.ChildJvm;
import io.updraft.executor.LocalExecutor;
import io.updraft.worker.remote.ExecutionClient;
import io.updraft.worker.remote.SingleTry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone with {@code core.executor: kubernetes} against the fabric8 mock API server (this
 * machine has no cluster): a triggered task gets a pod whose command and {@code UPDRAFT_TASK_TOKEN}
 * are what {@code tasks run} needs, and that token starts and ends the try through the execution
 * API of the same standalone. A {@code trigger_dag} task's pod — the real {@code updraft tasks run}
 * process, with the pod's command and environment — creates its run through the API server
 * (decisions/0170).
 */
class SchedulerKubernetesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private KubernetesMockServer server;

  @BeforeEach
  void startMock() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
  }

  @AfterEach
  void stopMock() {
    server.destroy();
  }

  private static HttpResponse<String> call(
      String url, String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_CORE_EXECUTOR", "kubernetes",
          "UPDRAFT_KUBERNETES_API_URL", "http://updraft-api:8080",
          "UPDRAFT_KUBERNETES_NAMESPACE", "updraft",
          "UPDRAFT_KUBERNETES_IMAGE", "updraft:test",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  private static String adminToken(StandaloneServer standalone) throws Exception {
    return JSON.readTree(
            call(
                    standalone.baseUrl(),
                    null,
                    "POST",
                    "/auth/token",
                    "{\"username\": \"admin\", \"password\": \""
                        + standalone.adminPassword()
                        + "\"}")
                .body())
        .get("access_token")
        .asText();
  }

  /** Triggers run {@code r} of {@code dagId} and waits for its (first) task's pod. */
  private static Pod triggerAndAwaitPod(
      KubernetesClient watch, String url, String admin, String dagId) throws Exception {
    HttpResponse<String> triggered =
        call(
            url,
            admin,
            "POST",
            "/api/v2/dags/" + dagId + "/dagRuns",
            "{\"dag_run_id\": \"r\", \"logical_date\": null}");
    assertThat(triggered.statusCode()).as(triggered.body()).isIn(200, 201);
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      List<Pod> pods = watch.pods().inNamespace("updraft").list().getItems();
      if (!pods.isEmpty()) {
        return pods.getFirst();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pod for the task of " + dagId + " within 60 s");
  }

  private static Map<String, String> env(Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }

  private static JsonNode get(String url, String token, String path) throws Exception {
    return JSON.readTree(call(url, token, "GET", path, null).body());
  }

  @Test
  void aQueuedTaskGetsAPodWhoseTokenTheExecutionApiTakes() throws Exception {
    Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        home.resolve("dags").resolve("k8s.yaml"),
        "dag_id: k8s\nschedule: null\ntasks:\n  - task_id: say\n    operator: shell\n"
            + "    command: echo hello-from-a-pod\n");
    try (KubernetesClient watch = server.createClient();
        StandaloneServer standalone = StandaloneServer.start(home, ENV, server::createClient)) {
      String url = standalone.baseUrl();
      String admin = adminToken(standalone);
      Pod pod = triggerAndAwaitPod(watch, url, admin, "k8s");
      Container base = pod.getSpec().getContainers().getFirst();
      assertThat(String.join(" ", base.getCommand())).endsWith("tasks run k8s r say");
      String token = env(base).get("UPDRAFT_TASK_TOKEN");

      // What the pod's tasks run does, here: the token starts the try, which runs and ends.
      SingleTry single =
          SingleTry.start(
              new ExecutionClient(url),
              token,
              new SingleTry.Target("k8s", "r", "say", -1),
              "pod",
              home.resolve("pod-logs"),
              standalone.settings().runnerSettings(),
              LocalExecutor.heartbeatEvery(Duration.ofSeconds(30)),
              Clock.systemUTC());
      assertThat(single.run()).isEqualTo(SingleTry.Outcome.ENDED);
      JsonNode ti = get(url, admin, "/api/v2/dags/k8s/dagRuns/r/taskInstances/say");
      assertThat(ti.path("state").asText()).as(ti.toString()).isEqualTo("success");
      assertThat(ti.path("hostname").asText()).isEqualTo("pod");
    }
  }

  @Test
  void aTriggerDagTaskInAPodTriggersItsRunThroughTheApiServer() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("kick.yaml"),
        """
        dag_id: kick
        schedule: null
        tasks:
          - task_id: kick
            operator: trigger_dag
            trigger_dag_id: child
            trigger_run_id: "from_{{ run_id }}"
            conf: {x: 7, from: "{{ dag.dag_id }}"}
        """);
    Files.writeString(
        dags.resolve("child.yaml"),
        "dag_id: child\nschedule: null\ntasks:\n" + "  - task_id: only\n    operator: empty\n");
    try (KubernetesClient watch = server.createClient();
        StandaloneServer standalone = StandaloneServer.start(home, ENV, server::createClient)) {
      String url = standalone.baseUrl();
      String admin = adminToken(standalone);
      Pod pod = triggerAndAwaitPod(watch, url, admin, "kick");
      Container base = pod.getSpec().getContainers().getFirst();
      List<String> command = base.getCommand();
      assertThat(command).containsExactly("updraft", "tasks", "run", "kick", "r", "kick");

      // The pod: `updraft tasks run` as its own process, with the pod's environment (its API URL
      // resolved to this standalone, as the cluster's DNS would) and no database settings at all.
      Map<String, String> env = env(base);
      env.put("UPDRAFT_API_URL", url);
      List<String> args = new java.util.ArrayList<>();
      args.addAll(List.of("--home", Files.createDirectories(home.resolve("pod-home")).toString()));
      args.addAll(command.subList(1, command.size()));
      try (ChildJvm tasksRun = ChildJvm.updraft("pod", home, env, args)) {
        assertThat(tasksRun.awaitExit(Duration.ofSeconds(120))).as(tasksRun.output()).isZero();
      }

      JsonNode kick = get(url, admin, "/api/v2/dags/kick/dagRuns/r/taskInstances/kick");
      assertThat(kick.path("state").asText()).as(kick.toString()).isEqualTo("success");
      JsonNode child = get(url, admin, "/api/v2/dags/child/dagRuns/from_r");
      assertThat(child.path("dag_run_id").asText()).as(child.toString()).isEqualTo("from_r");
      assertThat(child.path("run_type").asText()).isEqualTo("manual");
      assertThat(child.path("conf").toString()).contains("\"x\":7").contains("\"from\":\"kick\"");
      JsonNode audit = get(url, admin, "/api/v2/eventLogs?dag_id=child&event=trigger");
      assertThat(audit.toString()).as(audit.toString()).contains("trigger_dag");
      JsonNode xcom =
          get(
              url,
              admin,
              "/api/v2/dags/kick/dagRuns/r/taskInstances/kick/xcomEntries/return_value");
      assertThat(xcom.toString()).contains("from_r");
    }
  }
}
