package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.RunIdRule;
import io.updraft.logs.LogFollower;
import io.updraft.logs.LogPrinter;
import io.updraft.logs.TryStates;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.TaskOrder;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
      TasksSetStateCommand.class,
      TasksTestCommand.class,
      TasksRunCommand.class
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

  @Command(
      name = "logs",
      description = {
        "Print the log of one try of a task instance.",
        "Output that closes early (| head) stops it at once."
      })
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

    @Option(
        names = "--tail",
        paramLabel = "N",
        description = "Only the last N lines (read from the end of the file).")
    Integer tail;

    @Option(
        names = {"-f", "--follow"},
        description =
            "Keep printing what the try writes until it ends; a try that has not started yet is"
                + " waited for.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
      RunIdRule.require(runId); // it names a folder of the logs
      if (tail != null && tail < 0) {
        throw new UpdraftException("--tail " + tail + " is negative — give a number of lines");
      }
      Settings settings = Commands.settings(spec);
      Path logsRoot = settings.home().resolve("logs");
      PrintWriter out = spec.commandLine().getOut();
      out.flush();
      LogPrinter printer = new LogPrinter(LogOutput.of(out));
      try {
        if (follow) {
          try (Database db = Commands.openMigrated(spec)) {
            TaskInstanceRow ti = instance(db);
            int n = tryToFollow(ti);
            Path log = TryLog.path(logsRoot, dagId, runId, taskId, n);
            TaskInstanceRepository tis = new TaskInstanceRepository(db);
            PrintWriter err = spec.commandLine().getErr();
            new LogFollower(printer, log, () -> state(tis, ti.id(), n), describe(n))
                .follow(
                    tail,
                    line -> {
                      err.println("updraft: " + line);
                      err.flush();
                    });
          }
        } else {
          int n;
          try (Database db = Commands.openMigrated(spec)) {
            n = finishedOrRunningTry(instance(db));
          }
          Path log = TryLog.path(logsRoot, dagId, runId, taskId, n);
          try (FileChannel in = open(log, n)) {
            printer.copy(in, tail == null ? 0 : LogPrinter.tailStart(in, tail));
          }
        }
      } catch (LogPrinter.OutputClosed e) {
        return ExitCodes.OK; // nobody reads any more: stop quietly, as cat in a pipe does
      }
      return ExitCodes.OK;
    }

    private TaskInstanceRow instance(Database db) {
      DagsRunCommands.requireKnown(db, dagId);
      DagsRunCommands.requireRun(db, dagId, runId);
      return new TaskInstanceRepository(db)
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

    /** --try N, else the latest try; one that has run or runs now. */
    private int finishedOrRunningTry(TaskInstanceRow ti) {
      if (ti.tryNumber() == 0) {
        throw new UpdraftException(
            taskId
                + " in "
                + runId
                + " has not run yet (state "
                + ti.state().id()
                + "), so it has no log — --follow waits for it");
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
      return n;
    }

    /**
     * --follow: --try N, else the running try, else — when the instance waits to run (queued,
     * up_for_retry, ...) — the try it will run next, else the latest.
     */
    private int tryToFollow(TaskInstanceRow ti) {
      if (tryNumber == null
          && !ti.state().isFinished()
          && ti.state() != TaskInstanceState.RUNNING
          && ti.state() != TaskInstanceState.RESTARTING) {
        return ti.tryNumber() + 1;
      }
      return finishedOrRunningTry(ti);
    }

    /** Where try {@code n} of the instance is now. */
    private static LogFollower.TryState state(TaskInstanceRepository tis, long id, int n) {
      return TryStates.of(tis.get(id).orElse(null), n);
    }

    private String describe(int n) {
      return "try " + n + " of " + taskId + " in " + runId;
    }

    private FileChannel open(Path log, int n) throws IOException {
      try {
        return LogPrinter.open(log);
      } catch (NoSuchFileException e) {
        throw new UpdraftException(
            "no log for try "
                + n
                + " of "
                + taskId
                + " at "
                + log
                + " — the try has not started, or ran on another machine");
      }
    }
  }
}
