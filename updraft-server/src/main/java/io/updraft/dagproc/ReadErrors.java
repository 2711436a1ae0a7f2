package io.updraft.dagproc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The errors found while reading one DAG, each with the path it concerns, and which paths already
 * have one: the validator's problems at a reported path (or below it) are dropped, so one mistake
 * gives one message.
 */
final class ReadErrors {
  private final List<DagReader.Err> errors = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();

  void error(Node node, String path, String message) {
    errors.add(new DagReader.Err(Pos.of(node), path, message));
    reported.add(path);
  }

  /** An error found by the validator, at a position the reader resolved. */
  void add(DagReader.Err err) {
    errors.add(err);
  }

  /** Whether an error was reported at exactly {@code path}. */
  boolean reportedAt(String path) {
    return reported.contains(path);
  }

  boolean alreadyReported(String path) {
    for (String r : reported) {
      if (!r.isEmpty()
          && (path.equals(r) || path.startsWith(r + ".") || path.startsWith(r + "["))) {
        return true;
      }
    }
    return false;
  }

  /** Where {@link YamlValues} reports the errors of values under {@code prefix}. */
  YamlValues.Sink sink(String prefix) {
    return (node, message) -> error(node, prefix, message);
  }

  List<DagReader.Err> list() {
    return List.copyOf(errors);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }
}
