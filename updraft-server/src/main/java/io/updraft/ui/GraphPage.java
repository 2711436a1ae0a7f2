package io.updraft.ui;

import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dags/{dag_id}/graph}: the DAG as a graph laid out by ELK ({@link GraphLayout}), drawn as
 * inline SVG; each task's box shows the state of its instance in the chosen run ({@code ?run_id=},
 * the newest by default) and carries {@code data-ti}, so the live feed recolours it.
 */
final class GraphPage {
  /** Longer task_ids are cut in the box (the whole id is in its tooltip). */
  static final int SHOWN_CHARS = 32;

  /** How many recent runs the run picker offers. */
  static final int RUNS_OFFERED = 25;

  private GraphPage() {}

  /** A task's box with the state of its instance in the chosen run. */
  public record Node(GraphLayout.Box box, String label, String state, String ti) {}

  static List<Page> pages(Ui ui) {
    Lookup find = new Lookup(ui);
    GraphLayout layouts = new GraphLayout();
    return List.of(
        Page.get(
            "/dags/{dag_id}/graph",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              List<DagRunRow> runs = new DagRunRepository(ui.db()).list(dag.dagId(), RUNS_OFFERED);
              String runId = ctx.queryParam("run_id");
              DagRunRow run =
                  runId != null && !runId.isEmpty()
                      ? find.run(dag.dagId(), runId)
                      : runs.isEmpty() ? null : runs.get(0);
              String hash = find.hash(dag.dagId(), run);
              Dag version = find.dag(dag.dagId(), hash);
              GraphLayout.Layout layout = layouts.of(version, hash);
              Map<String, TaskInstanceRow> tis = new HashMap<>();
              if (run != null) {
                for (TaskInstanceRow t : find.instances(dag.dagId(), run.runId())) {
                  tis.merge(t.taskId(), t, (a, b) -> a.mapIndex() <= b.mapIndex() ? a : b);
                }
              }
              List<Node> nodes = new ArrayList<>();
              for (GraphLayout.Box b : layout.boxes()) {
                TaskInstanceRow t = tis.get(b.taskId());
                nodes.add(
                    new Node(
                        b,
                        shown(b.taskId()),
                        t == null ? "none" : t.state().id(),
                        t == null ? "" : t.runId() + "|" + t.taskId() + "|" + t.mapIndex()));
              }
              Map<String, Object> model = new HashMap<>();
              model.put("dag", dag);
              model.put("runs", runs);
              model.put("run", run);
              model.put("layout", layout);
              model.put("nodes", nodes);
              return View.of("graph", model);
            }));
  }

  /** A task_id as its box shows it: cut to {@value #SHOWN_CHARS} characters. */
  static String shown(String taskId) {
    return taskId.length() <= SHOWN_CHARS ? taskId : taskId.substring(0, SHOWN_CHARS - 1) + "…";
  }
}
