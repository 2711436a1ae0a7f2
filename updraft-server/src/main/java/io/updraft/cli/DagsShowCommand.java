package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.Durations;
import io.updraft.dag.Task;
import io.updraft.serde.DagSerializer;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft dags show DAG}: the DAG's settings and its task tree as text. A task with several
 * upstream tasks is drawn under its first one and referred to under the others, so the tree stays
 * as long as the DAG, however many paths lead to a task.
 */
@Command(
    name = "show",
    description = {
      "Show a DAG's settings and its task tree, as its file defines it now.",
      "With --version, show a version stored in the database instead: the one runs were created"
          + " with (list-runs shows each run's dag_version)."
    })
final class DagsShowCommand implements Callable<Integer>, Commands.ReadOnly {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Option(
      names = "--version",
      paramLabel = "N|HASH",
      description =
          "A stored version: its number (1 is the first; 'latest' the newest) or the start of its"
              + " hash.")
  String version;

  @Override
  public Integer call() {
    if (version != null) {
      return showStored();
    }
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    folder.reportErrors(spec.commandLine().getErr());
    FolderDags.Entry entry = folder.find(dagId);
    PrintWriter out = spec.commandLine().getOut();
    print(entry.dag(), folder.relative(entry.file()), out);
    out.println();
    out.println("version: " + DagSerializer.hash(entry.dag()) + " (of the file as it is now)");
    out.flush();
    return ExitCodes.OK;
  }

  private int showStored() {
    StoredDag stored;
    Map<Integer, String> all;
    try (Database db = Commands.openMigrated(spec)) {
      SerializedDagRepository repo = new SerializedDagRepository(db);
      all = repo.versions(dagId);
      if (all.isEmpty()) {
        throw new UpdraftException(
            "no version of DAG '"
                + dagId
                + "' is stored — is the dag_id right, and has a DAG processor read its file?");
      }
      String hash = pick(all);
      stored = repo.get(dagId, hash).orElseThrow();
    }
    PrintWriter out = spec.commandLine().getOut();
    print(DagSerializer.fromJson(stored.json()), stored.fileloc(), out);
    out.println();
    out.println(
        "version "
            + stored.versionNumber()
            + " (versions stored: "
            + all.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))
            + "), hash "
            + stored.hash()
            + ", current since "
            + JsonOutput.instant(stored.createdAt()));
    out.flush();
    return ExitCodes.OK;
  }

  /** The hash of the version the option names; a one-line error if none or several match. */
  private String pick(Map<Integer, String> all) {
    if (version.equals("latest")) {
      return all.values().stream().reduce((a, b) -> b).orElseThrow();
    }
    if (version.matches("[0-9]{1,6}") && all.containsKey(Integer.parseInt(version))) {
      return all.get(Integer.parseInt(version));
    }
    List<String> matches =
        all.values().stream().filter(h -> h.startsWith(version.toLowerCase(Locale.ROOT))).toList();
    if (matches.size() == 1 && version.length() >= 4) {
      return matches.get(0);
    }
    throw new UpdraftException(
        "DAG '"
            + dagId
            + "' has no version '"
            + version
            + "'"
            + (matches.size() > 1 ? " that is unique (give more of the hash)" : "")
            + " — use one of "
            + all.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))
            + ", 'latest', or at least 4 characters of a hash");
  }

  static void print(Dag dag, String file, PrintWriter out) {
    out.println("DAG " + dag.dagId() + "  (" + file + ")");
    if (dag.description() != null) {
      out.println("  " + dag.description());
    }
    out.println(
        "  schedule:    "
            + (dag.schedule().text() == null ? "None" : dag.schedule().text())
            + "  ("
            + dag.timezone().getId()
            + ")");
    out.println(
        "  start_date:  "
            + local(dag.startDate(), dag.timezone())
            + "   end_date: "
            + local(dag.endDate(), dag.timezone()));
    out.println(
        "  catchup:     "
            + dag.catchup()
            + "   max_active_runs: "
            + dag.maxActiveRuns()
            + "   max_active_tasks: "
            + dag.maxActiveTasks()
            + (dag.dagrunTimeout() == null
                ? ""
                : "   dagrun_timeout: " + Durations.format(dag.dagrunTimeout())));
    if (!dag.tags().isEmpty()) {
      out.println("  tags:        " + String.join(", ", dag.tags()));
    }
    out.println("  tasks:       " + dag.tasks().size());
    out.println();
    Map<String, List<Task>> downstream = new LinkedHashMap<>();
    dag.tasks().forEach(t -> downstream.put(t.taskId(), new ArrayList<>()));
    for (Task t : dag.tasks()) {
      for (String up : t.upstream()) {
        downstream.get(up).add(t);
      }
    }
    Set<String> drawn = new HashSet<>();
    List<Task> roots = dag.tasks().stream().filter(t -> t.upstream().isEmpty()).toList();
    for (int i = 0; i < roots.size(); i++) {
      draw(roots.get(i), "", i == roots.size() - 1, downstream, drawn, out);
    }
  }

  private static void draw(
      Task task,
      String indent,
      boolean last,
      Map<String, List<Task>> downstream,
      Set<String> drawn,
      PrintWriter out) {
    String branch = last ? "└── " : "├── ";
    boolean firstTime = drawn.add(task.taskId());
    out.println(indent + branch + label(task) + (firstTime ? "" : "  (see above)"));
    if (!firstTime) {
      return;
    }
    List<Task> children = downstream.get(task.taskId());
    String childIndent = indent + (last ? "    " : "│   ");
    for (int i = 0; i < children.size(); i++) {
      draw(children.get(i), childIndent, i == children.size() - 1, downstream, drawn, out);
    }
  }

  private static String label(Task t) {
    StringBuilder s = new StringBuilder(t.taskId()).append(" [").append(t.operator()).append(']');
    if (t.upstream().size() > 1) {
      s.append("  ").append(t.triggerRule().id()).append(" of ").append(t.upstream());
    } else if (t.triggerRule() != io.updraft.dag.TriggerRule.ALL_SUCCESS) {
      s.append("  ").append(t.triggerRule().id());
    }
    return s.toString();
  }

  /**
   * An instant in the DAG's zone, with its UTC form: 2024-01-01T00:00+01:00 (2023-12-31T23:00:00Z).
   */
  private static String local(java.time.Instant t, java.time.ZoneId zone) {
    return t == null ? "None" : t.atZone(zone).toOffsetDateTime() + " (" + t + ")";
  }
}
