package io.updraft.cli;

import io.updraft.dag.Dag;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft dags list}: parses the dags folder and lists its DAGs. Broken files are reported
 * on stderr and make the exit code 2; the good DAGs are listed all the same.
 */
@Command(name = "list", description = "List the DAGs of the dags folder.")
final class DagsListCommand implements Callable<Integer> {
  @CommandLine.ParentCommand DagsCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json.")
  OutputFormat output;

  @Override
  public Integer call() {
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    Instant now = Clock.systemUTC().instant();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FolderDags.Entry e : folder.entries()) {
      Dag dag = e.dag();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dag_id", dag.dagId());
      row.put("fileloc", e.file().toString());
      // Paused flags live in the metadata database, which this command does not read yet.
      row.put("is_paused", null);
      row.put("schedule", dag.schedule().text());
      row.put("next_dagrun", JsonOutput.instant(nextDagRun(dag, now)));
      row.put("tags", dag.tags());
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      out.println(JsonOutput.write(rows));
    } else {
      TextTable table = new TextTable("dag_id", "fileloc", "schedule", "next_dagrun", "tags");
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        table.row(
            r.get("dag_id"),
            folder.relative(folder.entries().get(i).file()),
            r.get("schedule") == null ? "None" : r.get("schedule"),
            r.get("next_dagrun") == null ? "" : r.get("next_dagrun"),
            String.join(",", folder.entries().get(i).dag().tags()));
      }
      table.print(out);
    }
    out.flush();
    folder.reportErrors(spec.commandLine().getErr());
    return folder.hasErrors() ? ExitCodes.BAD_INPUT : ExitCodes.OK;
  }

  /**
   * The logical date of the run the scheduler would create next for a DAG first seen now (no
   * earlier runs), or null if the schedule creates none.
   */
  static Instant nextDagRun(Dag dag, Instant now) {
    TimeRestriction restriction =
        new TimeRestriction(dag.startDate(), dag.endDate(), dag.catchup());
    return Timetables.of(dag)
        .nextDagRunInfo(null, restriction, now)
        .map(DagRunInfo::logicalDate)
        .orElse(null);
  }
}
