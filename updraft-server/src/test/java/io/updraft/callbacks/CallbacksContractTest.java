package io.updraft.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.Lookups;
import io.updraft.dag.Dag;
import io.updraft.dag.Deadline;
import io.updraft.dag.Notifier;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.MovableClock;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.CallbackRequestRepository.NewCallback;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DeadlineRepository;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callback tables and the runner on a real database of each backend: claims with leases, a
 * failing callback retried and then recorded failed without touching a state, at-least-once after a
 * runner dies mid-callback, and a deadline that fires exactly once.
 */
abstract class CallbacksContractTest {
  static final Instant T0 = Instant.parse("2024-03-10T06:00:00.123456Z");
  static final Duration BACKOFF = Duration.ofSeconds(10);

  @TempDir Path tmp;
  ScratchDatabase scratch;
  Database db;
  final MovableClock clock = new MovableClock(T0);

  abstract TestBackend backend();

  @BeforeEach
  void migratedDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  /** A DAG stored as a version, and a manual run of it (queued). */
  private DagRunRow run(Dag dag) {
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), "x.yaml", T0);
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    return ManualRuns.trigger(db, versions.latest(dag.dagId()), T0, null, "{\"who\":\"me\"}", T0);
  }

  private static Dag dag(Deadline deadline) {
    return new Dag(
        "alerts",
        null,
        null,
        null,
        null,
        null,
        false,
        16,
        16,
        null,
        null,
        Map.of("team", "data"),
        List.of(io.updraft.dag.Task.of("load", "shell", Map.of("command", "true"))),
        null,
        deadline);
  }

  private CallbackRunner runner(String name) {
    return runner(name, Lookups.none());
  }

  private CallbackRunner runner(String name, Lookups lookups) {
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    return new CallbackRunner(
        db,
        versions::get,
        new Notifiers(ConnectionLookup.none(), Duration.ofMinutes(1)),
        lookups,
        tmp.resolve("logs"),
        clock,
        new CallbackRunner.Settings(Duration.ofSeconds(1), Duration.ofMinutes(2), BACKOFF, 16),
        name);
  }

  private void addShell(DagRunRow run, String taskId, String event, String command, String why) {
    new CallbackRequestRepository(db)
        .add(
            List.of(
                new NewCallback(
                    run.dagId(),
                    run.runId(),
                    taskId,
                    -1,
                    1,
                    event,
                    NotifierJson.write(new Notifier.Shell(command)),
                    why)),
            clock.instant());
  }

  @Test
  void aCallbackRendersTheTasksContextAndIsDeliveredOnce() throws Exception {
    DagRunRow run = run(dag(null));
    Path out = tmp.resolve("out.txt");
    addShell(
        run,
        "load",
        "on_failure",
        "echo '{{ ti.task_id }} {{ run_id }} {{ ds }} {{ params.team }} {{ dag_run.conf.who }}"
            + " {{ reason }}: {{ exception }}' > "
            + out,
        "exit code 3");
    try (CallbackRunner r = runner("a")) {
      CallbackRunner.Pass p = r.runOnce();
      assertThat(p.delivered()).isEqualTo(1);
      assertThat(r.runOnce().callbacks()).isZero(); // delivered: never again
    }
    assertThat(Files.readString(out).strip())
        .isEqualTo("load " + run.runId() + " 2024-03-10 data me failed: exit code 3");
    CallbackRow row = new CallbackRequestRepository(db).forRun(run.dagId(), run.runId()).get(0);
    assertThat(row.state()).isEqualTo("success");
    assertThat(row.attempts()).isEqualTo(1);
  }

  @Test
  void aNotifierReadsConnectionsAndVariablesAndItsLogMasksTheirSecrets() throws Exception {
    DagRunRow run = run(dag(null));
    Lookups lookups =
        Lookups.environmentOnly(
            Map.of(
                "UPDRAFT_VAR_API_TOKEN", "tok-8c1f-secret",
                "UPDRAFT_VAR_CHANNEL", "alerts",
                "UPDRAFT_CONN_HOOK", "http://bot:pw-9d2e-secret@hooks.example.com:443/https"));
    addShell(
        run,
        "load",
        "on_failure",
        "echo '{{ var.value.channel }} {{ var.value.api_token }} {{ conn.hook.host }}"
            + " {{ conn.hook.password }}'",
        "boom");
    addShell(run, "load", "on_retry", "echo '{{ var.value.no_such_key }}'", "boom");
    try (CallbackRunner r = runner("a", lookups)) {
      CallbackRunner.Pass p = r.runOnce();
      assertThat(p.delivered()).isEqualTo(1);
      assertThat(p.failedAttempts()).isEqualTo(1);
    }
    List<CallbackRow> rows = new CallbackRequestRepository(db).forRun(run.dagId(), run.runId());
    CallbackRow sent = rows.stream().filter(x -> x.event().equals("on_failure")).findFirst().get();
    String log = Files.readString(CallbackRunner.logPath(tmp.resolve("logs"), sent));
    assertThat(log)
        .contains("alerts *** hooks.example.com ***")
        .doesNotContain("tok-8c1f-secret")
        .doesNotContain("pw-9d2e-secret");
    CallbackRow missing = rows.stream().filter(x -> x.event().equals("on_retry")).findFirst().get();
    assertThat(missing.lastError()).contains("no_such_key");
  }

  @Test
  void aFailingCallbackIsRetriedThenRecordedFailedAndChangesNoState() throws Exception {
    DagRunRow run = run(dag(null));
    List<TaskInstanceRow> before =
        new TaskInstanceRepository(db).listForRun(run.dagId(), run.runId());
    addShell(run, "load", "on_failure", "echo trying; exit 3", "boom");
    CallbackRequestRepository repo = new CallbackRequestRepository(db);
    try (CallbackRunner r = runner("a")) {
      assertThat(r.runOnce().failedAttempts()).isEqualTo(1);
      assertThat(repo.forRun(run.dagId(), run.runId()).get(0).state()).isEqualTo("pending");
      assertThat(r.runOnce().callbacks()).as("not before its backoff").isZero();
      clock.now = clock.now.plus(BACKOFF);
      assertThat(r.runOnce().failedAttempts()).isEqualTo(1);
      clock.now = clock.now.plus(BACKOFF.multipliedBy(2));
      assertThat(r.runOnce().failedAttempts()).isEqualTo(1);
      clock.now = clock.now.plus(Duration.ofDays(1));
      assertThat(r.runOnce().callbacks()).as("the last attempt was the third").isZero();
    }
    CallbackRow row = repo.forRun(run.dagId(), run.runId()).get(0);
    assertThat(row.state()).isEqualTo("failed");
    assertThat(row.attempts()).isEqualTo(3);
    assertThat(row.lastError()).isEqualTo("the command exited with code 3");
    String log = Files.readString(CallbackRunner.logPath(tmp.resolve("logs"), row));
    assertThat(log).contains("attempt 3 of 3").contains("trying").contains("FAILED");
    assertThat(new TaskInstanceRepository(db).listForRun(run.dagId(), run.runId()))
        .isEqualTo(before);
    assertThat(new DagRunRepository(db).get(run.id()).orElseThrow().state()).isEqualTo(run.state());
  }

  @Test
  void aClaimIsLeasedAndTakenOverWhenItsRunnerDied() {
    DagRunRow run = run(dag(null));
    addShell(run, "load", "on_success", "true", null);
    CallbackRequestRepository repo = new CallbackRequestRepository(db);
    Duration lease = Duration.ofMinutes(2);
    List<CallbackRow> first = repo.claim("dead", 10, lease, clock.instant());
    assertThat(first).hasSize(1);
    assertThat(repo.claim("other", 10, lease, clock.instant())).as("leased").isEmpty();
    clock.now = clock.now.plus(lease);
    List<CallbackRow> again = repo.claim("other", 10, lease, clock.instant());
    assertThat(again).extracting(CallbackRow::id).containsExactly(first.get(0).id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    // The dead runner's late outcome must not overwrite the new claim.
    assertThat(repo.succeeded(first.get(0), clock.instant())).isFalse();
    assertThat(repo.succeeded(again.get(0), clock.instant())).isTrue();
    assertThat(repo.countOpen()).isZero();
  }

  @Test
  void aDeadlineFiresOnceForARunNotEndedAndNeverForOneThatEnded() throws Exception {
    Path out = tmp.resolve("late.txt");
    Deadline deadline =
        new Deadline(
            Deadline.Reference.QUEUED_AT,
            Duration.ofHours(2),
            List.of(new Notifier.Shell("echo '{{ run_id }} {{ reason }}' >> " + out)));
    DagRunRow late = run(dag(deadline));
    DeadlineRepository deadlines = new DeadlineRepository(db);
    assertThat(deadlines.state(late.dagId(), late.runId())).isEqualTo("pending");
    CallbackRequestRepository repo = new CallbackRequestRepository(db);
    DeadlineAlerts alerts = new DeadlineAlerts(db, repo);
    assertThat(alerts.fireDue(T0.plus(Duration.ofHours(2)).minusMillis(1))).isZero();
    assertThat(alerts.fireDue(T0.plus(Duration.ofHours(2)))).isEqualTo(1);
    assertThat(alerts.fireDue(T0.plus(Duration.ofHours(3)))).as("exactly once").isZero();
    assertThat(deadlines.state(late.dagId(), late.runId())).isEqualTo("fired");
    clock.now = T0.plus(Duration.ofHours(3));
    try (CallbackRunner r = runner("a")) {
      assertThat(r.runOnce().delivered()).isEqualTo(1);
      assertThat(r.runOnce().callbacks()).isZero();
    }
    assertThat(Files.readAllLines(out)).containsExactly(late.runId() + " deadline missed");

    // A run that ended before its deadline: closed as met, no callback.
    Dag ended = dag(deadline);
    new SerializedDagRepository(db)
        .store(ended.dagId(), DagSerializer.serialize(ended), "x.yaml", T0);
    DagRunRow second =
        ManualRuns.trigger(
            db,
            new DagVersions(new SerializedDagRepository(db)).latest(ended.dagId()),
            T0.plusSeconds(60),
            null,
            null,
            T0);
    DagRunRepository runs = new DagRunRepository(db);
    runs.setState(second.id(), DagRunState.QUEUED, DagRunState.RUNNING, T0);
    runs.setState(second.id(), DagRunState.RUNNING, DagRunState.SUCCESS, T0);
    assertThat(alerts.fireDue(T0.plus(Duration.ofHours(5)))).isZero();
    assertThat(deadlines.state(second.dagId(), second.runId())).isEqualTo("met");
    assertThat(repo.forRun(second.dagId(), second.runId())).isEmpty();
  }
}
