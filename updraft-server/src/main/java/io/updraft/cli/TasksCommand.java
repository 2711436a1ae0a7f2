package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.RunIdRule;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.TryLog;
import java.io.PrintWriter;
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
      TasksClearCommand.class,
      TasksTestCommand.class
    })
final class TasksCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "states", description = "The state of every task instance of a run.")
  static final class States implements Callable<Integer>, Commands.ReadOnly {
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
        DagRunRow run = DagsRunCommands.requireRun(db, dagId, runId);
        Dag dag = new DagVersions(new SerializedDagRepository(db)).get(dagId, run.dagHash());
        tis = TaskOrder.sort(dag, new TaskInstanceRepository(db).listForRun(dagId, runId));
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
  static final class Logs implements Callable<Integer>, Commands.ReadOnly {
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
}
