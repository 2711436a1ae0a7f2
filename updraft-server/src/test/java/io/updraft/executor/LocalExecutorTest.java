package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.sdk.Dags;
import io.updraft.sdk.TaskBuilder;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.RunnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor's supervision with the real scheduler loop on H2: tries scripted, or real
 * processes where a process is what is being supervised.
 */
class LocalExecutorTest {
  @TempDir Path tmp;
  private Database db;
  private final Wakeup wakeup = new Wakeup();
  private final Clock clock = Clock.systemUTC();
  private final Set<String> ranOnce = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
  }

  private DagVersions versions;
  private final List<Stop> stops = new ArrayList<>();

  private interface Stop {
    void run() throws Exception;
  }

  @AfterEach
  void close() throws Exception {
    for (Stop stop : stops) {
      stop.run();
    }
    db.close();
  }

  /** extract returns 42; transform fails its first try; load succeeds. */
  private TryRunner.Result scripted(TryRunner.Request r) {
    return switch (r.task().taskId()) {
      case "extract" -> TryRunner.Result.success("42");
      case "transform" ->
          ranOnce.add("transform")
              ? TryRunner.Result.failed("first try fails")
              : TryRunner.Result.success("\"try " + r.ti().tryNumber() + "\"");
      default -> TryRunner.Result.success(null);
    };
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Stores the DAG as its file would be and triggers run r1 of it. */
  private DagRunRow trigger(Dag dag) {
    Instant now = clock.instant();
    String file = dag.dagId() + ".yaml";
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), file, now);
    new DagRepository(db).upsert(dag, file, false, now);
    versions = new DagVersions(new SerializedDagRepository(db));
    return ManualRuns.trigger(db, versions.latest(dag.dagId()), now, "r1", null, now);
  }

  /** The scheduler loop with a local executor running real processes, until the test ends. */
  private SchedulerLoop startScheduler(Duration heartbeatEvery) {
    LocalExecutor executor =
        new LocalExecutor(
            db,
            versions,
            new WorkerTryRunner(
                new XComRepository(db),
                io.updraft.worker.Bundles.none(),
                tmp.resolve("logs"),
                RunnerSettings.defaults().withKillGrace(Duration.ofSeconds(2)),
                clock),
            4,
            clock,
            wakeup,
            heartbeatEvery);
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofMillis(200));
    Thread scheduler = Thread.ofPlatform().start(loop::run);
    stops.add(
        () -> {
          loop.stop();
          scheduler.join();
          executor.close();
        });
    return loop;
  }

  /**
   * Runs the scheduler loop with a local executor of {@link #scripted} tries until run r1 of {@code
   * dagId} has finished; returns the stopped loop.
   */
  private SchedulerLoop runScriptedToTheEnd(String dagId) throws InterruptedException {
    LocalExecutor executor =
        new LocalExecutor(db, versions, this::scripted, 4, clock, wakeup, Duration.ofSeconds(1));
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofMillis(200));
    Thread scheduler = Thread.ofPlatform().start(loop::run);
    try {
      DagRunRepository runs = new DagRunRepository(db);
      await("the run to finish", () -> runs.get(dagId, "r1").orElseThrow().state().isFinished());
    } finally {
      loop.stop();
      scheduler.join();
      executor.close();
    }
    return loop;
  }

  private TaskInstanceRow ti(String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun("d", "r1").stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
  }

  /** The pid a task wrote first into the file; killed when the test ends, should it still live. */
  private long pid(Path file) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(file).get(0).strip());
    stops.add(0, () -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    return pid;
  }

  /**
   * Whether a task's {@code echo >>} has written its line: the shell creates the file before echo
   * writes to it, so the file alone may still be empty.
   */
  private static boolean lineWritten(Path file) {
    try {
      return Files.exists(file) && Files.readString(file).contains("\n");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * A run that times out skips its unfinished tasks, and a skipped task's running try is killed
   * (Airflow's task runner sees its state changed and terminates it): it does not run to its end.
   */
  @Test
  void aRunTimeoutKillsTheTryOfTheTaskItSkips() throws Exception {
    Path pidFile = tmp.resolve("hang.pid");
    Dag dag =
        Dags.dag("d")
            .dagrunTimeout("1s")
            .task(Tasks.shell("hang", "echo $$ > " + pidFile + "; sleep 300"))
            .build();
    trigger(dag);
    SchedulerLoop loop = startScheduler(Duration.ofMillis(200));
    DagRunRepository runs = new DagRunRepository(db);
    await("the run to time out", () -> runs.get("d", "r1").orElseThrow().state().isFinished());
    assertThat(runs.get("d", "r1").orElseThrow().state()).isEqualTo(DagRunState.FAILED);
    assertThat(ti("hang").state()).isEqualTo(TaskInstanceState.SKIPPED);
    long pid = pid(pidFile);
    await("the skipped try's process to be killed", () -> !alive(pid));
    assertThat(ti("hang").state())
        .as("the killed try records nothing")
        .isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(loop.errors()).isZero();
  }

  /**
   * Clearing a running task instance sets it restarting; its worker kills the try (it is no longer
   * running), and the task instance is retried at once as the next try.
   */
  @Test
  void aClearedRunningTaskIsKilledAndRunsAgainAsTheNextTry() throws Exception {
    Path tries = tmp.resolve("tries");
    trigger(Dags.dag("d").task(sleepsInItsFirstTry(tries)).build());
    SchedulerLoop loop = startScheduler(Duration.ofMillis(200));
    await("the first try to run", () -> lineWritten(tries));
    long firstPid = pid(tries);
    ClearTasks.clear(db, versions, "d", "work", false, null, null, clock.instant());

    DagRunRepository runs = new DagRunRepository(db);
    await("the run to finish", () -> runs.get("d", "r1").orElseThrow().state().isFinished());
    assertThat(alive(firstPid)).as("the cleared try's process").isFalse();
    assertRetriedAfterTheClear(loop);
  }

  /**
   * A cleared try whose process ends before its worker notices the clear (here: killed from
   * outside; it could as well have finished) still ends restarting in up_for_retry.
   */
  @Test
  void aClearedTaskWhoseProcessEndsIsRetriedAtOnce() throws Exception {
    Path tries = tmp.resolve("tries");
    trigger(Dags.dag("d").task(sleepsInItsFirstTry(tries).retryDelay("1h")).build());
    SchedulerLoop loop = startScheduler(Duration.ofHours(1));
    await("the first try to run", () -> lineWritten(tries));
    ClearTasks.clear(db, versions, "d", "work", false, null, null, clock.instant());
    assertThat(ti("work").state()).isEqualTo(TaskInstanceState.RESTARTING);
    ProcessHandle.of(pid(tries)).ifPresent(ProcessHandle::destroy);

    DagRunRepository runs = new DagRunRepository(db);
    await("the run to finish", () -> runs.get("d", "r1").orElseThrow().state().isFinished());
    assertRetriedAfterTheClear(loop);
  }

  /**
   * A run written into the database by something else than Updraft, with a run_id that would put
   * its logs outside the logs folder: its try fails before it runs, and nothing is written outside.
   */
  @Test
  void aRunIdFromOutsideThatWouldLeaveTheLogsFolderFailsItsTry() throws Exception {
    Path marker = tmp.resolve("ran");
    Dag dag = Dags.dag("d").task(Tasks.shell("work", "touch " + marker)).build();
    String bad = "../../../../escape";
    Instant now = clock.instant();
    new SerializedDagRepository(db).store("d", DagSerializer.serialize(dag), "d.yaml", now);
    new DagRepository(db).upsert(dag, "d.yaml", false, now);
    versions = new DagVersions(new SerializedDagRepository(db));
    db.runInTransaction(
        () -> {
          new DagRunRepository(db)
              .create(
                  new io.updraft.store.NewDagRun(
                      "d",
                      bad,
                      io.updraft.store.RunType.MANUAL,
                      DagRunState.QUEUED,
                      now.minusSeconds(60),
                      now.minusSeconds(60),
                      now.minusSeconds(60),
                      now.minusSeconds(60),
                      null,
                      versions.latest("d").hash(),
                      null),
                  now);
          new TaskInstanceRepository(db)
              .createForRun(
                  "d",
                  bad,
                  List.of(
                      new io.updraft.store.NewTaskInstance(
                          "work", -1, 1, "default_pool", 1, "default", "shell", 0)),
                  now);
        });
    SchedulerLoop loop = startScheduler(Duration.ofMillis(200));
    DagRunRepository runs = new DagRunRepository(db);
    await("the run to finish", () -> runs.get("d", bad).orElseThrow().state().isFinished());
    assertThat(runs.get("d", bad).orElseThrow().state()).isEqualTo(DagRunState.FAILED);
    assertThat(new TaskInstanceRepository(db).listForRun("d", bad).get(0).state())
        .isEqualTo(TaskInstanceState.FAILED);
    assertThat(marker).as("the command did not run").doesNotExist();
    try (var files = java.nio.file.Files.walk(tmp)) {
      assertThat(
              files.filter(
                  f ->
                      f.getFileName().toString().startsWith("attempt=")
                          || f.getFileName().toString().equals("escape")))
          .as("no log and no folder made for one, in or out of the logs folder")
          .isEmpty();
    }
    assertThat(loop.errors()).isZero();
  }

  /** Task work: writes its pid to {@code tries}; its first try then sleeps 300 s as that pid. */
  private static TaskBuilder sleepsInItsFirstTry(Path tries) {
    return Tasks.shell(
        "work", "echo $$ >> " + tries + "; [ {{ ti.try_number }} -gt 1 ] || exec sleep 300");
  }

  private void assertRetriedAfterTheClear(SchedulerLoop loop) throws Exception {
    assertThat(new DagRunRepository(db).get("d", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
    TaskInstanceRow work = ti("work");
    assertThat(work.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(work.tryNumber()).isEqualTo(2);
    assertThat(new TaskInstanceTries(db).history(work.id()))
        .extracting(TaskInstanceTries.Try::state)
        .containsExactly(TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SUCCESS);
    assertThat(loop.errors()).isZero();
  }

  @Test
  void aChainRunsRetriesAndRecordsReturnValues() throws Exception {
    Dag dag =
        Dags.dag("etl")
            .task(Tasks.shell("extract", "x"))
            .task(Tasks.shell("transform", "x").upstream("extract").retries(1).retryDelay("0s"))
            .task(Tasks.shell("load", "x").upstream("transform"))
            .build();
    DagRunRow run = trigger(dag);
    SchedulerLoop loop = runScriptedToTheEnd("etl");
    assertThat(new DagRunRepository(db).get("etl", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
    Map<String, TaskInstanceRow> tis = new TreeMap<>();
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    repo.listForRun("etl", "r1").forEach(t -> tis.put(t.taskId(), t));
    assertThat(tis.values()).allMatch(t -> t.state() == TaskInstanceState.SUCCESS);
    assertThat(tis.get("transform").tryNumber()).isEqualTo(2);
    assertThat(new TaskInstanceTries(db).history(tis.get("transform").id()))
        .extracting(TaskInstanceTries.Try::state)
        .containsExactly(TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SUCCESS);
    XComRepository xcoms = new XComRepository(db);
    assertThat(xcoms.get("etl", "r1", "extract", XComRepository.RETURN_VALUE)).contains("42");
    assertThat(xcoms.get("etl", "r1", "transform", XComRepository.RETURN_VALUE))
        .contains("\"try 2\"");
    assertThat(xcoms.get("etl", "r1", "load", XComRepository.RETURN_VALUE)).isEmpty();
    assertThat(loop.errors()).isZero();
    assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
  }

  /**
   * Tasks a pass queues together start together (decisions/0192): one transaction starts all of
   * them, so they share its start time, and each then runs and ends on its own.
   */
  @Test
  void tasksQueuedTogetherStartInOneTransaction() throws Exception {
    Dag dag =
        Dags.dag("wide")
            .task(Tasks.shell("a", "x"))
            .task(Tasks.shell("b", "x"))
            .task(Tasks.shell("c", "x"))
            .task(Tasks.shell("d", "x"))
            .build();
    trigger(dag);
    SchedulerLoop loop = runScriptedToTheEnd("wide");
    assertThat(new DagRunRepository(db).get("wide", "r1").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
    List<TaskInstanceRow> tis = new TaskInstanceRepository(db).listForRun("wide", "r1");
    assertThat(tis).hasSize(4).allMatch(t -> t.state() == TaskInstanceState.SUCCESS);
    assertThat(tis).allMatch(t -> t.tryNumber() == 1 && t.hostname() != null);
    assertThat(tis.stream().map(TaskInstanceRow::startDate).distinct())
        .as("one start for the four")
        .hasSize(1);
    assertThat(loop.errors()).isZero();
  }

  /**
   * A start of several leaves out, writing nothing for it, an instance that is no longer queued
   * (cleared meanwhile) and one whose run's version has no such task; the others start.
   */
  @Test
  void aStartOfSeveralLeavesOutInstancesThatMovedOn() {
    Dag dag =
        Dags.dag("d")
            .task(Tasks.shell("a", "x"))
            .task(Tasks.shell("b", "x"))
            .task(Tasks.shell("c", "x"))
            .build();
    trigger(dag);
    List<TaskInstanceRow> queued = queuedByTheScheduler(3);
    assertThat(queued).extracting(TaskInstanceRow::taskId).containsExactlyInAnyOrder("a", "b", "c");
    ClearTasks.clear(db, versions, "d", "b", false, null, null, clock.instant());
    Dag withoutC = Dags.dag("d").task(Tasks.shell("a", "x")).task(Tasks.shell("b", "x")).build();

    Map<Long, TryRecorder.Started> started =
        new TryRecorder(db).startAll(queued, r -> withoutC, "host", 7, clock.instant());

    assertThat(started.values())
        .extracting(s -> s.ti().taskId())
        .as("b was cleared, c is not in the run's version")
        .containsExactly("a");
    TryRecorder.Started a = started.values().iterator().next();
    assertThat(a.ti().state()).isEqualTo(TaskInstanceState.RUNNING);
    assertThat(a.ti().tryNumber()).isEqualTo(1);
    assertThat(a.ti().hostname()).isEqualTo("host");
    assertThat(a.run().runId()).isEqualTo("r1");
    assertThat(ti("b").state()).isEqualTo(TaskInstanceState.NONE);
    assertThat(ti("c").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(ti("c").tryNumber()).isZero();
  }

  /**
   * Successes recorded together (decisions/0193): each ends with its history row, its XCom and its
   * callbacks, all at one end; one cleared while it ran is left out with nothing written, and
   * {@link TryRecorder#record} then retries it as for a try that ended alone.
   */
  @Test
  void successesRecordedTogetherLeaveOutAnInstanceClearedMeanwhile() {
    Dag dag =
        Dags.dag("d")
            .task(Tasks.shell("a", "x").onSuccess(new io.updraft.dag.Notifier.Shell("true")))
            .task(Tasks.shell("b", "x").retries(1))
            .task(Tasks.shell("c", "x"))
            .build();
    trigger(dag);
    List<TaskInstanceRow> queued = queuedByTheScheduler(3);
    TryRecorder recorder = new TryRecorder(db);
    Map<Long, TryRecorder.Started> started =
        recorder.startAll(queued, r -> dag, "host", 7, clock.instant());
    assertThat(started).hasSize(3);
    new TaskInstanceRepository(db)
        .setStates(
            List.of(
                new io.updraft.store.StateChange(
                    ti("b").id(), TaskInstanceState.RUNNING, TaskInstanceState.RESTARTING)),
            clock.instant());
    List<TryRecorder.Success> successes = new ArrayList<>();
    Map<String, String> values = Map.of("a", "1", "b", "2");
    for (TryRecorder.Started s : started.values()) {
      successes.add(
          new TryRecorder.Success(s.task(), s.run(), s.ti(), values.get(s.ti().taskId())));
    }
    Instant end = clock.instant();

    assertThat(recorder.recordSuccesses(successes, end))
        .containsExactlyInAnyOrder(ti("a").id(), ti("c").id());
    XComRepository xcoms = new XComRepository(db);
    TaskInstanceTries tries = new TaskInstanceTries(db);
    for (String task : List.of("a", "c")) {
      TaskInstanceRow t = ti(task);
      assertThat(t.state()).isEqualTo(TaskInstanceState.SUCCESS);
      assertThat(t.endDate()).isEqualTo(end.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
      assertThat(tries.history(t.id()))
          .extracting(TaskInstanceTries.Try::state)
          .containsExactly(TaskInstanceState.SUCCESS);
    }
    assertThat(xcoms.get("d", "r1", "a", XComRepository.RETURN_VALUE)).contains("1");
    assertThat(xcoms.get("d", "r1", "c", XComRepository.RETURN_VALUE)).isEmpty();
    assertThat(xcoms.get("d", "r1", "b", XComRepository.RETURN_VALUE)).isEmpty();
    assertThat(new io.updraft.store.CallbackRequestRepository(db).forRun("d", "r1"))
        .extracting(c -> c.taskId() + " " + c.event())
        .containsExactly("a on_success");
    assertThat(ti("b").state()).isEqualTo(TaskInstanceState.RESTARTING);
    assertThat(tries.history(ti("b").id())).isEmpty();

    TryRecorder.Started b =
        started.values().stream()
            .filter(s -> s.ti().taskId().equals("b"))
            .findFirst()
            .orElseThrow();
    recorder.record(
        dag, b.task(), b.run(), b.ti(), TryRunner.Result.success("2"), false, clock.instant());
    assertThat(ti("b").state()).as("cleared: retried").isEqualTo(TaskInstanceState.UP_FOR_RETRY);
  }

  /**
   * The first {@code n} instances the scheduler queues for r1, taken by an executor that runs none.
   */
  private List<TaskInstanceRow> queuedByTheScheduler(int n) {
    List<TaskInstanceRow> queued = new ArrayList<>();
    Executor capture =
        new Executor() {
          @Override
          public int openSlots() {
            return 10;
          }

          @Override
          public void queue(List<TaskInstanceRow> tis) {
            queued.addAll(tis);
          }

          @Override
          public void close() {}
        };
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, capture, wakeup, clock, 1), Duration.ofMillis(200));
    for (int i = 0; i < 5 && queued.size() < n; i++) {
      loop.runOnce();
    }
    assertThat(loop.errors()).isZero();
    return queued;
  }
}
