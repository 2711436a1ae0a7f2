package io.updraft.callbacks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.VariableLookup;
import io.updraft.dag.Dag;
import io.updraft.dag.Notifier;
import io.updraft.dag.Task;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.timetable.DataInterval;
import io.updraft.worker.template.TemplateContext;
import io.updraft.worker.template.TemplateRenderer;
import io.updraft.worker.template.TryContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a callback's notifier with the context of its task's try (Airflow's names: {@code ds},
 * {@code ti}, {@code dag_run}, {@code params}...) plus {@code reason} (what happened: {@code
 * failed}, {@code up_for_retry}, {@code success}, {@code skipped}, {@code running}, {@code deadline
 * missed}) and {@code exception} (the failure's message, or empty). A run's callbacks render with
 * the run's context, {@code task_id} empty.
 */
public final class CallbackContexts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final DagRunRepository runs;
  private final DagLookup versions;
  private final TemplateRenderer renderer = new TemplateRenderer();

  /** The DAG version a run executes (the scheduler's DagVersions cache, in production). */
  @FunctionalInterface
  public interface DagLookup {
    Dag get(String dagId, String hash);
  }

  CallbackContexts(DagRunRepository runs, DagLookup versions) {
    this.runs = runs;
    this.versions = versions;
  }

  /**
   * The notifier of {@code row} with its templates rendered; {@code conn.*} and {@code var.*} read
   * through the given lookups.
   */
  Notifier render(CallbackRow row, ConnectionLookup connections, VariableLookup variables) {
    Notifier notifier = NotifierJson.read(row.notifierJson()).get(0);
    DagRunRow run =
        runs.get(row.dagId(), row.runId())
            .orElseThrow(
                () ->
                    new NotifierFailure(
                        "run " + row.runId() + " of DAG " + row.dagId() + " no longer exists"));
    Dag dag = versions.get(run.dagId(), run.dagHash());
    Task task = row.taskId() == null ? null : dag.task(row.taskId()).orElse(null);
    String taskId = row.taskId() == null ? "" : row.taskId();
    TryContext tc =
        new TryContext(
            dag.dagId(),
            taskId,
            task == null ? "" : task.operator(),
            task == null ? "" : task.owner(),
            run.runId(),
            run.logicalDate() != null ? run.logicalDate() : run.runAfter(),
            run.dataIntervalStart() == null
                ? null
                : new DataInterval(run.dataIntervalStart(), run.dataIntervalEnd()),
            dag.params(),
            conf(run.conf()),
            Math.max(row.tryNumber(), 1),
            null,
            variables,
            null,
            null,
            connections);
    Map<String, Object> ctx = new LinkedHashMap<>(TemplateContext.of(tc));
    ctx.put("reason", reason(row.event()));
    ctx.put("exception", row.reason() == null ? "" : row.reason());
    ctx.put("event", row.event());
    Map<String, Object> rendered =
        renderer.renderArgs(
            row.event() + " callback of " + (taskId.isEmpty() ? row.dagId() : taskId),
            notifier.toMap(),
            ctx);
    return Notifier.parse(rendered);
  }

  static String reason(String event) {
    return switch (event) {
      case "on_failure" -> "failed";
      case "on_retry" -> "up_for_retry";
      case "on_success" -> "success";
      case "on_skipped" -> "skipped";
      case "on_execute" -> "running";
      case "deadline" -> "deadline missed";
      default -> event;
    };
  }

  private static Map<String, Object> conf(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, MAP);
    } catch (java.io.IOException e) {
      return Map.of();
    }
  }
}
