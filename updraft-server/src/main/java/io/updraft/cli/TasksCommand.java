package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
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
    subcommands = {TasksCommand.States.class})
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

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json.")
    OutputFormat output;

    @Override
    public Integer call() {
      List<TaskInstanceRow> tis;
      try (Database db = PoolsCommand.open(spec)) {
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
          output,
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
}
