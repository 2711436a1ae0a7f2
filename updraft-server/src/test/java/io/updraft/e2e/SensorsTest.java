package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 end to end: a {@code defer} sensor on a file and a {@code trigger_dag} waiting for its
 * run, deferred by the scheduler and the executor and ended by a triggerer — the one in {@code
 * standalone}'s JVM, or (PostgreSQL) a separate {@code updraft triggerer} beside a separate {@code
 * updraft scheduler}. The trigger_dag waits with a poke interval of an hour: only the task-end and
 * run-end signals can end it within the test's bound.
 */
abstract class SensorsTest extends HomeTestBase {
  private static final String RUN_ID = "s1";

  private static final String SENSING =
      """
      dag_id: sensing
      schedule: null
      tasks:
        - task_id: wait_file
          operator: sensor
          poke_interval: 1s
          timeout: 10m
          wait:
            - file: "%1$s"
        - task_id: kick
          operator: trigger_dag
          trigger_dag_id: tiny
          trigger_run_id: "after_{{ run_id }}"
          wait_for_completion: true
          poke_interval: 1h
        - task_id: after
          operator: shell
          command: echo done
          upstream: [wait_file, kick]
      """;

  private static final String TINY =
      """
      dag_id: tiny
      schedule: null
      tasks:
        - {task_id: hello, operator: shell, command: "sleep 1; echo hello"}
      """;

  SensorsTest() {
    super(Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"), Duration.ofSeconds(90));
  }

  /** {@code updraft COMMAND...} to its end; it must exit 0. */
  private void cli(String name, String... command) {
    ChildJvm p = site.updraft(name, List.of(command));
    assertThat(p.awaitExit(Duration.ofSeconds(90))).as(p::describe).isZero();
  }

  private Map<String, TaskInstanceState> states(String dagId, String runId) {
    return db(d -> new TaskInstanceRepository(d).listForRun(dagId, runId)).stream()
        .collect(Collectors.toMap(TaskInstanceRow::taskId, TaskInstanceRow::state));
  }

  private DagRunRow run(String dagId, String runId) {
    return db(d -> new DagRunRepository(d).get(dagId, runId).orElseThrow());
  }

  /** Triggers the run once the components run, and checks it end to end. */
  void sensorsAndTriggerDagEnd(ChildJvm watched) throws Exception {
    Path ready = home.resolve("in/_SUCCESS");
    await(
        "the DAGs to be read",
        watched,
        () -> db(d -> new io.updraft.store.DagRepository(d).get("sensing").isPresent()));
    cli("trigger", "dags", "trigger", "sensing", "--run-id", RUN_ID);
    await(
        "the sensor to be deferred",
        watched,
        () -> states("sensing", RUN_ID).get("wait_file") == TaskInstanceState.DEFERRED);
    await(
        "tiny's run to succeed",
        watched,
        () -> run("tiny", "after_" + RUN_ID).state() == DagRunState.SUCCESS);
    await(
        "kick to end with tiny's run",
        watched,
        () -> states("sensing", RUN_ID).get("kick") == TaskInstanceState.SUCCESS);
    assertThat(states("sensing", RUN_ID).get("wait_file")).isEqualTo(TaskInstanceState.DEFERRED);

    Files.createDirectories(ready.getParent());
    Files.writeString(ready, "");
    await("the run to end", watched, () -> run("sensing", RUN_ID).state().isFinished());

    assertThat(run("sensing", RUN_ID).state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(states("sensing", RUN_ID))
        .as(watched::describe)
        .containsEntry("wait_file", TaskInstanceState.SUCCESS)
        .containsEntry("kick", TaskInstanceState.SUCCESS)
        .containsEntry("after", TaskInstanceState.SUCCESS);
    assertThat(
            db(d -> new XComRepository(d).get("sensing", RUN_ID, "kick", "return_value"))
                .orElseThrow())
        .isEqualTo("\"after_" + RUN_ID + "\"");
    String log =
        Files.readString(
            home.resolve(
                "logs/dag_id=sensing/run_id=" + RUN_ID + "/task_id=wait_file/attempt=1.log"));
    assertThat(log)
        .contains("deferred at ")
        .contains("waiting (no file " + ready + ")")
        .contains("every condition holds")
        .contains("the try ends success");
    String kickLog =
        Files.readString(
            home.resolve("logs/dag_id=sensing/run_id=" + RUN_ID + "/task_id=kick/attempt=1.log"));
    assertThat(kickLog).contains("deferring: the triggerer waits").contains("the try ends success");
  }

  void writeDags() throws Exception {
    Files.writeString(
        site.dags().resolve("sensing.yaml"),
        SENSING.formatted(home.resolve("in/_SUCCESS").toString()));
    Files.writeString(site.dags().resolve("tiny.yaml"), TINY);
  }

  @Test
  void underStandaloneTheTriggererInItsJvmEndsTheWaits() throws Exception {
    writeDags();
    ChildJvm standalone = site.updraft("standalone", "standalone", "--port", "0");
    standalone.awaitOutput("is running", Duration.ofSeconds(60));
    assertThat(standalone.output()).contains("triggerer job");
    sensorsAndTriggerDagEnd(standalone);
    assertThat(standalone.terminate(Duration.ofSeconds(60))).as(standalone::describe).isZero();
  }
}
