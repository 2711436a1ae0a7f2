package io.updraft.ui;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a DAG's tasks and edges go on its graph page, computed by Eclipse ELK's layered algorithm
 * ({@link ElkLayout}) — left to right, upstream before downstream, edges with ELK's bend points. A
 * layout depends only on the DAG's version, so it is kept per (dag_id, version hash); ELK's classes
 * are loaded the first time a graph is laid out, not when the server starts.
 */
public final class GraphLayout {

  /** A task's box: its top-left corner and size, in SVG units. */
  public record Box(
      String taskId, String operator, double x, double y, double width, double height) {}

  /**
   * An edge from {@code from} to {@code to}, as an SVG path ({@code M x y L x y …}: the start,
   * ELK's bend points, the end); only numbers, never an id.
   */
  public record Line(String from, String to, String path) {}

  /** The whole drawing: its size and every box and edge. */
  public record Layout(double width, double height, List<Box> boxes, List<Line> lines) {}

  static final double BOX_HEIGHT = 44;
  static final double MIN_WIDTH = 90;
  static final double MAX_WIDTH = 260;
  static final int MAX_KEPT = 256;

  private final Map<String, Layout> kept =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Layout> eldest) {
          return size() > MAX_KEPT;
        }
      };

  /** The layout of a DAG's version, computed once per (dag_id, hash). */
  Layout of(Dag dag, String hash) {
    String key = dag.dagId() + "\0" + hash;
    synchronized (kept) {
      Layout l = kept.get(key);
      if (l != null) {
        return l;
      }
    }
    Layout l = compute(dag);
    synchronized (kept) {
      kept.put(key, l);
    }
    return l;
  }

  /** Lays a DAG out (no cache). */
  static Layout compute(Dag dag) {
    List<ElkLayout.Node> nodes = new ArrayList<>();
    List<ElkLayout.Edge> edges = new ArrayList<>();
    for (Task t : dag.tasks()) {
      nodes.add(new ElkLayout.Node(t.taskId(), width(t), BOX_HEIGHT));
      for (String up : t.upstream()) {
        if (dag.task(up).isPresent()) {
          edges.add(new ElkLayout.Edge(up, t.taskId()));
        }
      }
    }
    ElkLayout.Result r = ElkLayout.layout(nodes, edges);
    Map<String, Task> byId = dag.tasksById();
    List<Box> boxes = new ArrayList<>();
    for (ElkLayout.Placed p : r.nodes()) {
      boxes.add(new Box(p.id(), byId.get(p.id()).operator(), p.x(), p.y(), p.width(), p.height()));
    }
    List<Line> lines = new ArrayList<>();
    for (ElkLayout.Routed e : r.edges()) {
      StringBuilder path = new StringBuilder();
      double[] pts = e.points();
      for (int i = 0; i < pts.length; i += 2) {
        path.append(i == 0 ? "M" : " L").append(num(pts[i])).append(' ').append(num(pts[i + 1]));
      }
      lines.add(new Line(e.from(), e.to(), path.toString()));
    }
    return new Layout(r.width(), r.height(), List.copyOf(boxes), List.copyOf(lines));
  }

  /** Wide enough for the longer of the task_id and operator as shown (long ones are cut). */
  private static double width(Task t) {
    int chars = Math.max(GraphPage.shown(t.taskId()).length(), t.operator().length());
    return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, chars * 7.5 + 24));
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format("%.1f", d);
  }
}
