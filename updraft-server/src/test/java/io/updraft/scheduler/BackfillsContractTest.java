package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.NewDagRun;
import io.updraft.store.NextDagRun;
import io.updraft.store.RunType;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TestBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Backfills} on a real database: the runs and task instances it writes in bulk, the dates it
 * skips, and its races with the scheduler's own run creation for the same logical date. DAG {@code
 * b}: daily, a → b → c.
 */
abstract class BackfillsContractTest {
  static final Instant NOW = Instant.parse("2024-02-01T00:00:00Z");
  static final Instant D8 = Instant.parse("2024-01-08T00:00:00Z");
  static final Instant D10 = Instant.parse("2024-01-10T00:00:00Z");
  static final Instant D12 = Instant.parse("2024-01-12T00:00:00Z");

  ScratchDatabase scratch;
  Database db;
  DagVersions.Versioned version;

  abstract TestBackend backend();

  @BeforeEach
  void seeded() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    Dag dag =
        Dags.dag("b")
            .schedule("@daily")
            .startDate("2024-01-01")
            .task(Tasks.shell("a", "true"))
            .task(Tasks.shell("b", "true").upstream("a"))
            .task(Tasks.shell("c", "true").upstream("b"))
            .build();
    new SerializedDagRepository(db).store("b", DagSerializer.serialize(dag), "b.yaml", NOW);
    new DagRepository(db).upsert(dag, "b.yaml", false, NOW);
    version = new DagVersions(new SerializedDagRepository(db)).latest("b");
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

  @Test
  void createsEveryRunOfTheRangeQueuedWithItsTaskInstances() {
    Backfills.Result result = Backfills.create(db, version, D8, D12, NOW);

    assertThat(result.skipped()).isEmpty();
    assertThat(result.created())
        .extracting(DagRunRow::runId)
        .containsExactly(
            "backfill__2024-01-08T00:00:00+00:00",
            "backfill__2024-01-09T00:00:00+00:00",
            "backfill__2024-01-10T00:00:00+00:00",
            "backfill__2024-01-11T00:00:00+00:00",
            "backfill__2024-01-12T00:00:00+00:00");
    DagRunRow first = result.created().get(0);
    assertThat(first.id()).isPositive();
    assertThat(first.runType()).isEqualTo(RunType.BACKFILL);
    assertThat(first.state()).isEqualTo(DagRunState.QUEUED);
    assertThat(first.logicalDate()).isEqualTo(D8);
    assertThat(first.dataIntervalEnd()).isEqualTo(Instant.parse("2024-01-09T00:00:00Z"));
    assertThat(first.queuedAt()).isEqualTo(NOW);
    assertThat(first.dagHash()).isEqualTo(version.hash());
    assertThat(new DagRunRepository(db).get("b", first.runId())).contains(first);
    for (DagRunRow run : result.created()) {
      assertThat(
              db.jdbc()
                  .query(
                      "task instances",
                      "SELECT task_id, run_date FROM task_instance WHERE dag_id = 'b' AND run_id = ?"
                          + " ORDER BY id",
                      ps -> ps.setString(1, run.runId()),
                      rs ->
                          rs.getString("task_id") + "@" + db.dialect().getInstant(rs, "run_date")))
          .containsExactly(
              "a@" + run.logicalDate(), "b@" + run.logicalDate(), "c@" + run.logicalDate());
    }
  }

  @Test
  void skipsLogicalDatesAndRunIdsThatAreTaken() {
    DagActions.trigger(db, "b", D10, "mine", null, "test", NOW);
    // A manual run holding the run_id a backfill would give 2024-01-11, at another date.
    DagActions.trigger(
        db,
        "b",
        Instant.parse("2023-06-01T00:00:00Z"),
        "backfill__2024-01-11T00:00:00+00:00",
        null,
        "test",
        NOW);

    Backfills.Result result = Backfills.create(db, version, D8, D12, NOW);

    assertThat(result.created())
        .extracting(DagRunRow::logicalDate)
        .containsExactly(D8, Instant.parse("2024-01-09T00:00:00Z"), D12);
    assertThat(result.skipped()).containsExactly(D10, Instant.parse("2024-01-11T00:00:00Z"));
    assertThat(Backfills.create(db, version, D8, D12, NOW).created()).isEmpty();
    assertThat(new DagRunRepository(db).count("b")).isEqualTo(5);
  }

