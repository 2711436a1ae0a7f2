package io.updraft.scheduler;

import io.updraft.dag.Task;
import io.updraft.sensors.SensorMode;
import io.updraft.sensors.TriggerKinds;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceDeferrals;
import java.time.Instant;

/**
 * The second half of scheduling a {@code defer}-mode sensor (SPEC §1.9): once {@link RunDecisions}
 * made it scheduled, it goes straight on to deferred with a trigger, in the same transaction, so it
 * never reaches the critical section, a pool slot or the executor. The triggerer takes it from
 * there.
 */
final class DeferSensors {
  private static final String SENSOR_OPERATOR = "sensor";

  private final TaskInstanceDeferrals deferrals;

  DeferSensors(Database database) {
    this.deferrals = new TaskInstanceDeferrals(database);
  }

  /**
   * Whether the task waits in the triggerer: a {@code sensor} whose {@code mode} is {@code defer}
   * or absent. The parser allows only a literal mode, so the scheduler can tell without rendering.
   */
  static boolean defersToTriggerer(Task task) {
    if (!SENSOR_OPERATOR.equals(task.operator())) {
      return false;
    }
    Object mode = task.args().get("mode");
    return mode == null
        || (mode instanceof String m && m.strip().equalsIgnoreCase(SensorMode.DEFER.id()));
  }

  /**
   * Defers instance {@code id} of {@code task} if it is a defer-mode sensor just made {@code to}
   * scheduled; true when it was deferred now.
   */
  boolean deferIfSensor(long id, Task task, TaskInstanceState to, Instant now) {
    return to == TaskInstanceState.SCHEDULED
        && defersToTriggerer(task)
        && deferrals.deferScheduled(id, TriggerKinds.SENSOR, "{}", null, now);
  }
}
