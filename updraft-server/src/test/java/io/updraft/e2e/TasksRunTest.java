package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.TaskTokens;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code updraft tasks run} end to end (SPEC §2.3): a real {@code standalone} with {@code
 * core.executor: remote} queues the tasks and no worker takes them; {@code tasks run} JVMs with no
 * database URL and no DAG files run one try each with a task token issued for it, as a Kubernetes
 * pod does. A success exits 0, a failed try 1; a token for another task, or no token or URL, exits
 * 2 with one line saying what is wrong, and starts nothing; SIGTERM hands the try back.
 */
class TasksRunTest extends HomeTestBase {
  private static final Pattern API =
      Pattern.compile("API:\\s+(http://127\\.0\\.0\\.1:\\d+)/api/v2");

  private static final String DAG =
      """
      dag_id: pod
      schedule: null
      tasks:
        - task_id: ok
          operator: shell
          command: echo hello-from-{{ ti.task_id }}
        - task_id: bad
          operator: shell
          command: echo about-to-fail; exit 3
        - task_id: long
          operator: shell
          command: sleep 600
      """;

  TasksRunTest() {
    super(
        Map.of(
            "UPDRAFT_CORE_EXECUTOR", "remote",
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false",
            "UPDRAFT_SCHEDULER_SHUTDOWN_GRACE", "5s"),
        Duration.ofSeconds(120));
  }

  @Override
  TestBackend backend() {
    return null;
  }

  private TaskInstanceRow task(String id) {
    return db(
        d ->
            new TaskInstanceRepository(d)
                .listForRun("pod", "r").stream()
                    .filter(t -> t.taskId().equals(id))
                    .findFirst()
                    .orElseThrow());
  }

  /** A task token for the next try of {@code task}, as the Kubernetes executor issues one. */
  private String tokenFor(String task) {
    TaskInstanceRow ti = task(task);
    return db(
        d ->
            TaskTokens.of(d, Clock.systemUTC())
                .issue(ti.id(), ti.tryNumber() + 1, TaskTokens.LIFETIME));
  }

  /** {@code updraft tasks run} with its own empty home: no database URL, no DAG files. */
  private ChildJvm tasksRun(String name, Map<String, String> env, String... args) throws Exception {
    Path home = Files.createDirectories(site.home().resolve("pod-" + name));
    List<String> command = new java.util.ArrayList<>(List.of("--home", home.toString()));
    command.addAll(List.of("tasks", "run"));
    command.addAll(List.of(args));
    return ChildJvm.updraft(name, site.home(), env, command);
  }

  @Test
  void runsTheTryItsTokenNamesAndSaysWhatIsWrongOtherwise() throws Exception {
    Files.writeString(site.dags().resolve("pod.yaml"), DAG);
    ChildJvm standalone = site.updraft("standalone", "standalone", "--port", "0");
    standalone.awaitOutput("API:", Duration.ofSeconds(90));
    Matcher m = API.matcher(standalone.output());
    assertThat(m.find()).as(standalone.output()).isTrue();
    String url = m.group(1);
    await(
        "the DAG to be read",
        standalone,
        () -> db(d -> new DagRepository(d).get("pod").isPresent()));
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("pod");
          Instant now = Instant.now();
          return ManualRuns.trigger(d, latest, now, "r", null, now);
        });
    await(
        "both tasks to be queued",
        standalone,
        () ->
            task("ok").state() == TaskInstanceState.QUEUED
                && task("bad").state() == TaskInstanceState.QUEUED);
    String okToken = tokenFor("ok");

    // No token, no URL: one line naming what to set; nothing starts.
    ChildJvm noToken = tasksRun("no-token", Map.of("UPDRAFT_API_URL", url), "pod", "r", "ok");
    assertThat(noToken.awaitExit(Duration.ofSeconds(60))).as(noToken.output()).isEqualTo(2);
    assertThat(noToken.output()).contains("UPDRAFT_TASK_TOKEN").doesNotContain("Exception");
    ChildJvm noUrl = tasksRun("no-url", Map.of("UPDRAFT_TASK_TOKEN", okToken), "pod", "r", "ok");
    assertThat(noUrl.awaitExit(Duration.ofSeconds(60))).as(noUrl.output()).isEqualTo(2);
    assertThat(noUrl.output()).contains("UPDRAFT_API_URL").contains("--api-url");

    // A token for ok, run as bad: refused before the try starts.
    ChildJvm wrong =
        tasksRun(
            "wrong", Map.of("UPDRAFT_TASK_TOKEN", okToken), "pod", "r", "bad", "--api-url", url);
    assertThat(wrong.awaitExit(Duration.ofSeconds(60))).as(wrong.output()).isEqualTo(2);
    assertThat(wrong.output())
        .contains("the token is for task instance pod r ok, not pod r bad")
        .doesNotContain("Exception");
    assertThat(task("ok").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(task("bad").state()).isEqualTo(TaskInstanceState.QUEUED);

    // Success: exit 0, the try recorded, its log shipped to the API server's logs.
    Map<String, String> env = new HashMap<>();
    env.put("UPDRAFT_TASK_TOKEN", okToken);
    env.put("UPDRAFT_API_URL", url);
    ChildJvm ok = tasksRun("ok", env, "pod", "r", "ok");
    assertThat(ok.awaitExit(Duration.ofSeconds(90))).as(ok.output()).isZero();
    TaskInstanceRow okRow = task("ok");
    assertThat(okRow.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(okRow.tryNumber()).isEqualTo(1);
    assertThat(okRow.pid()).isEqualTo((int) ok.pid());
    Path log = site.home().resolve("logs/dag_id=pod/run_id=r/task_id=ok/attempt=1.log");
    assertThat(Files.readString(log)).contains("hello-from-ok");
    assertThat(ok.output()).contains("hello-from-ok");

    // The same token again: the try has run, nothing starts twice.
    ChildJvm again = tasksRun("again", env, "pod", "r", "ok");
    assertThat(again.awaitExit(Duration.ofSeconds(60))).as(again.output()).isEqualTo(2);
    assertThat(again.output()).contains("this task token is for try 1, but the next try");

    // A failed try: exit 1.
    env.put("UPDRAFT_TASK_TOKEN", tokenFor("bad"));
    ChildJvm bad = tasksRun("bad", env, "pod", "r", "bad");
    assertThat(bad.awaitExit(Duration.ofSeconds(90))).as(bad.output()).isEqualTo(1);
    assertThat(bad.output()).contains("the try of pod r bad failed");
    assertThat(task("bad").state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(ok.output() + bad.output()).doesNotContain("Exception");

    // SIGTERM: the try's process is stopped and the try handed back, at no cost to its retries.
    await("long to be queued", standalone, () -> task("long").state() == TaskInstanceState.QUEUED);
    env.put("UPDRAFT_TASK_TOKEN", tokenFor("long"));
    ChildJvm long_ = tasksRun("long", env, "pod", "r", "long");
    await("long to run", long_, () -> task("long").state() == TaskInstanceState.RUNNING);
    await("long's shell to start", long_, () -> !long_.descendants().isEmpty());
    int maxTries = task("long").maxTries();
    assertThat(long_.terminate(Duration.ofSeconds(60))).as(long_.output()).isZero();
    assertThat(long_.output()).contains("was stopped and handed back");
    TaskInstanceRow back = task("long");
    assertThat(back.state())
        .isIn(
            TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED);
    assertThat(back.maxTries()).isEqualTo(maxTries + 1);
  }
}
