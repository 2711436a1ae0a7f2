package io.updraft.triggerer;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.sensors.TriggerKinds;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.NewTaskInstance;
import io.updraft.store.RunType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Sensors deferred through the store as the scheduler defers them, for the triggerer's tests: a
 * stored DAG, a running run of it, its task instances, and the sensor's instances moved scheduled
 * to deferred with a {@code sensor} trigger each.
 */
public final class DeferredSensors {
  private DeferredSensors() {}

  public static Task task(String id, String operator, Map<String, Object> args, int retries) {
    return new Task(
        id, operator, args, List.of(), null, retries, null, false, null, null, null, 1, 1, null,
        null, null, false, false, null, null, Map.of(), null, null);
  }

  public static Dag dag(String id, Task... tasks) {
    return new Dag(
        id,
        null,
        new Schedule.Manual(),
        ZoneOffset.UTC,
        null,
        null,
        false,
        16,
        16,
        null,
        List.of(),
        Map.of(),
        List.of(tasks));
  }

  /**
   * Stores the DAG (read from {@code fileloc}) and a running run of it at {@code at} with its
   * instances, a {@code sensor} task mapped {@code mapped} times when that is above 0.
   */
  public static void runOf(
      Database db, Dag dag, String runId, int mapped, String fileloc, Instant at) {
    var serialized = DagSerializer.serialize(dag);
    new SerializedDagRepository(db).store(dag.dagId(), serialized, fileloc, at);
    new DagRepository(db).upsert(dag, fileloc, false, at);
    new DagRunRepository(db)
        .create(
            new NewDagRun(
                dag.dagId(),
                runId,
                RunType.MANUAL,
                DagRunState.RUNNING,
                at,
                at,
                at,
                at,
                null,
                serialized.hash(),
                null),
            at);
    List<NewTaskInstance> tis = new ArrayList<>();
    for (Task t : dag.tasks()) {
      boolean map = mapped > 0 && t.operator().equals("sensor");
      IntStream.range(0, map ? mapped : 1)
          .forEach(
              i ->
                  tis.add(
                      new NewTaskInstance(
                          t.taskId(),
                          map ? i : -1,
                          1,
                          "default_pool",
                          1,
                          "default",
                          t.operator(),
                          t.retries())));
    }
    new TaskInstanceRepository(db).createForRun(dag.dagId(), runId, tis, at);
  }

  public static List<TaskInstanceRow> instances(
      Database db, String dagId, String runId, String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun(dagId, runId).stream().filter(t -> t.taskId().equals(taskId)).toList();
  }

  /** The task's instances through {@code path} of states, from none. */
  public static void setState(
      Database db,
      String dagId,
      String runId,
      String taskId,
      Instant at,
      TaskInstanceState... path) {
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    List<Long> ids = instances(db, dagId, runId, taskId).stream().map(TaskInstanceRow::id).toList();
    TaskInstanceState from = TaskInstanceState.NONE;
    for (TaskInstanceState to : path) {
      TaskInstanceState f = from;
      repo.setStates(ids.stream().map(id -> new StateChange(id, f, to)).toList(), at);
      from = to;
    }
  }

  /** Scheduled, then deferred as the scheduler defers a sensor; the instances' ids. */
  public static List<Long> defer(
      Database db, String dagId, String runId, String taskId, Instant at) {
    setState(db, dagId, runId, taskId, at, TaskInstanceState.SCHEDULED);
    List<Long> ids = instances(db, dagId, runId, taskId).stream().map(TaskInstanceRow::id).toList();
    TaskInstanceDeferrals d = new TaskInstanceDeferrals(db);
    ids.forEach(
        id -> assertThat(d.deferScheduled(id, TriggerKinds.SENSOR, "{}", null, at)).isTrue());
    return ids;
  }
}
