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
 * API of the same standalone.
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

  @Test
  void aQueuedTaskGetsAPodWhoseTokenTheExecutionApiTakes() throws Exception {
    Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        home.resolve("dags").resolve("k8s.yaml"),
        "dag_id: k8s\nschedule: null\ntasks:\n  - task_id: say\n    operator: shell\n"
            + "    command: echo hello-from-a-pod\n");
    Map<String, String> env =
        Map.of(
            "UPDRAFT_CORE_EXECUTOR", "kubernetes",
            "UPDRAFT_KUBERNETES_API_URL", "http://updraft-api:8080",
            "UPDRAFT_KUBERNETES_NAMESPACE", "updraft",
            "UPDRAFT_KUBERNETES_IMAGE", "updraft:test",
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");
    try (KubernetesClient watch = server.createClient();
        StandaloneServer standalone = StandaloneServer.start(home, env, server::createClient)) {
      String url = standalone.baseUrl();
      String admin =
          JSON.readTree(
                  call(
                          url,
                          null,
                          "POST",
                          "/auth/token",
                          "{\"username\": \"admin\", \"password\": \""
                              + standalone.adminPassword()
                              + "\"}")
                      .body())
              .get("access_token")
              .asText();
      HttpResponse<String> triggered =
          call(
              url,
              admin,
              "POST",
              "/api/v2/dags/k8s/dagRuns",
              "{\"dag_run_id\": \"r\", \"logical_date\": null}");
      assertThat(triggered.statusCode()).as(triggered.body()).isIn(200, 201);

      Pod pod = null;
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (pod == null && System.nanoTime() < until) {
        List<Pod> pods = watch.pods().inNamespace("updraft").list().getItems();
        pod = pods.isEmpty() ? null : pods.getFirst();
        Thread.sleep(100);
      }
      assertThat(pod).as("a pod for the task").isNotNull();
      Container base = pod.getSpec().getContainers().getFirst();
      assertThat(String.join(" ", base.getCommand())).endsWith("tasks run k8s r say");
      String token =
          base.getEnv().stream()
              .filter(e -> e.getName().equals("UPDRAFT_TASK_TOKEN"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElseThrow();

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
      JsonNode ti =
          JSON.readTree(
              call(url, admin, "GET", "/api/v2/dags/k8s/dagRuns/r/taskInstances/say", null).body());
      assertThat(ti.path("state").asText()).as(ti.toString()).isEqualTo("success");
      assertThat(ti.path("hostname").asText()).isEqualTo("pod");
    }
  }
}
