package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.RunIdRule;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.TryLog;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft tasks ...}: the task instances of runs. */
@Command(
    name = "tasks",
    description = "Inspect the task instances of a DAG run.",
    subcommands = {
      TasksCommand.States.class,
      TasksCommand.Logs.class,
      TasksCommand.Clear.class,
      TasksTestCommand.class
    })
final class TasksCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "states", description = "The state of every task instance of a run.")
  static final class States implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
    String dagId;

    @Parameters(
        index = "1",
        paramLabel = "RUN_ID",
        description = "The run_id (see dags list-runs).")
    String runId;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      RunIdRule.require(runId);
      List<TaskInstanceRow> tis;
      try (Database db = Commands.openMigrated(spec)) {
        DagsRunCommands.requireKnown(db, dagId);
        if (new DagRunRepository(db).get(dagId, runId).isEmpty()) {
          throw new UpdraftException(
              "DAG "
                  + dagId
                  + " has no run '"
                  + runId
                  + "' — 'updraft dags list-runs "
                  + dagId
                  + "' lists its runs");
        }
        tis = new TaskInstanceRepository(db).listForRun(dagId, runId);
      }
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          tis.stream().map(RunJson::task).toList(),
          "task_id",
          "state",
          "try_number",
          "start_date",
          "end_date",
          "duration");
      return ExitCodes.OK;
    }
  }

  @Command(name = "logs", description = "Print the log of one try of a task instance.")
  static final class Logs implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run_id.")
    String runId;

    @Parameters(index = "2", paramLabel = "TASK", description = "The task_id.")
    String taskId;

    @Option(names = "--try", paramLabel = "N", description = "Which try (default: the latest).")
    Integer tryNumber;

    @Override
    public Integer call() throws java.io.IOException {
      RunIdRule.require(runId); // it names a folder of the logs
      Settings settings = Commands.settings(spec);
      TaskInstanceRow ti;
      try (Database db = Commands.openMigrated(spec)) {
        DagsRunCommands.requireKnown(db, dagId);
        ti =
            new TaskInstanceRepository(db)
                .listForRun(dagId, runId).stream()
                    .filter(t -> t.taskId().equals(taskId))
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new UpdraftException(
                                "run '"
                                    + runId
                                    + "' of "
                                    + dagId
                                    + " has no task '"
                                    + taskId
                                    + "' — 'updraft tasks states "
                                    + dagId
                                    + " "
                                    + runId
                                    + "' lists them"));
      }
      if (ti.tryNumber() == 0) {
        throw new UpdraftException(
            taskId
                + " in "
                + runId
                + " has not run yet (state "
                + ti.state().id()
                + "), so it has no log");
      }
      int n = tryNumber != null ? tryNumber : ti.tryNumber();
      if (n < 1 || n > ti.tryNumber()) {
        throw new UpdraftException(
            taskId
                + " in "
                + runId
                + " has "
                + ti.tryNumber()
                + " tr"
                + (ti.tryNumber() == 1 ? "y" : "ies")
                + " — use --try 1.."
                + ti.tryNumber());
      }
      java.nio.file.Path log =
          TryLog.path(settings.home().resolve("logs"), dagId, runId, taskId, n);
      if (!java.nio.file.Files.exists(log)) {
        throw new UpdraftException(
            "no log for try "
                + n
                + " of "
                + taskId
                + " at "
                + log
                + " — the try has not started, or ran on another machine");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (var lines = java.nio.file.Files.lines(log)) {
        lines.forEach(out::println);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "clear", description = "Clear task instances so the scheduler runs them again.")
  static final class Clear implements Callable<Integer> {
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

    @Override
    public Integer call() {
      if (tasks != null) {
        try {
          java.util.regex.Pattern.compile(tasks);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new UpdraftException(
              "--tasks '" + tasks + "' is not a valid regular expression: " + e.getDescription());
        }
      }
      io.updraft.scheduler.ClearTasks.Cleared cleared;
      try (Database db = Commands.openMigrated(spec)) {
        DagsRunCommands.requireKnown(db, dagId);
        var versions =
            new io.updraft.scheduler.DagVersions(new io.updraft.store.SerializedDagRepository(db));
        cleared =
            io.updraft.scheduler.ClearTasks.clear(
                db,
                versions,
                dagId,
                tasks,
                downstream,
                from == null ? null : DagsNextRunsCommand.parseInstant(from, ZoneOffset.UTC),
                to == null ? null : DagsNextRunsCommand.parseInstant(to, ZoneOffset.UTC),
                java.time.Instant.now());
        io.updraft.store.ChangeSignals.announce(db);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "cleared "
              + cleared.taskInstances()
              + " task instance(s) in "
              + dagId
              + "; "
              + cleared.runs()
              + " finished run(s) queued again");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