  @Test
  void aBackfillBehindTheSchedulersUncommittedRunSkipsItsDate() throws Exception {
    dueAt(D10);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> scheduler = schedulerPassHeldOpen(release);
    Thread[] backfiller = new Thread[1];
    CompletableFuture<Backfills.Result> backfill =
        CompletableFuture.supplyAsync(
            () -> {
              backfiller[0] = Thread.currentThread();
              return Backfills.create(db, version, D8, D12, NOW);
            });
    waitUntil(() -> backfiller[0] != null && blocked(backfiller[0]));
    release.countDown();

    assertThat(scheduler.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    Backfills.Result result = backfill.get(30, TimeUnit.SECONDS);
    assertThat(result.skipped()).containsExactly(D10);
    assertThat(result.created()).hasSize(4);
    assertThat(new DagRunRepository(db).count("b")).isEqualTo(5);
    assertThat(runAt(D10).runType()).isEqualTo(RunType.SCHEDULED);
  }

  @Test
  void theSchedulerBehindAnUncommittedBackfillSkipsItsDateWithoutAnError() throws Exception {
    dueAt(D10);
    CountDownLatch inserted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> backfill =
        CompletableFuture.runAsync(
            () ->
                db.runInTransaction(
                    () -> {
                      CreateDagRuns.createRuns(
                          new DagRunRepository(db),
                          new TaskInstanceRepository(db),
                          db,
                          version.dag(),
                          List.of(backfillRun(D10)),
                          NOW);
                      inserted.countDown();
                      await(release);
                    }));
    assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
    Thread[] schedulerThread = new Thread[1];
    CompletableFuture<Integer> scheduler =
        CompletableFuture.supplyAsync(
            () -> {
              schedulerThread[0] = Thread.currentThread();
              return new CreateDagRuns(context()).run(NOW);
            });
    waitUntil(() -> schedulerThread[0] != null && blocked(schedulerThread[0]));
    release.countDown();
    backfill.get(30, TimeUnit.SECONDS);

    assertThat(scheduler.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(runAt(D10).runType()).isEqualTo(RunType.BACKFILL);
    assertThat(new DagRunRepository(db).count("b")).isEqualTo(1);
    // The pass went on past the taken date: the DAG's next run moved on.
    assertThat(new DagRepository(db).get("b").orElseThrow().next().logicalDate()).isAfter(D10);
  }

  @Test
  void aBulkTriggerBehindTheSchedulersUncommittedRunFailsOnThatDateOrSkipsIt() throws Exception {
    dueAt(D10);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> scheduler = schedulerPassHeldOpen(release);
    List<ManualRuns.Request> asked =
        List.of(
            new ManualRuns.Request("m8", D8, null),
            new ManualRuns.Request("m10", D10, "{\"x\":1}"),
            new ManualRuns.Request(null, D12, null));
    Thread[] trigger = new Thread[1];
    CompletableFuture<ManualRuns.Bulk> failing =
        CompletableFuture.supplyAsync(
            () -> {
              trigger[0] = Thread.currentThread();
              return DagActions.triggerAll(db, "b", asked, false, "alice", NOW);
            });
    waitUntil(() -> trigger[0] != null && blocked(trigger[0]));
    release.countDown();

    assertThat(scheduler.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    ManualRuns.Bulk failed = failing.get(30, TimeUnit.SECONDS);
    assertThat(failed.created()).isEmpty();
    assertThat(failed.taken()).containsExactly(1);
    assertThat(new DagRunRepository(db).count("b")).isEqualTo(1);
    assertThat(new LogRepository(db).recent(10)).noneMatch(r -> r.event().equals("trigger"));

    ManualRuns.Bulk skipped = DagActions.triggerAll(db, "b", asked, true, "alice", NOW);
    assertThat(skipped.created())
        .extracting(DagRunRow::runId)
        .containsExactly("m8", RunIds.of(RunType.MANUAL, D12));
    assertThat(skipped.taken()).containsExactly(1);
    assertThat(runAt(D10).runType()).isEqualTo(RunType.SCHEDULED);
    assertThat(new TaskInstanceRepository(db).listForRun("b", "m8")).hasSize(3);
    assertThat(new LogRepository(db).recent(10))
        .filteredOn(r -> r.event().equals("trigger"))
        .extracting(r -> r.runId() + " " + r.owner())
        .containsExactlyInAnyOrder("m8 alice", RunIds.of(RunType.MANUAL, D12) + " alice");
  }

  @Test
  void triggersRecordOneAuditRowEach() {
    for (int i = 0; i < 3; i++) {
      DagActions.trigger(db, "b", D8.plusSeconds(i), "t" + i, null, "alice", NOW);
    }
    assertThat(new LogRepository(db).recent(10))
        .filteredOn(r -> r.event().equals("trigger"))
        .extracting(r -> r.runId() + " " + r.owner())
        .containsExactlyInAnyOrder("t0 alice", "t1 alice", "t2 alice");
  }

  /**
   * A scheduler pass that has created the due run and holds its transaction open until {@code
   * release}; returns once the run is inserted.
   */
  private CompletableFuture<Integer> schedulerPassHeldOpen(CountDownLatch release)
      throws InterruptedException {
    CountDownLatch inserted = new CountDownLatch(1);
    CompletableFuture<Integer> scheduler =
        CompletableFuture.supplyAsync(
            () ->
                db.inTransaction(
                    () -> {
                      int n = new CreateDagRuns(context()).run(NOW);
                      inserted.countDown();
                      await(release);
                      return n;
                    }));
    assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
    return scheduler;
  }

  /**
   * Whether a thread waits for a row lock: an embedded H2 parks it; a server database's session
   * shows as waiting for a lock.
   */
  boolean blocked(Thread t) {
    return switch (db.dialect().name()) {
      case "postgresql" ->
          count("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0;
      case "mysql" ->
          count("SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'")
              > 0;
      default -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING;
    };
  }

  private long count(String sql) {
    return db.jdbc().queryOne(sql, sql, ps -> {}, rs -> rs.getLong(1)).orElse(0L);
  }

  private SchedulerContext context() {
    return SchedulerContext.create(
        db, new HoldingExecutor(10), new Wakeup(), Clock.fixed(NOW, ZoneOffset.UTC), 1);
  }

  private void dueAt(Instant logicalDate) {
    new DagRepository(db)
        .setNextRun(
            "b",
            new NextDagRun(
                logicalDate,
                logicalDate,
                logicalDate.plus(Duration.ofDays(1)),
                logicalDate.plus(Duration.ofDays(1))));
  }

  private NewDagRun backfillRun(Instant at) {
    return new NewDagRun(
        "b",
        RunIds.of(RunType.BACKFILL, at),
        RunType.BACKFILL,
        DagRunState.QUEUED,
        at,
        at,
        at.plus(Duration.ofDays(1)),
        at.plus(Duration.ofDays(1)),
        null,
        version.hash(),
        null);
  }

  private DagRunRow runAt(Instant at) {
    return new DagRunRepository(db)
        .list("b", 100).stream().filter(r -> at.equals(r.logicalDate())).findFirst().orElseThrow();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits (bounded) for the second writer to block on the first's uncommitted row; if it never
   * does, it already saw the row committed, which the assertions accept too.
   */
  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
