package io.updraft.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.LayeredLayoutProvider;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * The only class that touches Eclipse ELK: it builds ELK's graph from plain boxes and edges, runs
 * the layered algorithm (left to right, orthogonal edges) and reads the positions back. Nothing
 * refers to it until a graph is first laid out, so ELK is loaded lazily.
 */
final class ElkLayout {
  private ElkLayout() {}

  record Node(String id, double width, double height) {}

  record Edge(String from, String to) {}

  record Placed(String id, double x, double y, double width, double height) {}

  /**
   * @param points x0, y0, x1, y1, …: the start, the bend points, the end
   */
  record Routed(String from, String to, double[] points) {}

  record Result(double width, double height, List<Placed> nodes, List<Routed> edges) {}

  static final double SPACING = 24;

  static {
    // ELK's options and the copy rules of their types are known once its metadata is registered
    LayoutMetaDataService.getInstance()
        .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  static Result layout(List<Node> nodes, List<Edge> edges) {
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, SPACING);
    root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(12));
    Map<String, ElkNode> byId = new HashMap<>();
    for (Node n : nodes) {
      ElkNode e = ElkGraphUtil.createNode(root);
      e.setIdentifier(n.id());
      e.setDimensions(n.width(), n.height());
      byId.put(n.id(), e);
    }
    List<ElkEdge> elkEdges = new ArrayList<>();
    for (Edge e : edges) {
      elkEdges.add(ElkGraphUtil.createSimpleEdge(byId.get(e.from()), byId.get(e.to())));
    }
    new LayeredLayoutProvider().layout(root, new BasicProgressMonitor());
    List<Placed> placed = new ArrayList<>();
    for (Node n : nodes) {
      ElkNode e = byId.get(n.id());
      placed.add(new Placed(n.id(), e.getX(), e.getY(), e.getWidth(), e.getHeight()));
    }
    List<Routed> routed = new ArrayList<>();
    for (int i = 0; i < edges.size(); i++) {
      ElkEdge e = elkEdges.get(i);
      List<Double> pts = new ArrayList<>();
      for (ElkEdgeSection s : e.getSections()) {
        pts.add(s.getStartX());
        pts.add(s.getStartY());
        for (ElkBendPoint b : s.getBendPoints()) {
          pts.add(b.getX());
          pts.add(b.getY());
        }
        pts.add(s.getEndX());
        pts.add(s.getEndY());
      }
      double[] arr = new double[pts.size()];
      for (int k = 0; k < arr.length; k++) {
        arr[k] = pts.get(k);
      }
      routed.add(new Routed(edges.get(i).from(), edges.get(i).to(), arr));
    }
    return new Result(root.getWidth(), root.getHeight(), placed, routed);
  }
}
