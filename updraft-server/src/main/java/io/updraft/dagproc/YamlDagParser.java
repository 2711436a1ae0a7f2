package io.updraft.dagproc;

import io.updraft.dag.Dag;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses a YAML DAG file (SPEC §1) into {@link Dag}s, reporting every error of the file with its
 * line and column. A file holds one DAG (a map with {@code dag_id}) or several under {@code dags:}.
 * YAML is composed into nodes rather than loaded into maps so every value keeps its position;
 * scalars are resolved with the YAML 1.2 core schema ({@code yes} and {@code on} are text, {@code
 * 2024-01-01} is text parsed as a date where a date is expected).
 *
 * <p>Errors point at the key whose value is wrong, or at the list item; an empty file holds no DAG
 * and is not an error (as an empty Python file in Airflow's dags folder).
 */
public final class YamlDagParser {

  /** The result with, for each DAG read, where its dag_id is (for errors found later). */
  record Parsed(DagFileResult result, Map<String, Pos> dagIdPositions) {

    /**
     * The result without the DAGs whose dag_id another file defines: each becomes an error at its
     * dag_id. {@code otherFile} names that file, or null when the dag_id is this file's to keep.
     */
    DagFileResult withoutDagIdsOf(java.util.function.Function<String, Path> otherFile) {
      List<Dag> kept = new ArrayList<>();
      List<DagFileError> errors = new ArrayList<>(result.errors());
      for (Dag dag : result.dags()) {
        Path other = otherFile.apply(dag.dagId());
        if (other == null) {
          kept.add(dag);
        } else {
          Pos pos = dagIdPositions.getOrDefault(dag.dagId(), Pos.START);
          errors.add(
              new DagFileError(
                  result.file(),
                  pos.line(),
                  pos.column(),
                  "dag_id '"
                      + dag.dagId()
                      + "' is already defined in "
                      + other
                      + " — give each DAG its own dag_id"));
        }
      }
      if (kept.size() == result.dags().size()) {
        return result;
      }
      errors.sort(
          Comparator.comparingInt(DagFileError::line).thenComparingInt(DagFileError::column));
      return result.with(kept, errors);
    }
  }

  /** Reads and parses a file; an unreadable file gives an error, not an exception. */
  public DagFileResult parse(Path file) {
    return parseWithPositions(file).result();
  }

  public DagFileResult parse(Path file, String content) {
    return parseWithPositions(file, content).result();
  }

  Parsed parseWithPositions(Path file) {
    String content;
    try {
      content = Files.readString(file);
    } catch (MalformedInputException e) {
      return failed(file, Pos.START, "the file is not UTF-8 text — save it as UTF-8");
    } catch (IOException e) {
      return failed(
          file,
          Pos.START,
          "cannot read the file ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ") — check that it exists and is readable");
    }
    return parseWithPositions(file, content);
  }

  Parsed parseWithPositions(Path file, String content) {
    Optional<Node> document;
    try {
      LoadSettings settings =
          LoadSettings.builder().setSchema(new CoreSchema()).setLabel(file.toString()).build();
      document = new Compose(settings).composeString(content);
    } catch (MarkedYamlEngineException e) {
      Pos pos = Pos.of(e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark());
      return failed(file, pos, syntaxMessage(e));
    } catch (YamlEngineException e) {
      return failed(file, Pos.START, "invalid YAML: " + firstLine(e.getMessage()) + " — fix it");
    }
    if (document.isEmpty() || YamlValues.isNull(document.get())) {
      return new Parsed(new DagFileResult(file, List.of(), List.of()), Map.of());
    }
    Node top = document.get();
    if (!(top instanceof MappingNode map)) {
      return failed(
          file,
          Pos.of(top),
          "a DAG file must be a map starting with dag_id: (or dags: with a list of DAGs)");
    }
    List<Located> errors = new ArrayList<>();
    List<MappingNode> dagNodes;
    List<Path> inputs = List.of();
    Optional<NodeTuple> forEach = ForEach.find(map);
    if (forEach.isPresent()) {
      ForEach.Expanded x = ForEach.expand(file, map, forEach.get());
      x.problems().forEach(p -> errors.add(new Located(p.pos(), p.message())));
      dagNodes = x.dags();
      inputs = x.data() == null ? List.of() : List.of(x.data());
    } else {
      dagNodes = dagNodes(map, errors);
    }
    List<Dag> dags = new ArrayList<>();
    Map<String, Pos> positions = new HashMap<>();
    for (MappingNode dagNode : dagNodes) {
      DagReader.Result r = DagReader.read(dagNode);
      List<Located> own = new ArrayList<>();
      for (DagReader.Err e : r.errors()) {
        own.add(new Located(e.pos(), e.message()));
      }
      if (r.dagId() != null && positions.containsKey(r.dagId())) {
        own.add(
            new Located(
                r.dagIdPos(),
                "dag_id '"
                    + r.dagId()
                    + "' is already defined at line "
                    + positions.get(r.dagId()).line()
                    + " of this file — give each DAG its own dag_id"));
      }
      errors.addAll(own);
      if (r.dagId() != null) {
        positions.putIfAbsent(r.dagId(), r.dagIdPos());
      }
      if (own.isEmpty()) {
        r.dag().ifPresent(dags::add);
      }
    }
    return new Parsed(new DagFileResult(file, dags, toErrors(file, errors), inputs), positions);
  }

  /** The DAG maps of a file: the file's top map, or the items of its dags: list. */
  private static List<MappingNode> dagNodes(MappingNode top, List<Located> errors) {
    NodeTuple dagsEntry = null;
    for (NodeTuple t : top.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("dags")) {
        dagsEntry = t;
      }
    }
    if (dagsEntry == null) {
      return List.of(top);
    }
    for (NodeTuple t : top.getValue()) {
      if (t != dagsEntry) {
        errors.add(
            new Located(
                Pos.of(t.getKeyNode()),
                "a file with dags: holds only the list of DAGs — move this key into a DAG"));
      }
    }
    if (!(dagsEntry.getValueNode() instanceof SequenceNode seq)) {
      errors.add(
          new Located(
              Pos.of(dagsEntry.getKeyNode()),
              "dags must be a list of DAGs, each starting with - dag_id:"));
      return List.of();
    }
    List<MappingNode> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (item instanceof MappingNode m) {
        out.add(m);
      } else {
        errors.add(
            new Located(Pos.of(item), "each item of dags must be a DAG (a map with dag_id)"));
      }
    }
    return out;
  }

  private record Located(Pos pos, String message) {}

  private static List<DagFileError> toErrors(Path file, List<Located> errors) {
    // In file order; the same message at the same place once (default_args shared by tasks).
    List<Located> sorted = new ArrayList<>(new LinkedHashSet<>(errors));
    sorted.sort(Comparator.comparing(Located::pos));
    return sorted.stream()
        .map(e -> new DagFileError(file, e.pos().line(), e.pos().column(), e.message()))
        .toList();
  }

  private static Parsed failed(Path file, Pos pos, String message) {
    return new Parsed(
        new DagFileResult(
            file, List.of(), List.of(new DagFileError(file, pos.line(), pos.column(), message))),
        Map.of());
  }

  private static String syntaxMessage(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    if ((problem + context).contains("single document")) {
      return "the file holds more than one YAML document (---) — put several DAGs in one"
          + " document as a list under dags:";
    }
    return "YAML syntax error: "
        + firstLine(problem)
        + (context.isEmpty() ? "" : " (" + firstLine(context) + ")")
        + " — fix the YAML: check indentation, colons and quotes";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
