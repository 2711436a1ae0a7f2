package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.api.Params;
import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dags/{dag_id}/runs}: a DAG's runs, newest first, a page at a time; and {@code
 * /dags/{dag_id}/runs/{run_id}}: one run — its state, dates, conf and data interval, and its task
 * instances in the DAG's order with their states, tries and durations.
 */
final class RunPages {
  static final int PAGE_SIZE = 50;

  private RunPages() {}

  /** A page of a list: which rows, and the offsets of the pages before and after (-1: none). */
  public record Paging(int offset, int limit, int total, int previous, int next) {
    static Paging of(int offset, int limit, int total) {
      return new Paging(
          offset,
          limit,
          total,
          offset == 0 ? -1 : Math.max(0, offset - limit),
          offset + limit < total ? offset + limit : -1);
    }

    public int first() {
      return total == 0 ? 0 : offset + 1;
    }

    public int last() {
      return Math.min(total, offset + limit);
    }
  }

  /** A task instance as the run page lists it. */
  public record Instance(TaskInstanceRow row, String duration, String ti) {}

  static List<Page> pages(Ui ui) {
    Lookup find = new Lookup(ui);
    return List.of(
        Page.get(
            "/dags/{dag_id}/runs",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              int offset = Params.integer(ctx, "offset", 0);
              if (offset < 0) {
                throw ApiException.badRequest("offset " + offset + " is negative");
              }
              DagRunRepository runs = new DagRunRepository(ui.db());
              int total = runs.count(dag.dagId());
              List<DagRunRow> rows = runs.page(dag.dagId(), "run_after", true, PAGE_SIZE, offset);
              Map<String, Object> model = new HashMap<>();
              model.put("dag", dag);
              model.put("runs", rows);
              model.put("paging", Paging.of(offset, PAGE_SIZE, total));
              model.put("pageBase", "/dags/" + Formats.url(dag.dagId()) + "/runs?");
              return View.of("runs", model);
            }),
        Page.get(
            "/dags/{dag_id}/runs/{run_id}",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              DagRunRow run = find.run(dag.dagId(), ctx.pathParam("run_id"));
              Dag version = find.dagOf(run);
              Map<String, Integer> order = new HashMap<>();
              List<Task> tasks = version.tasks();
              for (int i = 0; i < tasks.size(); i++) {
                order.put(tasks.get(i).taskId(), i);
              }
              List<Instance> instances = new ArrayList<>();
              for (TaskInstanceRow t : find.instances(dag.dagId(), run.runId())) {
                instances.add(
                    new Instance(
                        t,
                        Formats.duration(t.duration()),
                        t.runId() + "|" + t.taskId() + "|" + t.mapIndex()));
              }
              instances.sort(
                  Comparator.comparingInt(
                          (Instance i) -> order.getOrDefault(i.row().taskId(), Integer.MAX_VALUE))
                      .thenComparing(i -> i.row().taskId())
                      .thenComparingInt(i -> i.row().mapIndex()));
              Map<String, Object> model = new HashMap<>();
              model.put("dag", dag);
              model.put("run", run);
              model.put("conf", Formats.json(run.conf()));
              model.put("instances", instances);
              return View.of("run", model);
            }));
  }
}
