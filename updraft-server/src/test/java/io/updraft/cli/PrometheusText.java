package io.updraft.cli;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text page, for assertions. */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  private PrometheusText() {}

  /** The value of the sample {@code name} whose labels include {@code labels}; empty if none. */
  public static OptionalDouble value(String page, String name, Map<String, String> labels) {
    Matcher m = SAMPLE.matcher(page);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new java.util.HashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return OptionalDouble.of(parse(m.group(4)));
      }
    }
    return OptionalDouble.empty();
  }

  public static OptionalDouble value(String page, String name) {
    return value(page, name, Map.of());
  }

  private static double parse(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
