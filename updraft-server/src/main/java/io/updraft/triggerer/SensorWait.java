package io.updraft.triggerer;

import io.updraft.dag.Task;
import io.updraft.sensors.CheckEnv;
import io.updraft.sensors.Condition;
import io.updraft.sensors.SensorSpec;
import io.updraft.store.TaskInstanceDeferrals;
import java.time.Instant;
import java.util.List;

/**
 * One trigger the triggerer holds: the deferred try it belongs to, what it waits for, and where its
 * wait stands — when it checks next, how many checks it made, how many rounds in a row errored, and
 * what the last check found (a check is logged only when that changes). At most one check of a wait
 * runs at a time ({@link #inFlight}); the loop reads the schedule, the check's thread writes it,
 * under the wait's lock.
 */
final class SensorWait {
  private final TaskInstanceDeferrals.Deferred ti;
  private final Task task;
  private final Instant logicalDate;
  private final SensorSpec spec;
  private final CheckEnv env;
  private final WaitLog log;
  private final boolean watchesExternal;

  private Instant timeoutAt;
  private Instant nextCheckAt;
  private int checksDone;
  private int consecutiveErrors;
  private String lastFound;
  private boolean inFlight;
  private boolean ended;

  SensorWait(
      TaskInstanceDeferrals.Deferred ti,
      Task task,
      Instant logicalDate,
      SensorSpec spec,
      CheckEnv env,
      WaitLog log,
      Instant firstCheckAt) {
    this.ti = ti;
    this.task = task;
    this.logicalDate = logicalDate;
    this.spec = spec;
    this.env = env;
    this.log = log;
    this.timeoutAt = ti.timeoutAt();
    this.nextCheckAt = firstCheckAt;
    this.watchesExternal =
        spec.conditions().stream().anyMatch(c -> c instanceof Condition.ExternalTask);
  }

  TaskInstanceDeferrals.Deferred ti() {
    return ti;
  }

  long triggerId() {
    return ti.triggerId();
  }

  Task task() {
    return task;
  }

  Instant logicalDate() {
    return logicalDate;
  }

  SensorSpec spec() {
    return spec;
  }

  CheckEnv env() {
    return env;
  }

  WaitLog log() {
    return log;
  }

  /** Whether a change elsewhere in the installation (a task ended) may make it hold. */
  boolean watchesExternal() {
    return watchesExternal;
  }

  List<Condition.ExternalTask> externalConditions() {
    return spec.conditions().stream()
        .filter(c -> c instanceof Condition.ExternalTask)
        .map(c -> (Condition.ExternalTask) c)
        .toList();
  }

  /** Claims the next check if it is due (or {@code early}) and none is running. */
  synchronized boolean startCheck(Instant now, boolean early) {
    if (inFlight || ended || (!early && now.isBefore(nextCheckAt))) {
      return false;
    }
    inFlight = true;
    return true;
  }

  /** When the next check is due; null while one runs or after the end. */
  synchronized Instant nextCheckAt() {
    return inFlight || ended ? null : nextCheckAt;
  }

  synchronized Instant timeoutAt() {
    return timeoutAt;
  }

  /** The first check sets the timeout: first check + {@code timeout} (SPEC §1.9). */
  synchronized boolean needsTimeout() {
    return timeoutAt == null;
  }

  synchronized void timeoutSet(Instant at) {
    timeoutAt = at;
  }

  /**
   * Records a check that did not end the wait.
   *
   * @param scheduled a check at its due time (it moves the schedule on); an early one (woken by a
   *     change) leaves the schedule as it was
   * @return the consecutive error rounds so far
   */
  synchronized int checked(boolean error, boolean scheduled, Instant next) {
    consecutiveErrors = error ? consecutiveErrors + 1 : 0;
    if (scheduled) {
      checksDone++;
      nextCheckAt = timeoutAt != null && timeoutAt.isBefore(next) ? timeoutAt : next;
    }
    inFlight = false;
    return consecutiveErrors;
  }

  synchronized int checksDone() {
    return checksDone;
  }

  /** Whether {@code found} differs from the last check's finding (and remembers it). */
  synchronized boolean changed(String found) {
    if (found.equals(lastFound)) {
      return false;
    }
    lastFound = found;
    return true;
  }

  synchronized void ended() {
    ended = true;
    inFlight = false;
  }

  /** A check that could not finish (the triggerer is stopping): due again at once. */
  synchronized void abandoned() {
    inFlight = false;
  }

  synchronized boolean isEnded() {
    return ended;
  }
}
