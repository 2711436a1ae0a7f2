package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagActions;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft tasks set-state DAG RUN_ID TASK STATE}: marks a task instance success, failed or
 * skipped by hand, through {@link DagActions#markTaskInstance} (the REST API's and the UI's mark),
 * audited with the OS user.
 */
@Command(
    name = "set-state",
    description = {
      "Set a task instance's state by hand (mark success, failed or skipped).",
      "A running try is ended by its worker at its next heartbeat. Marked success or skipped, the"
          + " failed instances downstream of it in the run are cleared to run again."
    })
final class TasksSetStateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run_id.")
  String runId;

  @Parameters(index = "2", paramLabel = "TASK", description = "The task_id.")
  String taskId;

  @Parameters(index = "3", paramLabel = "STATE", description = "success, failed or skipped.")
  String state;

  @Option(
      names = "--map-index",
      paramLabel = "N",
      description = "The instance of a mapped task (default: -1, unmapped).")
  int mapIndex = -1;

  @Option(names = "--upstream", description = "Also the tasks upstream of it in the run.")
  boolean upstream;

  @Option(names = "--downstream", description = "Also the tasks downstream of it in the run.")
  boolean downstream;

  @Option(names = "--dry-run", description = "Only print what would be set.")
  boolean dryRun;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    TaskInstanceState newState =
        TaskInstanceState.fromId(state)
            .filter(DagActions.MARKABLE::contains)
            .orElseThrow(
                () ->
                    new UpdraftException(
                        "STATE '" + state + "' is not one of success, failed, skipped"));
    List<ClearTasks.Instance> set;
    try (Database db = Commands.openMigrated(spec)) {
      DagsRunCommands.requireKnown(db, dagId);
      DagsRunCommands.requireRun(db, dagId, runId);
      set =
          DagActions.markTaskInstance(
              db,
              dagId,
              runId,
              taskId,
              mapIndex,
              newState,
              upstream,
              downstream,
              dryRun,
              System.getProperty("user.name"),
              Instant.now());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("task_instances", set.stream().map(i -> json(i, newState)).toList());
      json.put("total_entries", set.size());
      json.put("dry_run", dryRun);
      out.println(JsonOutput.write(json));
    } else {
      if (!set.isEmpty()) {
        TextTable table = new TextTable("dag_id", "run_id", "task_id", "previous_state");
        for (ClearTasks.Instance i : set) {
          table.row(
              dagId,
              i.runId(),
              i.mapIndex() < 0 ? i.taskId() : i.taskId() + "[" + i.mapIndex() + "]",
              i.previous().id());
        }
        table.print(out);
      }
      out.println(
          (dryRun ? "would set " : "set ")
              + set.size()
              + " task instance(s) of "
              + dagId
              + " "
              + runId
              + " to "
              + newState.id());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private Map<String, Object> json(ClearTasks.Instance i, TaskInstanceState newState) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dag_id", dagId);
    row.put("run_id", i.runId());
    row.put("task_id", i.taskId());
    row.put("map_index", i.mapIndex());
    row.put("previous_state", i.previous().id());
    row.put("state", newState.id());
    return row;
  }
}
