package io.updraft.dagproc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The items a {@code for_each} file generates DAGs from (SPEC §1.4): the rows of a CSV file with a
 * header line, or the objects of a JSON array. Each item maps column (or key) names to text.
 */
final class ForEachData {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A data file that cannot be used; the message says why and what to do. */
  static final class BadData extends Exception {
    BadData(String message) {
      super(message);
    }
  }

  private ForEachData() {}

  static List<Map<String, String>> read(Path data) throws BadData {
    String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
    String text;
    try {
      text = Files.readString(data);
    } catch (MalformedInputException e) {
      throw new BadData(data.getFileName() + " is not UTF-8 text — save it as UTF-8");
    } catch (IOException e) {
      throw new BadData(
          "cannot read " + data + " (" + e.getClass().getSimpleName() + ") — check that it exists");
    }
    if (name.endsWith(".csv")) {
      return csv(data, text);
    }
    if (name.endsWith(".json")) {
      return json(data, text);
    }
    throw new BadData(
        "for_each takes a .csv file (with a header line) or a .json file (an array of objects),"
            + " not "
            + data.getFileName());
  }

  private static List<Map<String, String>> csv(Path data, String text) throws BadData {
    List<List<String>> rows = CsvReader.rows(text, data.getFileName().toString());
    if (rows.isEmpty()) {
      throw new BadData(data.getFileName() + " is empty — its first line must name the columns");
    }
    List<String> header = rows.get(0);
    List<Map<String, String>> items = new ArrayList<>(rows.size() - 1);
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isEmpty()) {
        continue; // a blank line
      }
      if (row.size() != header.size()) {
        throw new BadData(
            data.getFileName()
                + " line "
                + (r + 1)
                + " has "
                + row.size()
                + " values for "
                + header.size()
                + " columns ("
                + String.join(", ", header)
                + ") — quote values that contain commas");
      }
      Map<String, String> item = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        item.put(header.get(c).strip(), row.get(c));
      }
      items.add(item);
    }
    return items;
  }

  private static List<Map<String, String>> json(Path data, String text) throws BadData {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadData(
          data.getFileName() + " is not valid JSON (" + e.getOriginalMessage() + ") — fix it");
    }
    if (root == null || !root.isArray()) {
      throw new BadData(data.getFileName() + " must hold a JSON array of objects");
    }
    List<Map<String, String>> items = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode o = root.get(i);
      if (!o.isObject()) {
        throw new BadData(
            data.getFileName() + " item " + (i + 1) + " is not an object — write {\"id\": ...}");
      }
      Map<String, String> item = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode v = f.getValue();
        if (v.isContainerNode()) {
          throw new BadData(
              data.getFileName()
                  + " item "
                  + (i + 1)
                  + " key '"
                  + f.getKey()
                  + "' holds a list or object — for_each values must be text, numbers or booleans");
        }
        item.put(f.getKey(), v.isNull() ? "" : v.asText());
      }
      items.add(item);
    }
    return items;
  }
}
