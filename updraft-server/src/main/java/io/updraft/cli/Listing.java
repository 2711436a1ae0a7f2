package io.updraft.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints a listing: the rows as a JSON array, or chosen columns as a text table. */
final class Listing {
  private Listing() {}

  static void print(
      PrintWriter out, OutputFormat format, List<Map<String, Object>> rows, String... columns) {
    if (format == OutputFormat.json) {
      out.println(JsonOutput.write(rows));
    } else {
      TextTable table = new TextTable(columns);
      for (Map<String, Object> row : rows) {
        Object[] cells = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
          cells[i] = row.get(columns[i]);
        }
        table.row(cells);
      }
      table.print(out);
    }
    out.flush();
  }
}
