package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.sensors.Condition;
import io.updraft.sensors.SensorSpec;
import io.updraft.sensors.TriggerKinds;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.worker.FailureKind;
import io.updraft.worker.Pause;
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

/**
 * {@code trigger_dag} on a real metadata database: the run it creates, its failures, and the wait
 * it hands to the triggerer (the triggerer's own tests end such waits).
 */
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
  void waitForCompletionDefersTheWaitToTheTriggererKeepingTheRunIdAsReturnValue() throws Exception {
    Instant before = clock.instant();
    TryOutcome o =
        run(
            Map.of(
                "trigger_dag_id", "target",
                "trigger_run_id", "waited",
                "wait_for_completion", true,
                "poke_interval", "30s",
                "failed_states", List.of("failed", "upstream_failed")));

    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.DEFERRED);
    assertThat(o.returnValue()).isEqualTo("waited");
    Pause.Defer defer = (Pause.Defer) o.pause();
    assertThat(defer.kind()).isEqualTo(TriggerKinds.SPEC);
    SensorSpec spec = SensorSpec.fromJson(defer.kwargsJson());
    assertThat(spec.pokeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.timeout()).isEqualTo(SensorSpec.DEFAULT_TIMEOUT);
    assertThat(spec.conditions())
        .containsExactly(
            new Condition.ExternalTask(
                "target",
                null,
                null,
                "waited",
                List.of("success"),
                List.of("failed", "upstream_failed")));
    assertThat(defer.timeoutAt()).isAfterOrEqualTo(before.plus(SensorSpec.DEFAULT_TIMEOUT));
    assertThat(new DagRunRepository(db).get("target", "waited")).isPresent();
    assertThat(Files.readString(o.logPath()))
        .contains("deferring: the triggerer waits for run waited to reach [success]");
  }

  @Test
  void aBadPokeIntervalFailsBeforeAnythingIsDeferred() throws Exception {
    TryOutcome o =
        run(
            Map.of(
                "trigger_dag_id", "target",
                "wait_for_completion", true,
                "poke_interval", "0s"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error()).isEqualTo("task 't': poke_interval must be positive");
  }
}
