package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code updraft dags list}: parses the dags folder and lists its DAGs. Broken files are reported
 * on stderr and make the exit code 2; the good DAGs are listed all the same.
 */
@Command(name = "list", description = "List the DAGs of the dags folder.")
final class DagsListCommand implements Callable<Integer>, Commands.ReadOnly {
  @CommandLine.ParentCommand DagsCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    Instant now = Clock.systemUTC().instant();
    Map<String, DagRow> stored = storedDags(settings, spec.commandLine().getErr());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FolderDags.Entry e : folder.entries()) {
      Dag dag = e.dag();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dag_id", dag.dagId());
      row.put("fileloc", e.file().toString());
      DagRow db = stored.get(dag.dagId());
      row.put("is_paused", db == null ? null : db.paused());
      row.put("schedule", dag.schedule().text());
      Instant next =
          db == null ? nextDagRun(dag, now) : db.next() == null ? null : db.next().logicalDate();
      row.put("next_dagrun", JsonOutput.instant(next));
      row.put("tags", dag.tags());
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.json) {
      out.println(JsonOutput.write(rows));
    } else {
      TextTable table =
          new TextTable("dag_id", "fileloc", "paused", "schedule", "next_dagrun", "tags");
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        table.row(
            r.get("dag_id"),
            folder.relative(folder.entries().get(i).file()),
            r.get("is_paused") == null ? "" : r.get("is_paused"),
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
   * The DAG rows of the metadata database, when one is set up: a configured URL, or the home's
   * embedded database file. None is not an error (the folder is listed all the same); an
   * unreachable or unmigrated one is a warning line.
   */
  static Map<String, DagRow> storedDags(Settings settings, PrintWriter err) {
    boolean setUp = settings.config().dbUrl() != null || settings.homeDatabaseExists();
    Map<String, DagRow> rows = new HashMap<>();
    if (!setUp) {
      return rows;
    }
    try (Database db = settings.openDatabase()) {
      db.check();
      new DagRepository(db).list().forEach(r -> rows.put(r.dagId(), r));
    } catch (UpdraftException e) {
      err.println("updraft: warning: paused flags and next runs not shown: " + e.getMessage());
      err.flush();
    }
    return rows;
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
