package io.updraft.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.store.ChangeSignals;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.worker.operators.DagRuns;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code trigger_dag}'s view of the metadata database: a run is created by {@link
 * ManualRuns#trigger}, the code behind {@code updraft dags trigger} (run_id rule, data interval,
 * task instances), recorded in the audit log as a trigger by the task, and announced to schedulers
 * in other processes.
 */
public final class DatabaseDagRuns implements DagRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;

  public DatabaseDagRuns(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String trigger(String dagId, Instant logicalDate, String runId, Map<String, Object> conf) {
    String confJson;
    try {
      confJson = conf == null || conf.isEmpty() ? null : JSON.writeValueAsString(conf);
    } catch (JsonProcessingException e) {
      throw new UpdraftException("conf cannot be written as JSON: " + e.getOriginalMessage());
    }
    Instant now = clock.instant();
    DagVersions.Versioned latest = new DagVersions(new SerializedDagRepository(db)).latest(dagId);
    DagRunRow run = ManualRuns.trigger(db, latest, logicalDate, runId, confJson, now);
    new LogRepository(db).record("trigger", dagId, null, run.runId(), "trigger_dag", confJson, now);
    ChangeSignals.announce(db);
    return run.runId();
  }

  @Override
  public Optional<String> state(String dagId, String runId) {
    return new DagRunRepository(db).get(dagId, runId).map(r -> r.state().id());
  }
}
