package io.updraft.dagproc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Where in a DAG file a validator path ({@code tasks[2].retries}) points, so that a problem found
 * on the built {@link io.updraft.dag.Dag} is reported at a line and column of the YAML.
 */
final class YamlPaths {
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  private final MappingNode root;
  private final Map<String, NodeTuple> defaultArgNodes;

  /** {@code defaultArgNodes}: the entries of default_args, where a task's unset keys came from. */
  YamlPaths(MappingNode root, Map<String, NodeTuple> defaultArgNodes) {
    this.root = root;
    this.defaultArgNodes = defaultArgNodes;
  }

  /**
   * The position a validator path points at: the key of a map entry, the item of a list. A task key
   * the task does not set points at default_args, where its value came from; a path that leads
   * nowhere points at the deepest node found, or at the DAG's dag_id.
   */
  Pos resolve(String path) {
    Node current = root;
    Node best = null;
    List<Object> segments = segments(path);
    for (int s = 0; s < segments.size(); s++) {
      Object seg = segments.get(s);
      if (seg instanceof Integer idx) {
        if (!(current instanceof SequenceNode seq) || idx >= seq.getValue().size()) {
          break;
        }
        current = seq.getValue().get(idx);
        best = current;
      } else {
        if (!(current instanceof MappingNode m)) {
          break;
        }
        String name = (String) seg;
        NodeTuple t = find(m, name);
        boolean inTask = s == 2 && "tasks".equals(segments.get(0));
        if (t == null && inTask) {
          t = defaultArgNodes.get(name);
        }
        if (t == null) {
          break;
        }
        best = t.getKeyNode();
        current = t.getValueNode();
      }
    }
    if (best != null) {
      return Pos.of(best);
    }
    NodeTuple dagId = find(root, "dag_id");
    return dagId == null ? Pos.of(root) : Pos.of(dagId.getKeyNode());
  }

  private static NodeTuple find(MappingNode m, String key) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t;
      }
    }
    return null;
  }

  private static List<Object> segments(String path) {
    List<Object> out = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
    }
    return out;
  }
}
