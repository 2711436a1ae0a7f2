package io.updraft.worker.operators;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata the {@code trigger_dag} operator needs: create a manual run of another DAG (the same
 * code as {@code updraft dags trigger}) and read a run's state. The worker's operators see only
 * this interface; the executor gives the implementation on the metadata database.
 */
public interface DagRuns {

  /**
   * Creates a queued manual run and tells the schedulers.
   *
   * @param runId null for {@code manual__<logical date>}
   * @return the run_id
   * @throws io.updraft.UpdraftException naming the problem: unknown DAG, a bad or taken run_id
   */
  String trigger(String dagId, Instant logicalDate, String runId, Map<String, Object> conf);

  /** The run's state ({@code queued}, {@code running}, {@code success}, ...); empty if none. */
  Optional<String> state(String dagId, String runId);

  /** For a worker without a metadata database: every call fails with a line saying so. */
  static DagRuns none() {
    return new DagRuns() {
      @Override
      public String trigger(
          String dagId, Instant logicalDate, String runId, Map<String, Object> c) {
        throw new io.updraft.UpdraftException(
            "there is no metadata database here to create the run in (tasks test runs without one)"
                + " — run the DAG with dags test, or under the scheduler");
      }

      @Override
      public Optional<String> state(String dagId, String runId) {
        throw new io.updraft.UpdraftException(
            "there is no metadata database here to read the run from");
      }
    };
  }
}
