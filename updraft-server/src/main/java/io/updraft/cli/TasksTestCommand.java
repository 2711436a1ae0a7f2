package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.connections.Lookups;
import io.updraft.dag.Dag;
import io.updraft.logs.LogPrinter;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.RunIds;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import io.updraft.store.RunType;
import io.updraft.util.Folders;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft tasks test DAG TASK [LOGICAL_DATE]}: runs one try of one task right here, as
 * Airflow's does — no dependencies checked, nothing recorded in the database, no XComs to pull —
 * and prints its log. For trying a command and its templates while writing a DAG.
 */
@Command(
    name = "test",
    description = {
      "Run one task once in this process and print its log: no upstream check, nothing written"
          + " to the database (xcom_pull finds nothing, prev_*_success are None). Exit 0 if it"
          + " succeeded or was skipped,"
          + " 1 if it failed."
    })
final class TasksTestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Parameters(index = "1", paramLabel = "TASK", description = "The task_id.")
  String taskId;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "LOGICAL_DATE",
      description = "The logical date (default: now); without an offset it is UTC, as in Airflow.")
  String logicalDate;

  @Override
  public Integer call() throws IOException {
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    folder.reportErrors(spec.commandLine().getErr());
    FolderDags.Entry entry = folder.find(dagId);
    Dag dag = entry.dag();
    if (dag.task(taskId).isEmpty()) {
      throw new UpdraftException(
          "DAG '"
              + dagId
              + "' has no task '"
              + taskId
              + "' — its tasks are "
              + String.join(", ", dag.tasksById().keySet()));
    }
    Clock clock = Clock.systemUTC();
    Instant logical =
        logicalDate == null
            ? clock.instant()
            : DagsNextRunsCommand.parseInstant("LOGICAL_DATE", logicalDate);
    Path logs = Files.createTempDirectory("updraft-tasks-test-");
    try (Database db = secretsDatabase(settings)) {
      Lookups lookups =
          db == null ? Lookups.environmentOnly(System.getenv()) : settings.lookups(db);
      TryRequest request =
          TryRequest.builder(dag, taskId, RunIds.of(RunType.MANUAL, logical), logical, logs)
              .dataInterval(ManualRuns.dataInterval(dag, logical))
              .clock(clock)
              .dagFile(entry.file())
              .bundles(entry.bundles(logs.resolve("bundles")))
              .secrets(lookups)
              .build();
      TryOutcome outcome;
      try (TaskRunner runner = new TaskRunner(settings.runnerSettings())) {
        outcome = runner.run(request); // closing stops a custom operator's JVM at once
      }
      int exit = outcome.state() == TaskInstanceState.FAILED ? ExitCodes.FAILED_RUN : ExitCodes.OK;
      PrintWriter out = spec.commandLine().getOut();
      if (outcome.logPath() != null && Files.exists(outcome.logPath())) {
        out.flush();
        try (var in = LogPrinter.open(outcome.logPath())) {
          new LogPrinter(LogOutput.of(out)).copy(in, 0); // bytes: the log may be large
        } catch (LogPrinter.OutputClosed e) {
          return exit; // nobody reads the rest
        }
      }
      out.println(
          "task "
              + taskId
              + ": "
              + outcome.state().id()
              + (outcome.error() == null ? "" : " — " + outcome.error())
              + (outcome.returnValue() == null
                  ? ""
                  // stored as returned (an XCom), printed masked
                  : " (return value: "
                      + request.masker().mask(String.valueOf(outcome.returnValue()))
                      + ")"));
      out.flush();
      return exit;
    } finally {
      Folders.deleteTree(logs);
    }
  }

  /**
   * The metadata database whose connections and variables the task reads (after {@code
   * UPDRAFT_CONN_*} / {@code UPDRAFT_VAR_*}), when one is set up; null otherwise — {@code tasks
   * test} needs no database.
   */
  private static Database secretsDatabase(Settings settings) {
    if (settings.config().dbUrl() == null && !settings.homeDatabaseExists()) {
      return null;
    }
    return Commands.openMigrated(settings);
  }
}
