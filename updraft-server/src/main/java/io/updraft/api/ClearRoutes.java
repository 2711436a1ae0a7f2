package io.updraft.api;

import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Clearing through the API: {@code POST /dags/{dag_id}/clearTaskInstances} and {@code POST
 * .../dagRuns/{dag_run_id}/clear}, both through {@link DagActions#clear}, the code {@code tasks
 * clear} runs. As Airflow's, both are dry runs unless the body says {@code "dry_run": false}.
 */
final class ClearRoutes {
  private ClearRoutes() {}

  /**
   * Airflow 3's {@code ClearTaskInstancesBody}. {@code include_past}/{@code include_future} are
   * accepted only as false: a clear is of one run or a date range here.
   */
  public record ClearTaskInstancesBody(
      Boolean dryRun,
      List<String> taskIds,
      String dagRunId,
      Boolean includeUpstream,
      Boolean includeDownstream,
      Boolean onlyFailed,
      Boolean onlyRunning,
      String startDate,
      String endDate,
      Boolean resetDagRuns,
      Boolean includePast,
      Boolean includeFuture) {
    public ClearTaskInstancesBody {
      if (Boolean.TRUE.equals(includePast) || Boolean.TRUE.equals(includeFuture)) {
        throw ApiException.unprocessable(
            "include_past/include_future: not supported; give start_date and end_date instead");
      }
      if (taskIds != null) {
        for (int i = 0; i < taskIds.size(); i++) {
          if (taskIds.get(i) == null || taskIds.get(i).isBlank()) {
            throw ApiException.unprocessable("task_ids[" + i + "]: must be a task_id");
          }
        }
      }
      if (dagRunId != null && (startDate != null || endDate != null)) {
        throw ApiException.unprocessable(
            "dag_run_id: give either a run or start_date/end_date, not both");
      }
      Instant from = startDate == null ? null : Params.instant("start_date", startDate);
      Instant to = endDate == null ? null : Params.instant("end_date", endDate);
      if (from != null && to != null && from.isAfter(to)) {
        throw ApiException.unprocessable("start_date: after end_date");
      }
    }
  }

  /** Airflow 3's {@code DAGRunClearBody}. */
  public record DagRunClearBody(Boolean dryRun, Boolean onlyFailed) {}

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.post(
            "/api/v2/dags/{dag_id}/clearTaskInstances",
            Role.USER,
            "Clear task instances",
            ClearTaskInstancesBody.class,
            TaskInstanceRoutes.TaskInstanceCollection.class,
            (ctx, caller) -> {
              String dagId = ctx.pathParam("dag_id");
              ClearTaskInstancesBody body = Bodies.read(ctx, ClearTaskInstancesBody.class);
              DagRoutes.require(db, dagId);
              if (body.dagRunId() != null) {
                DagRunRoutes.require(db, dagId, body.dagRunId());
              }
              DagActions.ClearSpec spec =
                  new DagActions.ClearSpec(
                      body.dagRunId(),
                      body.taskIds(),
                      Boolean.TRUE.equals(body.includeUpstream()),
                      Boolean.TRUE.equals(body.includeDownstream()),
                      Boolean.TRUE.equals(body.onlyFailed()),
                      Boolean.TRUE.equals(body.onlyRunning()),
                      body.startDate() == null
                          ? null
                          : Params.instant("start_date", body.startDate()),
                      body.endDate() == null ? null : Params.instant("end_date", body.endDate()));
              ClearTasks.Report report =
                  DagActions.clear(
                      db,
                      dagId,
                      spec,
                      !Boolean.FALSE.equals(body.resetDagRuns()),
                      !Boolean.FALSE.equals(body.dryRun()),
                      caller.username(),
                      clock.instant());
              return collection(db, dagId, report.instances());
            }),
        Route.post(
            "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/clear",
            Role.USER,
            "Clear a run",
            DagRunClearBody.class,
            Object.class,
            (ctx, caller) -> {
              DagRunClearBody body = Bodies.read(ctx, DagRunClearBody.class);
              DagRunRow run =
                  DagRunRoutes.require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
              boolean dryRun = !Boolean.FALSE.equals(body.dryRun());
              ClearTasks.Report report =
                  DagActions.clear(
                      db,
                      run.dagId(),
                      new DagActions.ClearSpec(
                          run.runId(),
                          null,
                          false,
                          false,
                          Boolean.TRUE.equals(body.onlyFailed()),
                          false,
                          null,
                          null),
                      true,
                      dryRun,
                      caller.username(),
                      clock.instant());
              if (dryRun) {
                return collection(db, run.dagId(), report.instances());
              }
              return DagRunRoutes.response(DagRunRoutes.require(db, run.dagId(), run.runId()));
            }));
  }

  private static TaskInstanceRoutes.TaskInstanceCollection collection(
      Database db, String dagId, List<ClearTasks.Instance> instances) {
    List<TaskInstanceRoutes.TaskInstanceResponse> out =
        TaskInstanceRoutes.responses(db, dagId, instances);
    return new TaskInstanceRoutes.TaskInstanceCollection(out, out.size());
  }
}
