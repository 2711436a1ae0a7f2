package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.chaos.TryTraces;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
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
 * The claim-to-start window is fenced (decisions/0172): a try held between its claim and its start
 * for longer than the heartbeat timeout — a worker or scheduler too loaded to start it, played by
 * the test hook {@code updraft.test.slow-start} — has been failed meanwhile and its retry started;
 * when it gets going it must confirm it is still its own, and start nothing. Judged from the task's
 * own trace ({@link TryTraces}): try 1's process never ran, try 2 succeeded alone.
 */
abstract class LateStartTest extends HomeTestBase {
  private static final Pattern URL = Pattern.compile("running on (http://127\\.0\\.0\\.1:\\d+)/");

  /** Longer than the heartbeat timeout and its detection; shorter than try 2's start + its nap. */
  private static final Duration HOLD = Duration.ofSeconds(9);

  private static final Map<String, String> SLOW =
      Map.of("JAVA_TOOL_OPTIONS", "-Dupdraft.test.slow-start=" + HOLD.toMillis());

  LateStartTest() {
    super(
        Map.of(
            "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "3s",
            // the stuck-try detector runs every third of it: at once after the timeout
            "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "3s",
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"),
        Duration.ofSeconds(120));
  }

  /** One task with a retry whose tries nap 8 s: try 2 still runs when try 1 would start. */
  private Path dag() throws Exception {
    Path traces = home.resolve("traces.log");
    StringBuilder yaml =
        new StringBuilder(
            """
            dag_id: late
            schedule: null
            tasks:
              - task_id: t
                operator: shell
                retries: 1
                retry_delay: 0s
                command: |
            """);
    for (String line : TryTraces.command(traces, "8").split("\n")) {
      yaml.append("      ").append(line).append('\n');
    }
    Files.writeString(site.dags().resolve("late.yaml"), yaml.toString());
    site.migrate();
    return traces;
  }

  @Test
  void aLocalTryHeldPastTheHeartbeatTimeoutDoesNotStart() throws Exception {
    Path traces = dag();
    ChildJvm scheduler = site.updraft("scheduler", SLOW, List.of("scheduler"));
    scheduler.awaitOutput("is running", Duration.ofSeconds(90));
    runAndJudge(scheduler, traces);
  }

  @Test
  void aRemoteTryHeldPastTheHeartbeatTimeoutDoesNotStart() throws Exception {
    Path traces = dag();
    Map<String, String> remote = Map.of("UPDRAFT_CORE_EXECUTOR", "remote");
    ChildJvm api = site.updraft("api-server", remote, List.of("api-server", "--port", "0"));
    api.awaitOutput("Updraft API server is running on", Duration.ofSeconds(90));
    Matcher m = URL.matcher(api.output());
    assertThat(m.find()).as(api.output()).isTrue();
    String url = m.group(1);
    ChildJvm scheduler = site.updraft("scheduler", remote, List.of("scheduler"));
    scheduler.awaitOutput("is running", Duration.ofSeconds(90));
    db(
        d -> {
          new UserAccounts(d).create("w", Role.WORKER, "worker-password", "test", Instant.now());
          return null;
        });
    String token = RemoteWorkersTest.token(url, "w", "worker-password");
    Path workerHome = Files.createDirectories(home.resolve("worker-home"));
    Map<String, String> env = new java.util.HashMap<>(SLOW);
    env.put("UPDRAFT_WORKER_TOKEN", token);
    env.put("UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "3s");
    try (ChildJvm worker =
        ChildJvm.updraft(
            "worker",
            home,
            env,
            List.of(
                "--home",
                workerHome.toString(),
                "worker",
                "--api-url",
                url,
                "--queues",
                "default",
                "--concurrency",
                "2"))) {
      worker.awaitOutput("Updraft worker is running", Duration.ofSeconds(60));
      try {
        runAndJudge(worker, traces);
      } catch (AssertionError e) {
        System.out.println("LateStartTest scheduler:\n" + scheduler.output());
        System.out.println("LateStartTest API server:\n" + api.output());
        throw e;
      }
      assertThat(worker.output()).contains("not started: stop: try 1 is over");
    }
  }

  /** Triggers a run; try 1 is held, failed, retried; judged from the trace once all is over. */
  private void runAndJudge(ChildJvm runner, Path traces) throws Exception {
    await(
        "the DAG to be read", runner, () -> db(d -> new DagRepository(d).get("late").isPresent()));
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("late");
          Instant now = Instant.now();
          return ManualRuns.trigger(d, latest, now, "r", null, now);
        });
    long triggered = System.nanoTime();
    await("try 2 to succeed", runner, () -> ti().state() == TaskInstanceState.SUCCESS);
    assertThat(ti().tryNumber()).isEqualTo(2);
    // Try 1 is held for HOLD from its claim: past that, it has confirmed (and not started) or run.
    long left = HOLD.plusSeconds(3).toNanos() - (System.nanoTime() - triggered);
    if (left > 0) {
      Thread.sleep(Duration.ofNanos(left));
    }
    TryTraces t = TryTraces.read(traces);
    assertThat(t.spans())
        .as("the task's processes")
        .extracting(TryTraces.Span::tryNumber)
        .containsExactly(2);
    assertThat(t.overlaps()).isEmpty();
  }

  private TaskInstanceRow ti() {
    return db(d -> new TaskInstanceRepository(d).listForRun("late", "r").getFirst());
  }
}
