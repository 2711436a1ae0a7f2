package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagActions;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a User does to a run or a task instance from the grid and run pages: clear (with a preview
 * of what would be cleared first, as Airflow's confirm dialog), mark success or failed, delete a
 * run (confirmed first). All through {@link DagActions}, the code behind the CLI and the REST API,
 * which audits each change with the signed-in user. A POST without {@code confirmed=true} only
 * previews (clear) or asks (delete); marking needs no confirmation.
 */
final class RunActionPages {
  private static final String RUN = "/dags/{dag_id}/runs/{run_id}";
  private static final String TI = RUN + "/tasks/{task_id}";

  private RunActionPages() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.post(RUN + "/clear", Role.USER, (ctx, s) -> clear(ui, ctx, s, false)),
        Page.post(TI + "/clear", Role.USER, (ctx, s) -> clear(ui, ctx, s, true)),
        Page.post(RUN + "/mark", Role.USER, (ctx, s) -> markRun(ui, ctx, s)),
        Page.post(TI + "/mark", Role.USER, (ctx, s) -> markTaskInstance(ui, ctx, s)),
        Page.post(RUN + "/delete", Role.USER, (ctx, s) -> delete(ui, ctx, s)));
  }

  private static View clear(Ui ui, Context ctx, Session session, boolean oneTask) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    String taskId = oneTask ? ctx.pathParam("task_id") : null;
    boolean upstream = oneTask && flag(ctx, "upstream");
    boolean downstream = oneTask && flag(ctx, "downstream");
    boolean onlyFailed = flag(ctx, "only_failed");
    DagActions.ClearSpec spec =
        new DagActions.ClearSpec(
            runId,
            taskId == null ? null : List.of(taskId),
            upstream,
            downstream,
            onlyFailed,
            false,
            null,
            null);
    boolean confirmed = flag(ctx, "confirmed");
    Instant now = ui.clock().instant();
    List<ClearTasks.Instance> instances =
        DagActions.clear(ui.db(), dagId, spec, !confirmed, session.username(), now);
    if (confirmed) {
      return back(ctx, dagId);
    }
    Map<String, Object> model = new HashMap<>();
    model.put("dagId", dagId);
    model.put("runId", runId);
    model.put("taskId", taskId == null ? "" : taskId);
    model.put("upstream", upstream);
    model.put("downstream", downstream);
    model.put("onlyFailed", onlyFailed);
    model.put("next", next(ctx, dagId));
    model.put("action", ctx.path());
    model.put(
        "instances",
        instances.stream()
            .map(i -> new ClearedItem(i.runId(), i.taskId(), i.mapIndex(), i.previous().id()))
            .toList());
    return View.of("clear_confirm", model);
  }

  private static View markRun(Ui ui, Context ctx, Session session) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    DagRunState state = markState(ctx, DagRunState.SUCCESS, DagRunState.FAILED);
    if (!DagActions.markRun(
        ui.db(), dagId, runId, state, session.username(), ui.clock().instant())) {
      throw ApiException.notFound("DAG '" + dagId + "' has no run '" + runId + "'");
    }
    return back(ctx, dagId);
  }

  private static View markTaskInstance(Ui ui, Context ctx, Session session) {
    String dagId = ctx.pathParam("dag_id");
    TaskInstanceState state = markState(ctx, TaskInstanceState.SUCCESS, TaskInstanceState.FAILED);
    DagActions.markTaskInstance(
        ui.db(),
        dagId,
        ctx.pathParam("run_id"),
        ctx.pathParam("task_id"),
        mapIndex(ctx.formParam("map_index")),
        state,
        flag(ctx, "upstream"),
        flag(ctx, "downstream"),
        false,
        session.username(),
        ui.clock().instant());
    return back(ctx, dagId);
  }

  private static View delete(Ui ui, Context ctx, Session session) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    if (!flag(ctx, "confirmed")) {
      if (new io.updraft.store.DagRunRepository(ui.db()).get(dagId, runId).isEmpty()) {
        throw ApiException.notFound("DAG '" + dagId + "' has no run '" + runId + "'");
      }
      Map<String, Object> model = new HashMap<>();
      model.put("dagId", dagId);
      model.put("runId", runId);
      model.put("action", ctx.path());
      model.put("next", "/dags/" + GridPage.enc(dagId) + "/grid");
      return View.of("delete_confirm", model);
    }
    if (!DagActions.deleteRun(ui.db(), dagId, runId, session.username(), ui.clock().instant())) {
      throw ApiException.notFound("DAG '" + dagId + "' has no run '" + runId + "'");
    }
    ctx.redirect("/dags/" + GridPage.enc(dagId) + "/grid", HttpStatus.SEE_OTHER);
    return null;
  }

  @SafeVarargs
  private static <S extends Enum<S>> S markState(Context ctx, S... allowed) {
    String raw = DagListPage.trimmed(ctx.formParam("state"));
    for (S s : allowed) {
      if (s.name().equalsIgnoreCase(raw)) {
        return s;
      }
    }
    throw ApiException.badRequest("state must be success or failed, not '" + raw + "'");
  }

  private static int mapIndex(String raw) {
    if (raw == null || raw.isBlank()) {
      return -1;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= -1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("map_index must be a whole number from -1, not '" + raw + "'");
  }

  private static boolean flag(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v != null && (v.equals("true") || v.equals("on"));
  }

  private static String next(Context ctx, String dagId) {
    String next = ctx.formParam("next");
    return next == null ? "/dags/" + GridPage.enc(dagId) + "/grid" : WebUi.localPath(next);
  }

  private static View back(Context ctx, String dagId) {
    ctx.redirect(next(ctx, dagId), HttpStatus.SEE_OTHER);
    return null;
  }
}
