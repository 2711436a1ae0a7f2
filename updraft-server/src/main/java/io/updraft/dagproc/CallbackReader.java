package io.updraft.dagproc;

import io.updraft.dag.Callbacks;
import io.updraft.dag.Deadline;
import io.updraft.dag.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the callback keys of a DAG file (SPEC §1.8): a task's or default_args' {@code on_*} and
 * {@code email}, a DAG's {@code on_success}/{@code on_failure} and {@code deadline}. A wrong value
 * is an error at its key naming what to write instead.
 */
final class CallbackReader {
  static final List<String> DEADLINE_KEYS = List.of("reference", "interval", "callback");

  private final YamlFields yaml;
  private final ReadErrors errors;

  CallbackReader(YamlFields yaml, ReadErrors errors) {
    this.yaml = yaml;
    this.errors = errors;
  }

  /** The notifiers of one {@code on_*} key, or null (reported) when it is wrong or null. */
  List<Notifier> notifiers(NodeTuple t, String path) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    Object value = YamlValues.toJava(n, errors.sink(path + "."));
    try {
      return Notifier.parseAll(value);
    } catch (IllegalArgumentException e) {
      errors.error(t.getKeyNode(), path, path + ": " + e.getMessage());
      return null;
    }
  }

  /** Airflow's {@code email}: one address, several separated by commas, or a list. */
  List<String> addresses(NodeTuple t, String path) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (n instanceof ScalarNode s) {
      for (String part : s.getValue().split("[,;]")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    } else if (n instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
          out.add(s.getValue().trim());
        }
      }
    }
    if (out.isEmpty()) {
      errors.error(
          t.getKeyNode(), path, "email must be an address or a list of addresses to alert");
      return null;
    }
    return out;
  }

  /** The DAG's {@code on_success} and {@code on_failure}. */
  Callbacks dagCallbacks(Map<String, NodeTuple> f) {
    Map<String, List<Notifier>> m = new LinkedHashMap<>();
    for (String event : Callbacks.DAG_EVENTS) {
      if (f.containsKey(event)) {
        List<Notifier> list = notifiers(f.get(event), event);
        if (list != null) {
          m.put(event, list);
        }
      }
    }
    return new Callbacks(m);
  }

  /** The DAG's {@code deadline}, or null. */
  Deadline deadline(Map<String, NodeTuple> f) {
    NodeTuple t = f.get("deadline");
    if (t == null || YamlFields.isNull(t)) {
      return null;
    }
    if (!(t.getValueNode() instanceof MappingNode m)) {
      errors.error(
          t.getKeyNode(),
          "deadline",
          "deadline must be a map: {reference: logical_date, interval: 2h, callback: {shell:"
              + " ...}}");
      return null;
    }
    Map<String, NodeTuple> d = yaml.fields(m, "deadline.");
    yaml.unknownKeys(d, DEADLINE_KEYS, "deadline.", "deadline");
    String reference = yaml.text(d, "reference", "deadline.");
    Duration interval = yaml.duration(d, "interval", "deadline.");
    List<Notifier> callback =
        d.containsKey("callback") ? notifiers(d.get("callback"), "deadline.callback") : null;
    boolean ok = true;
    for (String key : DEADLINE_KEYS) {
      if (!d.containsKey(key)) {
        errors.error(
            t.getKeyNode(),
            "deadline." + key,
            "deadline needs "
                + key
                + " — e.g. deadline: {reference: logical_date, interval: 2h, callback: {shell:"
                + " ./alert.sh}}");
        ok = false;
      }
    }
    Deadline.Reference ref = null;
    if (reference != null) {
      try {
        ref = Deadline.Reference.fromId(reference);
      } catch (IllegalArgumentException e) {
        errors.error(d.get("reference").getKeyNode(), "deadline.reference", e.getMessage());
      }
    }
    if (!ok || ref == null || interval == null || callback == null) {
      return null;
    }
    if (interval.isNegative() || interval.isZero()) {
      errors.error(
          d.get("interval").getKeyNode(),
          "deadline.interval",
          "deadline.interval must be longer than zero, e.g. 2h");
      return null;
    }
    return new Deadline(ref, interval, callback);
  }
}
