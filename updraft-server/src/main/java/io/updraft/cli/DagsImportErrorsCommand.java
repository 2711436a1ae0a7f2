package io.updraft.cli;

import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.ImportErrorRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code updraft dags list-import-errors}: what the DAG processor could not read, and where. */
@Command(
    name = "list-import-errors",
    description =
        "List the import errors the DAG processor recorded: file, line, column, message, when."
            + " A fixed file's errors disappear at its next parse.")
final class DagsImportErrorsCommand implements Callable<Integer>, Commands.ReadOnly {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    List<ImportErrorRow> errors;
    try (Database db = Commands.openMigrated(spec)) {
      errors = new ImportErrorRepository(db).list();
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ImportErrorRow e : errors) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("filename", e.filename());
      row.put("line", e.lineNumber());
      row.put("column", e.columnNumber());
      row.put("message", e.message());
      row.put("timestamp", JsonOutput.instant(e.timestamp()));
      rows.add(row);
    }
    Listing.print(
        spec.commandLine().getOut(),
        output.format,
        rows,
        "filename",
        "line",
        "column",
        "message",
        "timestamp");
    return ExitCodes.OK;
  }
}
