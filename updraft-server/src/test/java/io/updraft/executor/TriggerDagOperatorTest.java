package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.worker.FailureKind;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryExecution;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import io.updraft.worker.operators.OperatorServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trigger_dag} on a real metadata database: the run it creates, its wait, its failures. */
class TriggerDagOperatorTest {

  @TempDir Path tmp;
  Database db;
  final Clock clock = Clock.systemUTC();

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    Dag target = dag("target", List.of(task("work", "empty", Map.of())));
    Instant now = clock.instant();
    new SerializedDagRepository(db).store("target", DagSerializer.serialize(target), "t.yaml", now);
    new DagRepository(db).upsert(target, "t.yaml", false, now);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Task task(String id, String operator, Map<String, Object> args) {
    return new Task(
        id, operator, args, List.of(), null, 0, null, false, null, null, null, 1, 1, null, null,
        null, false, false, null, null, Map.of(), null, null);
  }

  static Dag dag(String id, List<Task> tasks) {
    return new Dag(
        id,
        null,
        new Schedule.Manual(),
        null,
        null,
        null,
        false,
        16,
        16,
        null,
        List.of(),
        Map.of(),
        tasks);
  }

  private TryExecution start(Map<String, Object> args) throws Exception {
    Dag parent = dag("parent", List.of(task("t", "trigger_dag", args)));
    TaskRunner runner =
        new TaskRunner(
            RunnerSettings.defaults().withHeartbeatInterval(Duration.ofMillis(50)),
            new OperatorServices(new DatabaseDagRuns(db, clock)));
    Files.createDirectories(tmp.resolve("logs"));
    return runner.start(
        TryRequest.builder(
                parent,
                "t",
                "manual__p",
                Instant.parse("2024-01-31T00:00:00Z"),
                tmp.resolve("logs"))
            .build());
  }

  private TryOutcome run(Map<String, Object> args) throws Exception {
    return start(args).outcome().get(30, TimeUnit.SECONDS);
  }

  @Test
  void createsAQueuedManualRunWithItsConfAndReturnsItsRunId() throws Exception {
    TryOutcome o =
        run(
            Map.of(
                "trigger_dag_id", "target",
                "conf", Map.of("table", "orders"),
                "logical_date", "2024-01-31"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo("manual__2024-01-31T00:00:00+00:00");
    DagRunRow run = new DagRunRepository(db).get("target", (String) o.returnValue()).orElseThrow();
    assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
    assertThat(run.logicalDate()).isEqualTo(Instant.parse("2024-01-31T00:00:00Z"));
    assertThat(run.conf()).isEqualTo("{\"table\":\"orders\"}");
    assertThat(Files.readString(o.logPath()))
        .contains("triggered DAG target: run manual__2024-01-31T00:00:00+00:00");
  }

  @Test
  void aGivenRunIdIsCheckedAndATakenOneFails() throws Exception {
    Map<String, Object> args = Map.of("trigger_dag_id", "target", "trigger_run_id", "nightly_1");
    assertThat(run(args).returnValue()).isEqualTo("nightly_1");
    TryOutcome again = run(args);
    assertThat(again.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(again.failure()).isEqualTo(FailureKind.OPERATOR);
    assertThat(again.error())
        .startsWith("task 't': cannot trigger DAG target: ")
        .contains("nightly_1");
    TryOutcome bad = run(Map.of("trigger_dag_id", "target", "trigger_run_id", "no/slash"));
    assertThat(bad.error()).startsWith("task 't': cannot trigger DAG target: ");
    TryOutcome unknown = run(Map.of("trigger_dag_id", "nope"));
    assertThat(unknown.error())
        .isEqualTo(
            "task 't': cannot trigger DAG nope: DAG nope has never been parsed — is it in the dags"
                + " folder?");
  }

  @Test
  void waitForCompletionPollsUntilAnAllowedOrAFailedState() throws Exception {
    Map<String, Object> args =
        Map.of(
            "trigger_dag_id",
            "target",
            "trigger_run_id",
            "waited",
            "wait_for_completion",
            true,
            "poke_interval",
            0.05);
    TryExecution running = start(args);
    DagRunRepository runs = new DagRunRepository(db);
    DagRunRow run = awaitRun(runs, "waited");
    assertThat(running.isDone()).isFalse();
    runs.setState(run.id(), DagRunState.QUEUED, DagRunState.RUNNING, clock.instant());
    runs.setState(run.id(), DagRunState.RUNNING, DagRunState.SUCCESS, clock.instant());
    TryOutcome o = running.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(Files.readString(o.logPath()))
        .contains("waiting for run waited to reach [success]")
        .contains("run waited of DAG target is success");

    TryExecution failing =
        start(
            Map.of(
                "trigger_dag_id",
                "target",
                "trigger_run_id",
                "fails",
                "wait_for_completion",
                true,
                "poke_interval",
                0.05));
    DagRunRow f = awaitRun(runs, "fails");
    runs.setState(f.id(), DagRunState.QUEUED, DagRunState.RUNNING, clock.instant());
    runs.setState(f.id(), DagRunState.RUNNING, DagRunState.FAILED, clock.instant());
    TryOutcome failed = failing.outcome().get(30, TimeUnit.SECONDS);
    assertThat(failed.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(failed.error()).isEqualTo("task 't': run fails of DAG target ended failed");
  }

  @Test
  void cancelStopsTheWait() throws Exception {
    TryExecution running =
        start(
            Map.of(
                "trigger_dag_id", "target",
                "trigger_run_id", "cancelled",
                "wait_for_completion", true,
                "poke_interval", "1h"));
    awaitRun(new DagRunRepository(db), "cancelled");
    running.cancel("marked failed");
    TryOutcome o = running.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.failure()).isEqualTo(FailureKind.CANCELLED);
  }

  private static DagRunRow awaitRun(DagRunRepository runs, String runId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var run = runs.get("target", runId);
      if (run.isPresent()) {
        return run.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("run " + runId + " was not created");
  }
}
