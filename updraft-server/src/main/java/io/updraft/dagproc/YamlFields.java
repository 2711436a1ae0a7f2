package io.updraft.dagproc;

import io.updraft.dag.DagValues;
import io.updraft.dag.Durations;
import io.updraft.dag.Suggestions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of a DAG file's YAML maps: the entries of a map (duplicate and non-text keys
 * reported), unknown keys (with a did-you-mean), and text, whole numbers, booleans, durations,
 * choices, dates and lists of text. Each returns null when the key is absent, written as null, or
 * wrong; a wrong value is reported to {@link ReadErrors} at its key, so the caller carries on with
 * the default.
 */
final class YamlFields {
  private final ReadErrors errors;

  YamlFields(ReadErrors errors) {
    this.errors = errors;
  }

  /** The entries of a map by key, reporting duplicate and non-text keys. */
  Map<String, NodeTuple> fields(MappingNode m, String prefix) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key) || YamlValues.isNull(key)) {
        errors.error(t.getKeyNode(), prefix, "a key must be plain text — fix it");
        continue;
      }
      if (out.containsKey(key.getValue())) {
        errors.error(key, prefix + key.getValue(), YamlValues.duplicateKey(key.getValue()));
        continue;
      }
      out.put(key.getValue(), t);
    }
    return out;
  }

  void unknownKeys(Map<String, NodeTuple> f, List<String> known, String prefix, String where) {
    for (Map.Entry<String, NodeTuple> e : f.entrySet()) {
      if (!known.contains(e.getKey())) {
        String hint = Suggestions.didYouMean(e.getKey(), known, " — ");
        errors.error(
            e.getValue().getKeyNode(),
            prefix + e.getKey(),
            "unknown key '"
                + e.getKey()
                + "' in "
                + where
                + (hint.isEmpty() ? " — known keys are " + String.join(", ", known) : hint));
      }
    }
  }

  List<String> stringList(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      errors.error(t.getKeyNode(), prefix + key, key + " must be a list, e.g. [a, b]");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < seq.getValue().size(); k++) {
      Node item = seq.getValue().get(k);
      if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
        out.add(s.getValue());
      } else {
        errors.error(item, prefix + key + "[" + k + "]", "each of " + key + " must be plain text");
      }
    }
    return out;
  }

  String text(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s) {
      return s.getValue();
    }
    errors.error(
        t.getKeyNode(), prefix + key, key + " must be text, not " + describe(t.getValueNode()));
    return null;
  }

  Integer integer(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      Object v = YamlValues.scalar(s);
      if (v instanceof Integer i) {
        return i;
      }
    }
    errors.error(
        t.getKeyNode(),
        prefix + key,
        key + " must be a whole number, not " + describe(t.getValueNode()));
    return null;
  }

  Boolean bool(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return (Boolean) YamlValues.scalar(s);
    }
    errors.error(
        t.getKeyNode(),
        prefix + key,
        key + " must be true or false, not " + describe(t.getValueNode()));
    return null;
  }

  Duration duration(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    Node n = t.getValueNode();
    if (n instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
      try {
        return DagValues.duration(key, s.getValue());
      } catch (IllegalArgumentException e) {
        // reported below, showing the value as YAML read it
      }
    }
    errors.error(
        t.getKeyNode(),
        prefix + key,
        key + " " + describe(n) + " is not a duration — " + Durations.FORMS);
    return null;
  }

  <T> T choice(
      Map<String, NodeTuple> f,
      String key,
      String prefix,
      List<String> ids,
      java.util.function.Function<String, T> of) {
    String text = text(f, key, prefix);
    if (text == null) {
      return null;
    }
    if (!ids.contains(text)) {
      errors.error(
          f.get(key).getKeyNode(),
          prefix + key,
          "unknown "
              + key
              + " '"
              + text
              + "' — use one of "
              + String.join(", ", ids)
              + Suggestions.didYouMean(text, ids, "; "));
      return null;
    }
    return of.apply(text);
  }

  /** A date or date-time; without an offset it is local time in the DAG's time zone. */
  Instant date(Map<String, NodeTuple> f, String key, String prefix, ZoneId zone) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    Node n = t.getValueNode();
    if (n instanceof ScalarNode s) {
      try {
        return DagValues.date(key, s.getValue()).in(zone);
      } catch (IllegalArgumentException e) {
        // reported below, showing the value as YAML read it
      }
    }
    errors.error(
        t.getKeyNode(),
        prefix + key,
        key + " " + describe(n) + " is not a date — " + DagValues.DATE_FORMS);
    return null;
  }

  static boolean isNull(NodeTuple t) {
    return YamlValues.isNull(t.getValueNode());
  }

  static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a map";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) n;
    return Tag.STR.equals(s.getTag()) ? "'" + s.getValue() + "'" : s.getValue();
  }
}
