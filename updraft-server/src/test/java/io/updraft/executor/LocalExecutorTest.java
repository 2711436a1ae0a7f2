package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local executor's supervision with the real scheduler loop on H2; tries are scripted. */
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

  @AfterEach
  void close() {
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

  @Test
  void aChainRunsRetriesAndRecordsReturnValues() throws Exception {
    Dag dag =
        Dags.dag("etl")
            .task(Tasks.shell("extract", "x"))
            .task(Tasks.shell("transform", "x").upstream("extract").retries(1).retryDelay("0s"))
            .task(Tasks.shell("load", "x").upstream("transform"))
            .build();
    Instant now = clock.instant();
    new SerializedDagRepository(db).store("etl", DagSerializer.serialize(dag), "etl.yaml", now);
    new DagRepository(db).upsert(dag, "etl.yaml", false, now);
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    var run = ManualRuns.trigger(db, versions.latest("etl"), now, "r1", null, now);

    LocalExecutor executor =
        new LocalExecutor(db, versions, this::scripted, 4, clock, wakeup, Duration.ofSeconds(1));
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofMillis(200));
    Thread scheduler = Thread.ofPlatform().start(loop::run);
    try {
      DagRunRepository runs = new DagRunRepository(db);
      await("the run to finish", () -> runs.get("etl", "r1").orElseThrow().state().isFinished());
      assertThat(runs.get("etl", "r1").orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
    } finally {
      loop.stop();
      scheduler.join();
      executor.close();
    }
    Map<String, TaskInstanceRow> tis = new TreeMap<>();
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    repo.listForRun("etl", "r1").forEach(t -> tis.put(t.taskId(), t));
    assertThat(tis.values()).allMatch(t -> t.state() == TaskInstanceState.SUCCESS);
    assertThat(tis.get("transform").tryNumber()).isEqualTo(2);
    assertThat(repo.history(tis.get("transform").id()))
        .extracting(TaskInstanceRepository.Try::state)
        .containsExactly(TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SUCCESS);
    XComRepository xcoms = new XComRepository(db);
    assertThat(xcoms.get("etl", "r1", "extract", XComRepository.RETURN_VALUE)).contains("42");
    assertThat(xcoms.get("etl", "r1", "transform", XComRepository.RETURN_VALUE))
        .contains("\"try 2\"");
    assertThat(xcoms.get("etl", "r1", "load", XComRepository.RETURN_VALUE)).isEmpty();
    assertThat(loop.errors()).isZero();
    assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
  }
}
