package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.executor.Executor;
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
import io.updraft.store.TaskInstanceTries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run keeps the DAG version it was created with while the file changes: tasks added later never
 * appear in it, and tasks removed become {@code removed} without holding up their downstream.
 */
class RunsKeepTheirVersionTest {
  private static final Instant T0 = Instant.parse("2024-01-04T12:00:00Z");

  /** Takes work and lets the test finish it. */
  private static final class Held implements Executor {
    final List<TaskInstanceRow> queued = new ArrayList<>();

    @Override
    public int openSlots() {
      return 100;
    }

    @Override
    public void queue(List<TaskInstanceRow> tis) {
      queued.addAll(tis);
    }

    @Override
    public void close() {}
  }

  @TempDir Path tmp;
  private Database db;
  private final MovableClock clock = new MovableClock(T0);
  private final Held executor = new Held();
  private SchedulerLoop loop;
  private TaskInstanceRepository tis;
  private TaskInstanceTries tries;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    tis = new TaskInstanceRepository(db);
    tries = new TaskInstanceTries(db);
    loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, new Wakeup(), clock, 1), Duration.ofSeconds(1));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void store(Dag dag) {
    new SerializedDagRepository(db)
        .store(dag.dagId(), DagSerializer.serialize(dag), "v.yaml", clock.now);
    new DagRepository(db).upsert(dag, "v.yaml", false, clock.now);
  }

  private Map<String, TaskInstanceState> states() {
    Map<String, TaskInstanceState> m = new TreeMap<>();
    tis.listForRun("v", "r").forEach(t -> m.put(t.taskId(), t.state()));
    return m;
  }

  /** Runs every queued try to success, as a worker would. */
  private void finishQueued() {
    for (TaskInstanceRow ti : executor.queued) {
      tries.start(ti.id(), "host", 1, clock.now);
      tries.finish(ti.id(), TaskInstanceState.RUNNING, TaskInstanceState.SUCCESS, clock.now, null);
    }
    executor.queued.clear();
  }

  private void passes() {
    for (int i = 0; i < 10; i++) {
      clock.now = clock.now.plusSeconds(2); // past the scheduler's 1 s cache of the latest hash
      finishQueued();
      loop.runOnce();
    }
  }

  @Test
  void addedTasksStayOutAndRemovedOnesAreSkippedOverAsRemoved() {
    Dag v1 =
        Dags.dag("v")
            .task(Tasks.shell("a", "true"))
            .task(Tasks.shell("b", "true").upstream("a"))
            .task(Tasks.shell("c", "true").upstream("b"))
            .build();
    store(v1);
    ManualRuns.trigger(
        db, new DagVersions(new SerializedDagRepository(db)).latest("v"), T0, "r", null, T0);
    loop.runOnce();
    assertThat(executor.queued).extracting(TaskInstanceRow::taskId).containsExactly("a");

    Dag v2 =
        Dags.dag("v")
            .task(Tasks.shell("a", "true"))
            .task(Tasks.shell("c", "true").upstream("a"))
            .task(Tasks.shell("e", "true").upstream("c"))
            .build();
    store(v2);
    passes();

    assertThat(states())
        .as("b removed before it started; c ran after a; e never part of the run")
        .containsExactly(
            Map.entry("a", TaskInstanceState.SUCCESS),
            Map.entry("b", TaskInstanceState.REMOVED),
            Map.entry("c", TaskInstanceState.SUCCESS));
    assertThat(new DagRunRepository(db).get("v", "r").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
    assertThat(new DagRunRepository(db).get("v", "r").orElseThrow().dagHash())
        .isEqualTo(DagSerializer.hash(v1));
  }

  @Test
  void aTaskThatAlreadyRanKeepsItsStateWhenRemoved() {
    Dag v1 = Dags.dag("v").task(Tasks.shell("a", "true")).task(Tasks.shell("b", "true")).build();
    store(v1);
    ManualRuns.trigger(
        db, new DagVersions(new SerializedDagRepository(db)).latest("v"), T0, "r", null, T0);
    loop.runOnce();
    finishQueued();
    store(Dags.dag("v").task(Tasks.shell("b", "true")).build());
    passes();
    assertThat(states()).containsEntry("a", TaskInstanceState.SUCCESS);
    assertThat(new DagRunRepository(db).get("v", "r").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
  }
}
