package io.updraft.cli;

import io.updraft.scheduler.Backfills;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.ChangeSignals;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft dags backfill DAG --from T --to T}: queue the schedule's runs of a past range. */
@Command(
    name = "backfill",
    description = {
      "Create a queued backfill run for every run the DAG's schedule has with a logical date from"
          + " --from to --to (both included), as if catchup had been on; dates that already have"
          + " a run are skipped. A running scheduler runs them, oldest first, within"
          + " max_active_runs."
    })
final class DagsBackfillCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "T",
      description = "The first logical date: an ISO instant, or a date or date-time read as UTC.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "T",
      description = "The last logical date, included.")
  String to;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    Backfills.Result result;
    boolean paused;
    try (Database db = Commands.openMigrated(spec)) {
      DagsRunCommands.requireKnown(db, dagId);
      DagVersions.Versioned latest = new DagVersions(new SerializedDagRepository(db)).latest(dagId);
      Instant start = DagsNextRunsCommand.parseInstant("--from", from);
      Instant end = DagsNextRunsCommand.parseInstant("--to", to);
      result = Backfills.create(db, latest, start, end, Clock.systemUTC().instant());
      paused = new DagRepository(db).get(dagId).orElseThrow().paused();
      ChangeSignals.announce(db);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.json) {
      out.println(JsonOutput.write(result.created().stream().map(RunJson::run).toList()));
    } else {
      out.println(
          "created "
              + result.created().size()
              + " backfill run(s) of "
              + dagId
              + (result.skipped().isEmpty()
                  ? ""
                  : "; skipped "
                      + result.skipped().size()
                      + " logical date(s) that already had a run"));
      result.created().forEach(r -> out.println("  " + r.runId()));
      if (paused) {
        out.println(
            "the DAG is paused: its runs start when you unpause it (updraft dags unpause "
                + dagId
                + ")");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
