package io.updraft.dagproc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

/**
 * Generated DAGs (SPEC §1.4): a file with {@code for_each: data.csv} is a template, expanded once
 * per item of the data file into its own DAG. Only {@code {{ item.<column> }}} is replaced here, at
 * parse time; every other {@code {{ … }}} is left for the worker to render per try. A value that is
 * nothing but one {@code {{ item.x }}} takes the item's type ({@code retries: "{{ item.retries }}"}
 * is a number), so the template can stay valid YAML. The expanded nodes keep the template's
 * positions, so errors point at the template line.
 */
final class ForEach {
  static final String KEY = "for_each";

  private static final Pattern ITEM =
      Pattern.compile("\\{\\{\\s*item\\.([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
  private static final CoreScalarResolver RESOLVER = new CoreScalarResolver();

  /** Something wrong with the for_each key, its data or a reference to an item. */
  record Problem(Pos pos, String message) {}

  /** The DAG maps generated, the data file read (an input of the DAG file), and problems. */
  record Expanded(List<MappingNode> dags, Path data, List<Problem> problems) {}

  private ForEach() {}

  static Optional<NodeTuple> find(MappingNode top) {
    for (NodeTuple t : top.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(KEY)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  static Expanded expand(Path file, MappingNode top, NodeTuple forEach) {
    List<Problem> problems = new ArrayList<>();
    Pos at = Pos.of(forEach.getValueNode());
    if (!(forEach.getValueNode() instanceof ScalarNode s) || s.getValue().isBlank()) {
      problems.add(
          new Problem(at, "for_each must name a data file next to this one, e.g. customers.csv"));
      return new Expanded(List.of(), null, problems);
    }
    Path data = file.toAbsolutePath().getParent().resolve(s.getValue()).normalize();
    List<Map<String, String>> items;
    try {
      items = ForEachData.read(data);
    } catch (ForEachData.BadData e) {
      problems.add(new Problem(at, e.getMessage()));
      return new Expanded(List.of(), data, problems);
    }
    List<NodeTuple> template = new ArrayList<>(top.getValue());
    template.remove(forEach);
    String source = s.getValue();
    List<MappingNode> dags = new ArrayList<>(items.size());
    MappingNode base =
        new MappingNode(
            top.getTag(), true, template, top.getFlowStyle(), top.getStartMark(), top.getEndMark());
    for (Map<String, String> item : items) {
      List<Problem> own = new ArrayList<>();
      Node dag = substitute(base, item, source, own);
      if (own.isEmpty()) {
        dags.add((MappingNode) dag);
      } else {
        problems.addAll(own); // a DAG that cannot be written out is left out, as a broken DAG is
      }
    }
    return new Expanded(dags, data, problems);
  }

  private static Node substitute(
      Node node, Map<String, String> item, String source, List<Problem> problems) {
    return switch (node) {
      case ScalarNode s -> scalar(s, item, source, problems);
      case MappingNode m -> {
        List<NodeTuple> tuples = new ArrayList<>(m.getValue().size());
        for (NodeTuple t : m.getValue()) {
          tuples.add(
              new NodeTuple(t.getKeyNode(), substitute(t.getValueNode(), item, source, problems)));
        }
        yield new MappingNode(
            m.getTag(), true, tuples, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
      }
      case SequenceNode q -> {
        List<Node> values = new ArrayList<>(q.getValue().size());
        for (Node v : q.getValue()) {
          values.add(substitute(v, item, source, problems));
        }
        yield new SequenceNode(
            q.getTag(), true, values, q.getFlowStyle(), q.getStartMark(), q.getEndMark());
      }
      default -> node;
    };
  }

  private static Node scalar(
      ScalarNode s, Map<String, String> item, String source, List<Problem> problems) {
    String text = s.getValue();
    if (!text.contains("{{")) {
      return s;
    }
    Matcher m = ITEM.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean any = false;
    boolean whole = false;
    while (m.find()) {
      any = true;
      whole = m.start() == 0 && m.end() == text.length();
      String value = item.get(m.group(1));
      if (value == null) {
        problems.add(
            new Problem(
                Pos.of(s),
                "item has no column '"
                    + m.group(1)
                    + "' — the columns of "
                    + source
                    + " are: "
                    + String.join(", ", item.keySet())));
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    if (!any) {
      return s;
    }
    m.appendTail(out);
    String value = out.toString();
    if (whole) {
      // The value was only {{ item.x }}: it takes the type the item's text has in YAML.
      return new ScalarNode(
          RESOLVER.resolve(value, true),
          true,
          value,
          ScalarStyle.PLAIN,
          s.getStartMark(),
          s.getEndMark());
    }
    return new ScalarNode(
        s.getTag(), true, value, s.getScalarStyle(), s.getStartMark(), s.getEndMark());
  }
}
