package io.updraft.worker;

import java.time.Instant;
import java.util.Objects;

/**
 * A try that ends without finishing its task instance: a {@code reschedule} sensor whose condition
 * does not hold yet, or a task that hands its wait to the triggerer. The supervisor records it
 * instead of a success or failure.
 */
public sealed interface Pause {

  /**
   * Running to {@code up_for_reschedule} until {@code at}; the try number is kept and a {@code
   * task_reschedule} row records the check.
   */
  record Reschedule(Instant at) implements Pause {
    public Reschedule {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * Running to {@code deferred}, with a trigger of {@code kind} holding {@code kwargsJson} (see
   * {@link io.updraft.sensors.TriggerKinds}); the triggerer ends the task instance.
   *
   * @param timeoutAt when the wait gives up (the task instance's {@code trigger_timeout}); null:
   *     never
   */
  record Defer(String kind, String kwargsJson, Instant timeoutAt) implements Pause {
    public Defer {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(kwargsJson, "kwargsJson");
    }
  }
}
