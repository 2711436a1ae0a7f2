package io.updraft.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Results as a JSON array (--output json) or as a table for people. */
final class Reports {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /** One object per workload, its fields in a stable order. */
  static Map<String, Object> object(Result r) {
    Workload w = r.workload();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("scenario", w.scenario());
    o.put("case", w.label());
    o.put("db", r.db().label());
    o.put("runs", w.runs());
    o.put("tasks", w.tasks());
    o.put("dags", w.dags());
    o.put("repeat", r.samples().size());
    o.put("median_s", round(r.medianSeconds()));
    o.put("min_s", round(r.minSeconds()));
    o.put("max_s", round(r.maxSeconds()));
    if (r.tisPerSecond() != null) {
      o.put("tis_per_s", Math.round(r.tisPerSecond()));
    }
    r.extras().forEach((k, v) -> o.put(k, round(v)));
    return o;
  }

  static String json(List<Result> results) {
    List<Map<String, Object>> out = new ArrayList<>();
    results.forEach(r -> out.add(object(r)));
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String table(List<Result> results) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%-15s %-8s %-9s %10s %21s %10s  %s%n",
            "scenario",
            "case",
            "db",
            "median s",
            "min – max s",
            "TIs/s",
            "other (medians)"));
    for (Result r : results) {
      Workload w = r.workload();
      StringBuilder other = new StringBuilder();
      r.extras()
          .forEach(
              (k, v) -> other.append(k).append('=').append(String.format(Locale.ROOT, "%.3f ", v)));
      t.append(
          String.format(
              Locale.ROOT,
              "%-15s %-8s %-9s %10s %10s – %8s %10s  %s%n",
              w.scenario(),
              w.label(),
              r.db().label(),
              seconds(r.medianSeconds()),
              seconds(r.minSeconds()),
              seconds(r.maxSeconds()),
              r.tisPerSecond() == null ? "" : String.valueOf(Math.round(r.tisPerSecond())),
              other.toString().trim()));
    }
    return t.toString();
  }

  /** Milliseconds and up to three decimals; what takes under 10 ms to the microsecond. */
  private static String seconds(double v) {
    return String.format(Locale.ROOT, v < 0.01 ? "%.6f" : "%.3f", v);
  }

  private static double round(double v) {
    return Math.round(v * 1_000_000) / 1_000_000.0; // µs: a worker-fetch takes well under 1 ms
  }
}
