package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.Timetables;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft dags next-runs DAG}: the runs the schedule would create from start_date, in order,
 * as with catchup on, honouring end_date.
 */
@Command(
    name = "next-runs",
    description = "The first runs the DAG's schedule would create from its start_date.")
final class DagsNextRunsCommand implements Callable<Integer>, Commands.ReadOnly {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Option(names = "--count", defaultValue = "10", description = "How many runs (default 10).")
  int count;

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      description =
          "Only runs whose data interval starts at or after this: an ISO-8601 instant"
              + " (2024-03-31T01:00:00Z, or with an offset), or a date or date-time, read as UTC.")
  String since;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    if (count < 1) {
      throw new UpdraftException("--count must be at least 1, got " + count);
    }
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    folder.reportErrors(spec.commandLine().getErr());
    Dag dag = folder.find(dagId).dag();
    Instant sinceInstant = since == null ? null : parseInstant("--since", since);
    List<DagRunInfo> runs = Timetables.nextRuns(dag, count, sinceInstant);
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DagRunInfo r : runs) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("logical_date", JsonOutput.instant(r.logicalDate()));
        row.put("data_interval_start", JsonOutput.instant(r.dataInterval().start()));
        row.put("data_interval_end", JsonOutput.instant(r.dataInterval().end()));
        row.put("run_after", JsonOutput.instant(r.runAfter()));
        rows.add(row);
      }
      out.println(JsonOutput.write(rows));
    } else if (runs.isEmpty()) {
      out.println(
          "DAG "
              + dag.dagId()
              + " (schedule "
              + dag.schedule().text()
              + ") creates no scheduled runs"
              + (sinceInstant == null ? "" : " from " + since)
              + ".");
    } else {
      ZoneId zone = dag.timezone();
      TextTable table =
          new TextTable(
              "logical_date",
              "data_interval_start",
              "data_interval_end",
              "run_after",
              "run_after (" + zone.getId() + ")");
      for (DagRunInfo r : runs) {
        table.row(
            JsonOutput.instant(r.logicalDate()),
            JsonOutput.instant(r.dataInterval().start()),
            JsonOutput.instant(r.dataInterval().end()),
            JsonOutput.instant(r.runAfter()),
            r.runAfter().atZone(zone).toOffsetDateTime());
      }
      table.print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * A date or instant given on the command line.
   *
   * <p>A date or date-time without an offset is UTC, as in Airflow, whatever the DAG's time zone
   * (decisions/0048).
   *
   * @param what the option or parameter it was given as ({@code --since}, {@code LOGICAL_DATE}),
   *     which an error names
   */
  static Instant parseInstant(String what, String text) {
    ZoneId zone = ZoneOffset.UTC;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new UpdraftException(
              what
                  + " '"
                  + text
                  + "' is not an instant — use 2024-03-31T01:00:00Z,"
                  + " 2024-03-31T03:00:00+02:00, 2024-03-31T03:00 or 2024-03-31");
        }
      }
    }
  }
}
