package io.updraft.executor;

import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceClaims;
import io.updraft.store.TaskInstanceRow;
import java.util.List;

/**
 * {@code core.executor: remote}: runs nothing itself. Queued task instances wait in the metadata
 * database for an {@code updraft worker} of their queue, which claims them through the API server's
 * execution endpoints (decisions/0148); {@link #queue} only tells the API servers that there is
 * work (PostgreSQL {@code NOTIFY}; elsewhere they poll briefly).
 *
 * <p>{@code core.parallelism} still holds (decisions/0150): this scheduler queues no more while the
 * task instances it queued and that are still queued or running on some worker number {@code
 * parallelism}. Pools and the DAG and task limits are the scheduler's critical section's, as with
 * the local executor: they count queued and running instances of the whole installation, so they
 * hold across every worker.
 */
public final class RemoteExecutor implements Executor {
  private final TaskInstanceClaims claims;
  private final long jobId;
  private final int parallelism;
  private final Runnable announce;

  /**
   * @param jobId the scheduler's job: the task instances it queued are counted against {@code
   *     parallelism}
   */
  public RemoteExecutor(Database db, long jobId, int parallelism) {
    this.claims = new TaskInstanceClaims(db);
    this.jobId = jobId;
    this.parallelism = parallelism;
    this.announce = ChangeSignals.queued(db);
  }

  @Override
  public int openSlots() {
    return Math.max(0, parallelism - claims.activeOfJob(jobId));
  }

  @Override
  public void queue(List<TaskInstanceRow> taskInstances) {
    if (!taskInstances.isEmpty()) {
      announce.run();
    }
  }

  /** Nothing runs here: what workers run goes on, and their heartbeats keep it alive. */
  @Override
  public void close() {}
}
