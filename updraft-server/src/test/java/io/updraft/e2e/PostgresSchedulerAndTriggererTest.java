package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 with the components in processes of their own on PostgreSQL: an {@code updraft
 * scheduler} and an {@code updraft triggerer}. A sensor waits for another DAG's task through {@code
 * external_task} with a 60 s poke interval; it ends right after that task does, because the task's
 * end wakes the triggerer (the change signal), not its next poll.
 */
class PostgresSchedulerAndTriggererTest extends HomeTestBase {
  private static final String DAY = "2024-03-01T00:00:00Z";

  PostgresSchedulerAndTriggererTest() {
    super(Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"), Duration.ofSeconds(90));
  }

  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  private void cli(String name, String... command) {
    ChildJvm p = site.updraft(name, command);
    assertThat(p.awaitExit(Duration.ofSeconds(90))).as(p::describe).isZero();
  }

  private TaskInstanceRow ti(String dagId, String runId, String taskId) {
    return db(d -> new TaskInstanceRepository(d).listForRun(dagId, runId)).stream()
        .filter(t -> t.taskId().equals(taskId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task instance " + dagId + "." + taskId));
  }

  @Test
  void anExternalTaskSensorEndsRightAfterTheTaskItWaitsFor() throws Exception {
    Files.writeString(
        site.dags().resolve("producer.yaml"),
        """
        dag_id: producer
        schedule: null
        tasks:
          - {task_id: make, operator: shell, command: "echo made"}
        """);
    Files.writeString(
        site.dags().resolve("consumer.yaml"),
        """
        dag_id: consumer
        schedule: null
        tasks:
          - task_id: wait_make
            operator: sensor
            poke_interval: 60s
            timeout: 1h
            wait: {external_task: {dag_id: producer, task_id: make}}
          - {task_id: use, operator: shell, command: "echo used", upstream: [wait_make]}
        """);
    cli("migrate", "db", "migrate");
    ChildJvm scheduler = site.updraft("scheduler", "scheduler");
    scheduler.awaitOutput("is running", Duration.ofSeconds(90));
    ChildJvm triggerer = site.updraft("triggerer", "triggerer");
    triggerer.awaitOutput("is running", Duration.ofSeconds(90));

    cli("trigger-consumer", "dags", "trigger", "consumer", "--run-id", "c", "--logical-date", DAY);
    await(
        "the sensor deferred and checked once",
        triggerer,
        () ->
            ti("consumer", "c", "wait_make").state() == TaskInstanceState.DEFERRED
                && db(
                        d ->
                            d.jdbc()
                                .queryOne(
                                    "timeout set",
                                    "SELECT COUNT(*) FROM task_instance WHERE trigger_timeout IS"
                                        + " NOT NULL",
                                    ps -> {},
                                    rs -> rs.getLong(1))
                                .orElseThrow())
                    == 1);
    cli("trigger-producer", "dags", "trigger", "producer", "--run-id", "p", "--logical-date", DAY);

    await(
        "the consumer's run to end",
        scheduler,
        () ->
            db(d -> new DagRunRepository(d).get("consumer", "c").orElseThrow())
                .state()
                .isFinished());
    assertThat(db(d -> new DagRunRepository(d).get("consumer", "c").orElseThrow()).state())
        .as(triggerer::describe)
        .isEqualTo(DagRunState.SUCCESS);
    TaskInstanceRow make = ti("producer", "p", "make");
    TaskInstanceRow sensor = ti("consumer", "c", "wait_make");
    assertThat(Duration.between(make.endDate(), sensor.endDate()))
        .as("woken by the task's end, not by the 60 s poll")
        .isLessThan(Duration.ofSeconds(30));
    assertThat(triggerer.terminate(Duration.ofSeconds(60))).as(triggerer::describe).isZero();
  }
}
