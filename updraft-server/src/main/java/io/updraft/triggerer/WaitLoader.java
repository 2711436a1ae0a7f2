package io.updraft.triggerer;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.sensors.CheckEnv;
import io.updraft.sensors.ExternalStates;
import io.updraft.sensors.SensorArgumentException;
import io.updraft.sensors.SensorSpec;
import io.updraft.sensors.TriggerKinds;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TriggerRow;
import io.updraft.worker.TryRequest;
import io.updraft.worker.template.TemplateRenderException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a claimed trigger into a {@link SensorWait}: finds its deferred task instance, the run and
 * the task of the run's DAG version, and what to wait for — a {@code sensor} trigger's task
 * arguments rendered with the try's template context exactly as a worker's try renders them ({@link
 * WorkerTryRunner#renderArgs}: {@code conn.*}, {@code var.*}, XComs, the try's masker), a {@code
 * spec} trigger's kwargs as written by the try that deferred.
 */
final class WaitLoader {

  /** What a claimed trigger turned out to be. */
  sealed interface Loaded {}

  /** A wait to check. */
  record Ready(SensorWait sensorWait) implements Loaded {}

  /** A try that cannot wait (its arguments do not render or make no sensor): it fails. */
  record Broken(
      TaskInstanceDeferrals.Deferred ti, Task task, Instant logicalDate, WaitLog log, String why)
      implements Loaded {}

  /** No deferred task instance is on this trigger (it ended or was cleared meanwhile). */
  record Orphan(long triggerId) implements Loaded {}

  private final TaskInstanceDeferrals deferrals;
  private final DagRunRepository runs;
  private final DagVersions versions;
  private final WorkerTryRunner tries;
  private final ExternalStates external;
  private final Map<String, String> env;
  private final Clock clock;

  WaitLoader(
      TaskInstanceDeferrals deferrals,
      DagRunRepository runs,
      DagVersions versions,
      WorkerTryRunner tries,
      ExternalStates external,
      Map<String, String> env,
      Clock clock) {
    this.deferrals = deferrals;
    this.runs = runs;
    this.versions = versions;
    this.tries = tries;
    this.external = external;
    this.env = env;
    this.clock = clock;
  }

  Loaded load(TriggerRow trigger) {
    TaskInstanceDeferrals.Deferred ti = deferrals.forTrigger(trigger.id()).orElse(null);
    if (ti == null) {
      return new Orphan(trigger.id());
    }
    DagRunRow run = runs.get(ti.dagId(), ti.runId()).orElse(null);
    if (run == null) {
      return new Orphan(trigger.id()); // the run was deleted with its instances
    }
    Dag dag = versions.get(run.dagId(), run.dagHash());
    Task task = dag.task(ti.taskId()).orElse(null);
    String fileloc = versions.fileloc(run.dagId(), run.dagHash());
    if (task == null) {
      return new Orphan(trigger.id()); // not in the run's version: the scheduler removes it
    }
    TryRequest request = tries.request(dag, task, run, ti.tryNumber(), fileloc);
    WaitLog log = WaitLog.of(request, clock);
    SensorSpec spec;
    try {
      spec =
          switch (trigger.kind()) {
            case TriggerKinds.SENSOR ->
                SensorSpec.fromArgs(
                    tries.renderArgs(request),
                    new SensorSpec.RunDates(
                        dag.timezone(),
                        run.logicalDate(),
                        run.dataIntervalEnd() != null ? run.dataIntervalEnd() : run.logicalDate()));
            case TriggerKinds.SPEC -> SensorSpec.fromJson(trigger.kwargs());
            default ->
                throw new SensorArgumentException(
                    "trigger "
                        + trigger.id()
                        + " is of kind '"
                        + trigger.kind()
                        + "', which this triggerer does not know (a newer Updraft wrote it?)");
          };
    } catch (TemplateRenderException | SensorArgumentException e) {
      return new Broken(ti, task, run.logicalDate(), log, e.getMessage());
    } catch (RuntimeException e) {
      return new Broken(
          ti, task, run.logicalDate(), log, "cannot read what to wait for: " + e.getMessage());
    }
    // A relative file pattern and a command run in the DAG file's folder, as a shell task does.
    Path dagFolder = fileloc == null ? null : Path.of(fileloc).toAbsolutePath().getParent();
    if (dagFolder != null && !java.nio.file.Files.isDirectory(dagFolder)) {
      dagFolder = null; // parsed on another machine
    }
    CheckEnv checkEnv = new CheckEnv(clock, request.connections(), external, dagFolder, env);
    return new Ready(
        new SensorWait(ti, task, run.logicalDate(), spec, checkEnv, log, clock.instant()));
  }
}
