package io.updraft.worker.remote;

import io.updraft.worker.operators.DagRuns;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code trigger_dag}'s runs on a remote worker or in a pod: created through the API server's
 * execution endpoint with the try's task token, which runs the local operator's own code there (run
 * id rule, data interval, audit, schedulers told); a waiting {@code trigger_dag} defers to the
 * triggerer as it does locally.
 */
final class RemoteDagRuns implements DagRuns {
  private final ExecutionClient client;
  private final Supplier<String> token;

  RemoteDagRuns(ExecutionClient client, Supplier<String> token) {
    this.client = client;
    this.token = token;
  }

  @Override
  public String trigger(String dagId, Instant logicalDate, String runId, Map<String, Object> conf) {
    return client.triggerRun(token.get(), dagId, logicalDate, runId, conf);
  }

  @Override
  public Optional<String> state(String dagId, String runId) {
    return client.runState(token.get(), dagId, runId);
  }
}
