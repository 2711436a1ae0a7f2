package io.updraft.ui;

import io.javalin.http.Context;
import io.updraft.UpdraftException;
import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.scheduler.TaskOrder;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceGrid;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /dags/{dag_id}/grid}: the newest runs ({@code ?runs=N}, 25 by default, at most 100) × the
 * DAG's tasks in its order (upstream before downstream), each cell a task instance coloured by its
 * state and linking to its page. Three queries whatever the size: the DAG, its runs, and every task
 * instance of those runs at once ({@link TaskInstanceGrid}). {@code ?run_id=} selects a run (and
 * {@code &task_id=} a task instance of it) for the actions under the grid.
 */
final class GridPage {
  static final int DEFAULT_RUNS = 25;
  static final int MAX_RUNS = 100;

  /** Which state a mapped task's cell shows: the first of these any of its instances has. */
  private static final List<TaskInstanceState> SUMMARY_ORDER =
      List.of(
          TaskInstanceState.FAILED,
          TaskInstanceState.UPSTREAM_FAILED,
          TaskInstanceState.UP_FOR_RETRY,
          TaskInstanceState.UP_FOR_RESCHEDULE,
          TaskInstanceState.RUNNING,
          TaskInstanceState.DEFERRED,
          TaskInstanceState.RESTARTING,
          TaskInstanceState.QUEUED,
          TaskInstanceState.SCHEDULED,
          TaskInstanceState.NONE,
          TaskInstanceState.SKIPPED,
          TaskInstanceState.REMOVED,
          TaskInstanceState.SUCCESS);

  private GridPage() {}

  static List<Page> pages(Ui ui) {
    return List.of(Page.get("/dags/{dag_id}/grid", Role.VIEWER, (ctx, session) -> grid(ui, ctx)));
  }

  private static View grid(Ui ui, Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    int runCount = runCount(ctx.queryParam("runs"));
    DagRow dagRow =
        new DagRepository(ui.db())
            .get(dagId)
            .orElseThrow(() -> ApiException.notFound("no DAG '" + dagId + "'"));
    Dag dag = latest(ui, dagId, ui.clock().instant());
    List<DagRunRow> runs = new ArrayList<>(new DagRunRepository(ui.db()).list(dagId, runCount));
    java.util.Collections.reverse(runs);
    List<TaskInstanceGrid.Cell> cells =
        new TaskInstanceGrid(ui.db()).cells(dagId, runs.stream().map(DagRunRow::runId).toList());

    // task_id -> run_id -> its instances
    Map<String, Map<String, List<TaskInstanceGrid.Cell>>> byTask = new HashMap<>();
    for (TaskInstanceGrid.Cell c : cells) {
      byTask
          .computeIfAbsent(c.taskId(), k -> new HashMap<>())
          .computeIfAbsent(c.runId(), k -> new ArrayList<>(1))
          .add(c);
    }
    Set<String> inDag = new LinkedHashSet<>(dag == null ? List.of() : TaskOrder.taskIds(dag));
    Set<String> removed = new TreeSet<>(byTask.keySet());
    removed.removeAll(inDag);

    String base = "/dags/" + enc(dagId);
    List<GridRun> columns = new ArrayList<>(runs.size());
    for (DagRunRow r : runs) {
      columns.add(
          new GridRun(
              r.runId(),
              r.state().id(),
              Times.show(r.logicalDate() != null ? r.logicalDate() : r.runAfter()),
              r.runType().id(),
              base + "/runs/" + enc(r.runId()),
              base + "/grid?runs=" + runCount + "&run_id=" + enc(r.runId())));
    }
    List<GridRow> rows = new ArrayList<>(inDag.size() + removed.size());
    for (String taskId : inDag) {
      rows.add(row(base, taskId, false, runs, byTask.get(taskId)));
    }
    for (String taskId : removed) {
      rows.add(row(base, taskId, true, runs, byTask.get(taskId)));
    }

    Map<String, Object> model = new HashMap<>();
    model.put("dagId", dagId);
    model.put("paused", dagRow.paused());
    model.put("schedule", dagRow.timetableSummary() == null ? "None" : dagRow.timetableSummary());
    model.put("runs", columns);
    model.put("rows", rows);
    model.put("runCount", runCount);
    model.put("parsed", dag != null);
    model.put("next", ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
    String selectedRun = DagListPage.trimmed(ctx.queryParam("run_id"));
    String selectedTask = DagListPage.trimmed(ctx.queryParam("task_id"));
    if (selectedRun.isEmpty() && !runs.isEmpty()) {
      selectedRun = runs.get(runs.size() - 1).runId();
    }
    String runId = selectedRun;
    boolean known = runs.stream().anyMatch(r -> r.runId().equals(runId));
    model.put("selectedRun", known ? runId : "");
    model.put("selectedTask", known && inDag.contains(selectedTask) ? selectedTask : "");
    model.put("mapIndex", -1);
    return View.of("grid", model);
  }

  private static GridRow row(
      String base,
      String taskId,
      boolean removed,
      List<DagRunRow> runs,
      Map<String, List<TaskInstanceGrid.Cell>> byRun) {
    List<GridCell> out = new ArrayList<>(runs.size());
    for (DagRunRow r : runs) {
      List<TaskInstanceGrid.Cell> tis = byRun == null ? null : byRun.get(r.runId());
      if (tis == null || tis.isEmpty()) {
        out.add(new GridCell("", "", "", "", 0));
        continue;
      }
      String href = base + "/runs/" + enc(r.runId()) + "/tasks/" + enc(taskId);
      List<TaskInstanceGrid.Cell> mapped = tis.stream().filter(c -> c.mapIndex() >= 0).toList();
      if (mapped.isEmpty()) {
        TaskInstanceGrid.Cell c = tis.get(0);
        out.add(
            new GridCell(
                c.state().id(),
                r.runId() + "|" + taskId + "|" + c.mapIndex(),
                href,
                c.state().id(),
                0));
      } else {
        TaskInstanceState summary = summary(mapped);
        out.add(new GridCell(summary.id(), "", href, mapped.size() + " mapped", mapped.size()));
      }
    }
    return new GridRow(taskId, removed, out);
  }

  private static TaskInstanceState summary(List<TaskInstanceGrid.Cell> tis) {
    Set<TaskInstanceState> states = new java.util.HashSet<>();
    tis.forEach(c -> states.add(c.state()));
    return SUMMARY_ORDER.stream().filter(states::contains).findFirst().orElse(tis.get(0).state());
  }

  /** The DAG's newest version, or null when it was never parsed (its runs still show). */
  private static Dag latest(Ui ui, String dagId, java.time.Instant now) {
    String hash = ui.versions().latestHash(dagId, now);
    try {
      return hash == null ? null : ui.versions().get(dagId, hash);
    } catch (UpdraftException e) {
      return null;
    }
  }

  private static int runCount(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_RUNS;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_RUNS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest(
        "runs must be a whole number from 1 to " + MAX_RUNS + ", not '" + raw + "'");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
