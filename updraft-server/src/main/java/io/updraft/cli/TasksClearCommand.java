package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagActions;
import io.updraft.store.Database;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft tasks clear DAG}: clears task instances so the scheduler runs them again, and
 * prints each one it cleared with the state it had. Clearing every run of a DAG from a terminal
 * asks first, as Airflow's does, unless {@code --yes}; scripts (no terminal) are never asked.
 */
@Command(
    name = "clear",
    description = {
      "Clear task instances so the scheduler runs them again; prints each one it cleared.",
      "Clearing every run of a DAG (no --run-id, --from or --to) asks first on a terminal,"
          + " unless --yes."
    })
final class TasksClearCommand implements Callable<Integer> {
  /** Asks the user on a terminal. */
  interface Terminal {
    boolean confirm(String question);
  }

  /** The terminal to ask on, or null when there is none (tests replace it). */
  static Supplier<Terminal> terminal = TasksClearCommand::console;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Option(
      names = {"-t", "--tasks"},
      paramLabel = "REGEX",
      description = "Only tasks whose task_id matches (default: all).")
  String tasks;

  @Option(names = "--downstream", description = "Also clear the tasks downstream of those.")
  boolean downstream;

  @Option(names = "--from", paramLabel = "T", description = "Runs with a logical date from T.")
  String from;

  @Option(names = "--to", paramLabel = "T", description = "Runs with a logical date up to T.")
  String to;

  @Option(names = "--run-id", paramLabel = "ID", description = "Only this run.")
  String runId;

  @Option(
      names = "--only-failed",
      description = "Only task instances that failed or are upstream_failed.")
  boolean onlyFailed;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask, even when clearing every run on a terminal.")
  boolean yes;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    if (tasks != null) {
      try {
        Pattern.compile(tasks);
      } catch (PatternSyntaxException e) {
        throw new UpdraftException(
            "--tasks '" + tasks + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    ClearTasks.Report report;
    String who = System.getProperty("user.name");
    try (Database db = Commands.openMigrated(spec)) {
      DagsRunCommands.requireKnown(db, dagId);
      if (runId != null) {
        DagsRunCommands.requireRun(db, dagId, runId);
      }
      ClearTasks.Selection selection =
          new ClearTasks.Selection(
              tasks,
              downstream,
              from == null ? null : DagsNextRunsCommand.parseInstant("--from", from),
              to == null ? null : DagsNextRunsCommand.parseInstant("--to", to),
              runId,
              onlyFailed);
      Terminal asking = yes || !selection.everyRun() ? null : terminal.get();
      if (asking != null) {
        List<ClearTasks.Instance> planned =
            DagActions.clear(db, dagId, selection, true, who, Instant.now()).instances();
        if (!planned.isEmpty()) {
          print(out, planned, "state");
          out.flush();
          if (!asking.confirm(
              "Clear these "
                  + planned.size()
                  + " task instance(s) in every run of "
                  + dagId
                  + "?")) {
            out.println("cancelled: nothing cleared");
            out.flush();
            return ExitCodes.OK;
          }
        }
      }
      report = DagActions.clear(db, dagId, selection, false, who, Instant.now());
    }
    if (output.format == OutputFormat.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("task_instances", report.instances().stream().map(this::json).toList());
      json.put("total_entries", report.instances().size());
      json.put("runs_queued", report.runs());
      out.println(JsonOutput.write(json));
    } else {
      if (!report.instances().isEmpty()) {
        print(out, report.instances(), "previous_state");
      }
      out.println(
          "cleared "
              + report.instances().size()
              + " task instance(s) in "
              + dagId
              + "; "
              + report.runs()
              + " finished run(s) queued again");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, List<ClearTasks.Instance> instances, String stateColumn) {
    TextTable table = new TextTable("dag_id", "run_id", "task_id", stateColumn);
    for (ClearTasks.Instance i : instances) {
      table.row(
          dagId,
          i.runId(),
          i.mapIndex() < 0 ? i.taskId() : i.taskId() + "[" + i.mapIndex() + "]",
          i.previous().id());
    }
    table.print(out);
  }

  private Map<String, Object> json(ClearTasks.Instance i) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dag_id", dagId);
    row.put("run_id", i.runId());
    row.put("task_id", i.taskId());
    row.put("map_index", i.mapIndex());
    row.put("previous_state", i.previous().id());
    return row;
  }

  private static Terminal console() {
    Console console = System.console();
    if (console == null || !isTerminal(console)) {
      return null;
    }
    return question -> {
      String answer = console.readLine("%s [y/N] ", question);
      return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    };
  }

  /**
   * Whether the console is a terminal. From JDK 22 {@code System.console()} is not null when the
   * streams are redirected too, and {@code Console.isTerminal()} (not in Java 21, our target)
   * tells; without it, a console means a terminal.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
