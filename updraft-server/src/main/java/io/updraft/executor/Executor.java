package io.updraft.executor;

import io.updraft.store.TaskInstanceRow;
import java.util.List;

/**
 * Runs queued task instances (DESIGN: queue, sync, heartbeat, adopt, end). An executor takes at
 * most {@link #openSlots()} more instances; whoever runs a try records its outcome in the metadata
 * database and signals the scheduler.
 */
public interface Executor extends AutoCloseable {
  /** How many more task instances it takes now (parallelism minus what it runs). */
  int openSlots();

  /** Hands over task instances the scheduler just marked queued. */
  void queue(List<TaskInstanceRow> taskInstances);

  /** Stops taking work and waits for what runs to end. */
  @Override
  void close();
}
