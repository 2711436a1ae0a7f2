package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Notifier;
import io.updraft.dag.Task;
import io.updraft.e2e.Await;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.sensors.TriggerKinds;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.Jdbc;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TriggerRepository;
import io.updraft.store.XComRepository;
import io.updraft.worker.Downstream;
import io.updraft.worker.Pause;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tries that pause instead of finishing, through the local executor and the real scheduler loop on
 * H2: a reschedule-mode check comes back as the same try when due; a deferral hands the instance to
 * the triggerer with its return value kept.
 */
class PausedTriesTest {
  @TempDir Path tmp;
  private Database db;
  private final Wakeup wakeup = new Wakeup();
  private final Clock clock = Clock.systemUTC();
  private LocalExecutor executor;
  private SchedulerLoop loop;
  private Thread scheduler;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
  }

  @AfterEach
  void close() throws Exception {
    if (loop != null) {
      loop.stop();
      scheduler.join();
      executor.close();
    }
    db.close();
  }

  private void start(Dag dag, TryRunner runner) {
    Instant now = clock.instant();
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), "d.yaml", now);
    new DagRepository(db).upsert(dag, "d.yaml", false, now);
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    ManualRuns.trigger(db, versions.latest(dag.dagId()), now, "r1", null, now);
    executor = new LocalExecutor(db, versions, runner, 4, clock, wakeup, Duration.ofSeconds(5));
    loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofMillis(200));
    scheduler = Thread.ofPlatform().start(loop::run);
  }

  private TaskInstanceRow ti(String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun("d", "r1").stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
  }

  private boolean runFinished() {
    return new DagRunRepository(db).get("d", "r1").orElseThrow().state().isFinished();
  }

  private int reschedules(long tiId) {
    Jdbc jdbc = db.jdbc();
    return jdbc.queryOne(
            "counting checks",
            "SELECT COUNT(*) FROM task_reschedule WHERE task_instance_id = ? AND try_number = 1",
            ps -> ps.setLong(1, tiId),
            rs -> rs.getInt(1))
        .orElseThrow();
  }

  @Test
  void aCheckThatPausesTwiceComesBackAsTheSameTryAndThenSucceeds() throws Exception {
    TaskInstanceDeferrals deferrals = new TaskInstanceDeferrals(db);
    List<Integer> tryNumbers = new CopyOnWriteArrayList<>();
    List<Optional<Instant>> firstChecks = new CopyOnWriteArrayList<>();
    List<Instant> starts = new CopyOnWriteArrayList<>();
    AtomicInteger checks = new AtomicInteger();
    TryRunner runner =
        r -> {
          if (!r.task().taskId().equals("wait")) {
            return TryRunner.Result.success(null);
          }
          tryNumbers.add(r.ti().tryNumber());
          starts.add(r.ti().startDate());
          firstChecks.add(deferrals.firstCheck(r.ti().id(), r.ti().tryNumber()));
          return checks.incrementAndGet() <= 2
              ? TryRunner.Result.paused(new Pause.Reschedule(clock.instant().plusMillis(20)))
              : TryRunner.Result.success(null);
        };
    start(
        Dags.dag("d")
            .task(Tasks.shell("wait", "true").retries(2))
            .task(Tasks.shell("after", "true").upstream("wait"))
            .build(),
        runner);

    Await.until("the run to finish", Duration.ofSeconds(30), this::runFinished, () -> "");

    assertThat(new DagRunRepository(db).get("d", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
    TaskInstanceRow wait = ti("wait");
    assertThat(wait.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(tryNumbers).containsExactly(1, 1, 1);
    assertThat(wait.tryNumber()).isEqualTo(1);
    assertThat(reschedules(wait.id())).isEqualTo(2);
    assertThat(new TaskInstanceTries(db).history(wait.id())).hasSize(1);
    assertThat(firstChecks)
        .containsExactly(Optional.empty(), Optional.of(starts.get(0)), Optional.of(starts.get(0)));
    assertThat(ti("after").state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(loop.errors()).isZero();
  }

  /**
   * A sensor's timeout fails its task at once, its retries unused (Airflow's AirflowSensorTimeout).
   */
  @Test
  void aTryThatFailsWithoutRetryIsNotRetried() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    TryRunner runner =
        r -> {
          if (!r.task().taskId().equals("wait")) {
            return TryRunner.Result.success(null);
          }
          tries.incrementAndGet();
          return TryRunner.Result.failedWithoutRetry("the sensor timed out after 1h");
        };
    start(Dags.dag("d").task(Tasks.shell("wait", "true").retries(3)).build(), runner);

    Await.until("the run to finish", Duration.ofSeconds(30), this::runFinished, () -> "");

    assertThat(ti("wait").state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(tries).hasValue(1);
    assertThat(new DagRunRepository(db).get("d", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.FAILED);
  }

  @Test
  void aTryThatDefersHandsItsInstanceToTheTriggererAndKeepsItsReturnValue() throws Exception {
    String spec = "{\"conditions\":[]}";
    Instant timeout = clock.instant().plusSeconds(3600);
    TryRunner runner =
        r ->
            r.task().taskId().equals("trigger")
                ? new TryRunner.Result(
                    TaskInstanceState.DEFERRED,
                    "\"manual__child\"",
                    null,
                    Downstream.PROCEED,
                    new Pause.Defer(TriggerKinds.SPEC, spec, timeout))
                : TryRunner.Result.success(null);
    start(
        Dags.dag("d")
            .task(
                Tasks.shell("trigger", "true")
                    .retries(1)
                    .onSuccess(new Notifier.Shell("true"))
                    .onFailure(new Notifier.Shell("true"))
                    .onRetry(new Notifier.Shell("true")))
            .task(Tasks.shell("after", "true").upstream("trigger"))
            .build(),
        runner);
    TriggerRepository triggers = new TriggerRepository(db);
    Await.until("the try to defer", Duration.ofSeconds(30), () -> triggers.count() == 1, () -> "");
    Await.until(
        "its slot to be free",
        Duration.ofSeconds(30),
        () -> executor.runningTries() == 0,
        () -> "");

    TaskInstanceRow deferred = ti("trigger");
    assertThat(deferred.state()).isEqualTo(TaskInstanceState.DEFERRED);
    assertThat(deferred.tryNumber()).isEqualTo(1);
    var claimed = triggers.claim(7, List.of(), 10, clock.instant());
    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0).kind()).isEqualTo(TriggerKinds.SPEC);
    assertThat(claimed.get(0).kwargs()).isEqualTo(spec);
    TaskInstanceDeferrals deferrals = new TaskInstanceDeferrals(db);
    TaskInstanceDeferrals.Deferred d = deferrals.forTrigger(claimed.get(0).id()).orElseThrow();
    assertThat(d.timeoutAt()).isEqualTo(timeout.truncatedTo(ChronoUnit.MICROS));
    XComRepository xcoms = new XComRepository(db);
    assertThat(xcoms.get("d", "r1", "trigger", XComRepository.RETURN_VALUE))
        .contains("\"manual__child\"");
    assertThat(new CallbackRequestRepository(db).forRun("d", "r1"))
        .as("a pause is not the end of a try: no callbacks")
        .isEmpty();

    assertThat(
            deferrals.endDeferred(
                d.id(), d.triggerId(), TaskInstanceState.SUCCESS, null, clock.instant()))
        .isTrue();
    wakeup.signal();
    Await.until("the run to finish", Duration.ofSeconds(30), this::runFinished, () -> "");
    assertThat(ti("after").state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(xcoms.get("d", "r1", "trigger", XComRepository.RETURN_VALUE))
        .contains("\"manual__child\"");
  }

  @Test
  void onlyASensorsTryAsksForItsFirstCheck() {
    AtomicInteger asked = new AtomicInteger();
    WorkerTryRunner worker =
        new WorkerTryRunner(
            new XComRepository(db),
            io.updraft.worker.Bundles.none(),
            io.updraft.connections.Lookups.none(),
            tmp.resolve("logs"),
            io.updraft.worker.RunnerSettings.defaults(),
            io.updraft.worker.operators.OperatorServices.none(),
            clock,
            WorkerTryRunner.PreviousRuns.none(),
            (id, tryNumber) -> {
              asked.incrementAndGet();
              return Optional.of(Instant.EPOCH.plusSeconds(id * 100 + tryNumber));
            });
    TaskInstanceRow ti =
        new TaskInstanceRow(
            7,
            "d",
            "r1",
            "t",
            -1,
            TaskInstanceState.RUNNING,
            2,
            2,
            1,
            "default_pool",
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Task shell = Task.of("t", "shell", Map.of("command", "true"));
    Task sensor = Task.of("t", "sensor", Map.of("wait", Map.of("file", "/x")));

    assertThat(worker.firstCheck(new TryRunner.Request(null, shell, null, ti, null, null)))
        .isNull();
    assertThat(asked).hasValue(0);
    assertThat(worker.firstCheck(new TryRunner.Request(null, sensor, null, ti, null, null)))
        .isEqualTo(Instant.EPOCH.plusSeconds(702));
    assertThat(asked).hasValue(1);
  }
}
