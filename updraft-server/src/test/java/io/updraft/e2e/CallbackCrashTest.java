package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real scheduler JVM after a task ended and while its callback runs: the callback row
 * written with the task's end survives, and a restarted scheduler runs the callback again once the
 * dead runner's lease is over — none is lost, and the task's and run's states are untouched.
 */
abstract class CallbackCrashTest extends HomeTestBase {
  /** A callback whose first run hangs (and says so); any later run records its delivery. */
  private static final String DAG =
      """
      dag_id: cbcrash
      schedule: null
      on_success: {shell: "echo {{ run_id }} >> %1$s/dag_success"}
      tasks:
        - task_id: work
          operator: shell
          command: echo work
          on_success:
            shell: >-
              if [ -f %1$s/first ]; then echo {{ run_id }} {{ reason }} >> %1$s/delivered;
              else echo $$ > %1$s/first; exec sleep 300; fi
      """;

  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_SCHEDULER_CALLBACK_TIMEOUT", "10s",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  private Path marks;

  CallbackCrashTest() {
    super(ENV, Duration.ofSeconds(90));
  }

  @BeforeEach
  void folder() throws Exception {
    marks = Files.createDirectories(home.resolve("marks"));
    Files.writeString(site.dags().resolve("cbcrash.yaml"), DAG.formatted(marks));
    site.migrate();
  }

  @AfterEach
  void reap() throws Exception {
    killHungCallback(); // before the base class closes the JVMs and the database
  }

  /** The first callback's {@code sleep}, left behind by the killed JVM. */
  private void killHungCallback() throws Exception {
    if (marks == null) {
      return; // set-up did not get that far
    }
    Path first = marks.resolve("first");
    if (Files.exists(first)) {
      long pid = Long.parseLong(Files.readString(first).strip());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aCallbackCutOffByKill9RunsAfterARestart() throws Exception {
    ChildJvm first = site.updraft("first", "scheduler");
    await("the scheduler to start", first, () -> first.output().contains("is running"));
    await(
        "the DAG to be read",
        first,
        () -> db(d -> new DagRepository(d).get("cbcrash").isPresent()));
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("cbcrash");
          Instant now = Instant.now();
          return ManualRuns.trigger(d, latest, now, "r1", null, now);
        });
    await("the task's callback to start", first, () -> Files.exists(marks.resolve("first")));

    first.kill();
    killHungCallback();
    Database held = site.hold(); // on H2: takes over the file the dead JVM served
    assertThat(Files.exists(marks.resolve("delivered"))).isFalse();
    assertThat(new TaskInstanceRepository(held).listForRun("cbcrash", "r1").get(0).state())
        .isEqualTo(TaskInstanceState.SUCCESS);

    ChildJvm second = site.updraft("second", "scheduler");
    await(
        "the callback to be delivered after the restart",
        second,
        () -> Files.exists(marks.resolve("delivered")));
    await(
        "every callback to be recorded",
        second,
        () ->
            new CallbackRequestRepository(held)
                .forRun("cbcrash", "r1").stream().allMatch(r -> r.state().equals("success")));

    assertThat(Files.readAllLines(marks.resolve("delivered"))).containsExactly("r1 success");
    List<CallbackRow> rows = new CallbackRequestRepository(held).forRun("cbcrash", "r1");
    assertThat(rows)
        .extracting(CallbackRow::taskId, CallbackRow::event)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("work", "on_success"),
            org.assertj.core.groups.Tuple.tuple(null, "on_success"));
    CallbackRow task = rows.stream().filter(r -> "work".equals(r.taskId())).findFirst().get();
    assertThat(task.attempts()).as("cut off once, then delivered").isEqualTo(2);
    assertThat(Files.readAllLines(marks.resolve("dag_success"))).contains("r1");
    assertThat(new DagRunRepository(held).get("cbcrash", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
  }
}
