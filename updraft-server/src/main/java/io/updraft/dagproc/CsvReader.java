package io.updraft.dagproc;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, values in double quotes may hold commas, line breaks and doubled
 * quotes; CRLF or LF line ends.
 */
final class CsvReader {
  private CsvReader() {}

  static List<List<String>> rows(String text, String name) throws ForEachData.BadData {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int quoteLine = 1;
    int i = text.startsWith("\uFEFF") ? 1 : 0; // a byte-order mark some editors write
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            value.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          line += c == '\n' ? 1 : 0;
          value.append(c);
        }
      } else if (c == '"' && value.isEmpty()) {
        quoted = true;
        quoteLine = line;
      } else if (c == ',') {
        row.add(value.toString());
        value.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(value.toString());
        value.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        line++;
      } else {
        value.append(c);
      }
    }
    if (quoted) {
      throw new ForEachData.BadData(
          name
              + " has a quoted value that is never closed (from line "
              + quoteLine
              + ") — add the \"");
    }
    if (!value.isEmpty() || !row.isEmpty()) {
      row.add(value.toString());
      rows.add(row);
    }
    return rows;
  }
}
