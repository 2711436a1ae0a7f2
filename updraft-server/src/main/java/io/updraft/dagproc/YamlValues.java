package io.updraft.dagproc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns composed YAML nodes (YAML 1.2 core schema) into plain Java values: String, Boolean,
 * Integer/Long/BigInteger, Double, null, List and Map with String keys, in document order.
 */
final class YamlValues {
  private YamlValues() {}

  /** Called for each problem found while converting (a non-scalar map key, a duplicate key). */
  interface Sink {
    void error(Node node, String message);
  }

  /**
   * The value of a node; problems go to {@code sink} and leave a placeholder (the entry is left
   * out, or null). {@code .nan}, {@code .inf} and {@code -.inf} are refused here, where their
   * position is known: a DAG value must have a JSON form, and JSON has no NaN or infinity.
   */
  static Object toJava(Node node, Sink sink) {
    if (node instanceof ScalarNode s) {
      Object v = scalar(s);
      if (v instanceof Double d && !Double.isFinite(d)) {
        sink.error(
            s,
            s.getValue()
                + " is not a finite number — DAG values must have a JSON form, which has no NaN"
                + " or infinity; write a number, or quote it (\""
                + s.getValue()
                + "\") for text");
        return null;
      }
      return v;
    }
    if (node instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      for (Node item : seq.getValue()) {
        list.add(toJava(item, sink));
      }
      return list;
    }
    MappingNode map = (MappingNode) node;
    Map<String, Object> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        sink.error(t.getKeyNode(), "a map key must be a plain value, not a list or map — fix it");
        continue;
      }
      if (out.containsKey(key.getValue())) {
        sink.error(key, duplicateKey(key.getValue()));
        continue;
      }
      out.put(key.getValue(), toJava(t.getValueNode(), sink));
    }
    return out;
  }

  static String duplicateKey(String key) {
    return "duplicate key '" + key + "' — keep only one";
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  /** The Java value of a scalar as the core schema resolved it. */
  static Object scalar(ScalarNode s) {
    Tag tag = s.getTag();
    String v = s.getValue();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return v.toLowerCase(Locale.ROOT).equals("true");
    }
    if (Tag.INT.equals(tag)) {
      return integer(v);
    }
    if (Tag.FLOAT.equals(tag)) {
      return floating(v);
    }
    return v;
  }

  private static Object integer(String v) {
    BigInteger b;
    if (v.startsWith("0o")) {
      b = new BigInteger(v.substring(2), 8);
    } else if (v.startsWith("0x")) {
      b = new BigInteger(v.substring(2), 16);
    } else {
      b = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
    }
    if (b.bitLength() < 32) {
      return b.intValue();
    }
    return b.bitLength() < 64 ? (Object) b.longValue() : b;
  }

  private static Object floating(String v) {
    String l = v.toLowerCase(Locale.ROOT);
    if (l.endsWith(".inf")) {
      return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (l.equals(".nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(v);
  }
}
