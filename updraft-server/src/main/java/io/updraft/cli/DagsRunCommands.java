package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.RunIdRule;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The DAG commands that work on the metadata database: trigger, pause, unpause, list-runs. */
final class DagsRunCommands {
  private DagsRunCommands() {}

  /** The row of a DAG the database knows, or a one-line error saying how to get it there. */
  static void requireKnown(Database db, String dagId) {
    if (new DagRepository(db).get(dagId).isEmpty()) {
      throw new UpdraftException(
          "DAG '"
              + dagId
              + "' is not in the metadata database — is it in the dags folder, and has"
              + " 'updraft standalone' or 'updraft dag-processor' read it? ('updraft dags list'"
              + " shows the folder's DAGs)");
    }
  }

  /** A run of a DAG, or a one-line error pointing to {@code dags list-runs}. */
  static DagRunRow requireRun(Database db, String dagId, String runId) {
    return new DagRunRepository(db)
        .get(dagId, runId)
        .orElseThrow(
            () ->
                new UpdraftException(
                    "DAG "
                        + dagId
                        + " has no run '"
                        + runId
                        + "' — 'updraft dags list-runs "
                        + dagId
                        + "' lists its runs"));
  }

  @Command(name = "trigger", description = "Create a manual run of a DAG; the scheduler starts it.")
  static final class Trigger implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
    String dagId;

    @Option(names = "--conf", paramLabel = "JSON", description = "The run's conf: a JSON object.")
    String conf;

    @Option(
        names = "--logical-date",
        paramLabel = "T",
        description =
            "The run's logical date (default: now); an ISO instant, or a date/date-time"
                + " read as UTC, as in Airflow.")
    String logicalDate;

    @Option(
        names = "--run-id",
        paramLabel = "ID",
        description =
            "The run_id (default manual__<logical date>): 1 to 250 letters, digits and _.~:+-.")
    String runId;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      if (runId != null) {
        RunIdRule.require(runId); // before anything is opened or written
      }
      String confJson = conf == null ? null : Commands.confJson(conf);
      Instant now = Clock.systemUTC().instant();
      DagRunRow run;
      boolean paused;
      Map<String, Object> json;
      Settings settings = Commands.settings(spec);
      try (Database db = Commands.openMigrated(settings)) {
        StoredDagWait.await(db, settings, dagId, spec.commandLine().getErr());
        paused = new DagRepository(db).get(dagId).orElseThrow().paused();
        Instant logical =
            logicalDate == null
                ? now
                : DagsNextRunsCommand.parseInstant("--logical-date", logicalDate);
        run =
            DagActions.trigger(
                db, dagId, logical, runId, confJson, System.getProperty("user.name"), now);
        json = RunJson.run(run, new SerializedDagRepository(db));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.json) {
        out.println(JsonOutput.write(json));
      } else {
        out.println(
            "created run "
                + run.runId()
                + " of "
                + dagId
                + " (queued; data interval "
                + JsonOutput.instant(run.dataIntervalStart())
                + " – "
                + JsonOutput.instant(run.dataIntervalEnd())
                + ")");
        if (paused) {
          out.println(
              "the DAG is paused: the run starts when you unpause it (updraft dags unpause "
                  + dagId
                  + ")");
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code dags pause} and {@code dags unpause}. */
  abstract static class SetPaused implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
    String dagId;

    abstract boolean paused();

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      try (Database db = Commands.openMigrated(settings)) {
        StoredDagWait.await(db, settings, dagId, spec.commandLine().getErr());
        DagActions.setPaused(
            db, dagId, paused(), System.getProperty("user.name"), Clock.systemUTC().instant());
      }
      spec.commandLine().getOut().println((paused() ? "paused " : "unpaused ") + dagId);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "pause", description = "Pause a DAG: no new runs are created or started.")
  static final class Pause extends SetPaused {
    @Override
    boolean paused() {
      return true;
    }
  }

  @Command(name = "unpause", description = "Unpause a DAG: its schedule runs again.")
  static final class Unpause extends SetPaused {
    @Override
    boolean paused() {
      return false;
    }
  }

  @Command(name = "list-runs", description = "List a DAG's runs, newest first.")
  static final class ListRuns implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
    String dagId;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "At most this many (default 100).")
    int limit;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      List<Map<String, Object>> runs;
      try (Database db = Commands.openMigrated(spec)) {
        requireKnown(db, dagId);
        SerializedDagRepository versions = new SerializedDagRepository(db);
        runs =
            new DagRunRepository(db)
                .list(dagId, limit).stream().map(r -> RunJson.run(r, versions)).toList();
      }
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          runs,
          "run_id",
          "run_type",
          "state",
          "logical_date",
          "start_date",
          "end_date",
          "dag_version");
      return ExitCodes.OK;
    }
  }
}
