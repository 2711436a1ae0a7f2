package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a real {@code standalone} JVM while a task's process tree runs (decisions/0042): it
 * says what it does, ends the tree, exits 0, ends its scheduler job as success, and hands the try
 * back, so the next start runs it again at once — not after the task heartbeat timeout, which is
 * ten minutes here. On the embedded H2 and PostgreSQL; on PostgreSQL the next start is {@code
 * updraft scheduler}, which stops the same way.
 */
abstract class GracefulStopTest extends HomeTestBase {
  private static final String DAG =
      """
      dag_id: stop
      schedule: null
      tasks:
        - task_id: long
          operator: shell
          # bash stays the parent of sleep: a tree of two processes
          command: >-
            if [ {{ ti.try_number }} -eq 1 ]; then sleep 600; echo never; else echo again; fi
      """;

  /** A heartbeat timeout far beyond the test's waits: only the hand-back can rerun the task. */
  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "10m",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  GracefulStopTest() {
    super(ENV, Duration.ofSeconds(90));
  }

  @BeforeEach
  void folder() throws Exception {
    Files.writeString(site.dags().resolve("stop.yaml"), DAG);
  }

  /** The command of the next start: standalone, or a scheduler (which stops the same way). */
  String nextStart() {
    return "standalone";
  }

  /** The one try's row; on H2 read through the standalone JVM serving the file, if one runs. */
  private TaskInstanceRow task() {
    return db(d -> new TaskInstanceRepository(d).listForRun("stop", "r").get(0));
  }

  @Test
  void sigtermEndsTheRunningTreeRecordsTheStopAndTheNextStartRerunsTheTaskAtOnce()
      throws Exception {
    ChildJvm first = site.updraft("first", "standalone", "--port", "0");
    await("the standalone to start", first, () -> first.output().contains("is running"));
    long jobId = first.schedulerJobId();
    await("the DAG to be read", first, () -> db(d -> new DagRepository(d).get("stop").isPresent()));
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("stop");
          Instant now = Instant.now();
          return ManualRuns.trigger(d, latest, now, "r", null, now);
        });
    await("the task's sleep to run", first, () -> hasSleep(first));
    List<ProcessHandle> tree = first.descendants();
    // The JVM's orphan reaper (decisions/0165), a small java child (the task's tree is bash and
    // sleep), exits on its own once the JVM is gone, a moment after it; the task's processes must
    // be gone when the stop returns. (Its class name may lie beyond what /proc shows of a command
    // line with a long class path.)
    Set<ProcessHandle> reapers =
        tree.stream()
            .filter(p -> p.info().command().orElse("").endsWith("/java"))
            .collect(Collectors.toSet());
    assertThat(task().state()).isEqualTo(TaskInstanceState.RUNNING);

    int exit = first.terminate(Duration.ofSeconds(60));

    String said = first.output();
    assertThat(exit).as(said).isZero();
    assertThat(said)
        .contains("Stopping: no new work taken; ending 1 running try (grace 30s)…")
        .contains("Stopped. 1 interrupted try is up for retry at once")
        .doesNotContain("could not record")
        .doesNotContain("Exception");
    for (ProcessHandle p : tree) {
      if (reapers.contains(p)) {
        p.onExit().get(30, TimeUnit.SECONDS);
        continue;
      }
      // Killed before the stop returned, it may still be a zombie for a moment, until the init
      // process reaps it; a tree the stop did not end would live on (sleep 600).
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // asserted just below
      }
      assertThat(p.isAlive()).as("task process %s after the stop", p.pid()).isFalse();
    }
    db(
        d -> {
          JobRow job = new JobRepository(d).get(jobId).orElseThrow();
          assertThat(job.state()).isEqualTo(JobRepository.SUCCESS);
          assertThat(job.endDate()).isNotNull();
          return null;
        });
    TaskInstanceRow handedBack = task();
    assertThat(handedBack.state()).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
    assertThat(handedBack.tryNumber()).isEqualTo(1);
    assertThat(handedBack.maxTries()).as("the interrupted try costs no retry").isEqualTo(1);
    assertThat(handedBack.nextRetryAt()).isBeforeOrEqualTo(Instant.now());

    ChildJvm second = site.updraft("second", nextStart());
    await(
        "the run to finish on the next start",
        second,
        () -> db(d -> new DagRunRepository(d).get("stop", "r").orElseThrow().state().isFinished()));
    db(
        d -> {
          assertThat(new DagRunRepository(d).get("stop", "r").orElseThrow().state())
              .isEqualTo(DagRunState.SUCCESS);
          TaskInstanceRow rerun = new TaskInstanceRepository(d).listForRun("stop", "r").get(0);
          assertThat(rerun.tryNumber()).isEqualTo(2);
          assertThat(new TaskInstanceTries(d).history(rerun.id()))
              .extracting(TaskInstanceTries.Try::state)
              .containsExactly(TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SUCCESS);
          return null;
        });
    assertThat(second.output()).doesNotContain("taken for dead");
    assertThat(second.terminate(Duration.ofSeconds(60))).as(second.output()).isZero();
    assertThat(second.output()).contains("ending 0 running tries").contains("Stopped.");
  }

  private static boolean hasSleep(ChildJvm p) {
    return p.descendants().stream()
        .anyMatch(h -> h.info().commandLine().orElse("").contains("sleep 600"));
  }
}
