package io.updraft.cli;

import io.updraft.scheduler.DagActions;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft dags delete-run DAG RUN_ID}: deletes one run with its task instances, tries,
 * XComs, triggers, callbacks and deadline, through {@link DagActions#deleteRun} (the REST API's
 * {@code DELETE …/dagRuns/{dag_run_id}}), audited with the OS user. Log files stay.
 */
@Command(
    name = "delete-run",
    description = {
      "Delete a run of a DAG with its task instances, tries and XComs (not its log files).",
      "A try still running is ended by its worker at its next heartbeat."
    })
final class DagsDeleteRunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run_id (see dags list-runs).")
  String runId;

  @Override
  public Integer call() {
    try (Database db = Commands.openMigrated(spec)) {
      DagsRunCommands.requireKnown(db, dagId);
      DagsRunCommands.requireRun(db, dagId, runId);
      // false only if someone deleted it since requireRun: the run is gone either way
      DagActions.deleteRun(db, dagId, runId, System.getProperty("user.name"), Instant.now());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("deleted run " + runId + " of " + dagId);
    out.flush();
    return ExitCodes.OK;
  }
}
