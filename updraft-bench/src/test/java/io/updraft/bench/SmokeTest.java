package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario at its tiny smoke size, once after a warm-up: it completes, and what it reports is
 * sane — counts right, times above zero, the JSON well formed. No timing is asserted: these sizes
 * measure nothing.
 */
class SmokeTest {
  /**
   * How far VmHWM may trail a VmRSS sampled before it: the kernel records the high-water mark only
   * at some points (an unmap) and from approximate per-CPU counters, so a sample taken between them
   * can exceed it by a few pages (a run saw 16 KB).
   */
  private static final double HWM_LAG_MB = 1.0;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private JsonNode run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        BenchMain.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, JsonNode> byName(JsonNode array) {
    Map<String, JsonNode> m = new TreeMap<>();
    array.forEach(o -> m.put(o.get("scenario").asText() + " " + o.get("case").asText(), o));
    return m;
  }

  @Test
  void everyScenarioRunsOnH2AndReportsSaneFigures() throws Exception {
    Path jfr = tmp.resolve("bench.jfr");
    JsonNode results = run("--smoke", "--repeat", "1", "--output", "json", "--jfr", jfr.toString());

    Map<String, JsonNode> r = byName(results);
    assertThat(r.keySet())
        .containsExactly(
            "bulk-runs busy",
            "bulk-runs idle",
            "chaos 30-tis",
            "custom-operator loader-per-try-5",
            "dag-versions edit-visible",
            "dag-versions worker-fetch",
            "idle-footprint 3-dags",
            "inline-chains empty-3x3",
            "inline-chains http-3x3",
            "inline-chains http-3x3-upstream",
            "operator-overhead http-3",
            "operator-overhead sql-3",
            "parse-4000 cold",
            "parse-4000 rescan",
            "print-footprint 1MB-lines",
            "print-footprint 1MB-one-line",
            "process-tasks 3x3",
            "scaling local-http",
            "scaling s1-w1-shell",
            "scaling s2-w2-http",
            "seed000-local 1x12",
            "seed000-local 2x12",
            "seed000-null 2x12",
            "seed000-null 2x13",
            "sensor-latency external-task",
            "sensor-latency file-2s",
            "sensor-pool 5-sensors-4-tasks",
            "sensors 10-deferred",
            "task-lag 3x3",
            "task-lag 3x3-one-at-a-time",
            "tasks-logs 1MB",
            "throughput 2x13",
            "throughput 2x13-pool1024",
            "ui-pages 20-dags-5x5",
            "work-footprint all-3");
    for (JsonNode o : results) {
      assertThat(o.get("db").asText()).isEqualTo("h2");
      assertThat(o.get("repeat").asInt()).isEqualTo(1);
      assertThat(o.get("median_s").asDouble()).isPositive();
      assertThat(o.get("min_s").asDouble()).isEqualTo(o.get("median_s").asDouble());
      assertThat(o.get("max_s").asDouble()).isEqualTo(o.get("median_s").asDouble());
    }
    assertThat(r.get("dag-versions edit-visible").get("max_ms").asDouble())
        .isGreaterThanOrEqualTo(
            r.get("dag-versions edit-visible").get("median_s").asDouble() * 1000);
    assertThat(r.get("dag-versions worker-fetch").get("p99_ms").asDouble())
        .isGreaterThanOrEqualTo(
            r.get("dag-versions worker-fetch").get("median_s").asDouble() * 1000);
    JsonNode null12 = r.get("seed000-null 2x12");
    assertThat(null12.get("runs").asInt()).isEqualTo(2);
    assertThat(null12.get("tasks").asInt()).isEqualTo(12);
    assertThat(null12.get("tis_per_s").asDouble())
        .isCloseTo(
            24 / null12.get("median_s").asDouble(), org.assertj.core.data.Offset.offset(1.0));
    for (String chains :
        List.of(
            "inline-chains empty-3x3",
            "inline-chains http-3x3",
            "inline-chains http-3x3-upstream")) {
      assertThat(r.get(chains).get("workflows_per_s").asDouble()).as(chains).isPositive();
      assertThat(r.get(chains).get("units_per_group_commit").asDouble())
          .as(chains)
          .isGreaterThanOrEqualTo(1.0);
      // the scheduler loop ran passes while the chains ran, and they took time
      assertThat(r.get(chains).get("passes_per_wf").asDouble()).as(chains).isPositive();
      assertThat(r.get(chains).get("pass_ms").asDouble()).as(chains).isPositive();
      assertThat(r.get(chains).get("loop_busy").asDouble()).as(chains).isPositive();
    }
    JsonNode proc = r.get("process-tasks 3x3");
    assertThat(proc.get("ratio").asDouble()).isPositive();
    assertThat(proc.get("baseline_tasks_per_s").asDouble()).isPositive();
    assertThat(proc.get("jvm_cpu_ms_per_task").asDouble()).isNotNegative();
    JsonNode lag = r.get("task-lag 3x3");
    assertThat(lag.get("runs").asInt()).isEqualTo(3);
    assertThat(lag.get("dags").asInt()).isEqualTo(3);
    assertThat(lag.get("lag_p50_ms").asDouble()).isPositive();
    assertThat(lag.get("lag_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(lag.get("lag_p50_ms").asDouble());
    assertThat(lag.get("makespan_s").asDouble()).isPositive();
    assertThat(lag.has("tis_per_s")).isFalse();
    assertThat(r.get("parse-4000 cold").get("dags").asInt()).isEqualTo(20);
    JsonNode idle = r.get("idle-footprint 3-dags");
    assertThat(idle.get("rss_mb").asDouble()).isBetween(10.0, 4096.0);
    assertThat(idle.get("peak_rss_mb").asDouble())
        .isGreaterThanOrEqualTo(idle.get("rss_mb").asDouble());

    for (String c : List.of("operator-overhead http-3", "operator-overhead sql-3")) {
      JsonNode op = r.get(c);
      assertThat(op.get("per_task_ms").asDouble()).as(c).isPositive();
      assertThat(op.get("request_ms").asDouble()).as(c).isPositive();
      assertThat(op.get("overhead_ms").asDouble()).as(c).isNotNegative();
    }

    JsonNode custom = r.get("custom-operator loader-per-try-5");
    assertThat(custom.get("warm_p50_ms").asDouble()).isPositive();
    assertThat(custom.get("warm_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(custom.get("warm_p50_ms").asDouble());
    assertThat(custom.get("cold_p50_ms").asDouble()).isPositive();
    assertThat(custom.get("jvm_rss_mb").asDouble()).isBetween(10.0, 4096.0);

    JsonNode logs = r.get("tasks-logs 1MB");
    assertThat(logs.get("cat_s").asDouble()).isPositive();
    assertThat(logs.get("start_s").asDouble()).isPositive();
    assertThat(logs.get("ratio").asDouble()).isNotNegative();
    for (String c : List.of("print-footprint 1MB-lines", "print-footprint 1MB-one-line")) {
      JsonNode print = r.get(c);
      assertThat(print.get("rss_mb").asDouble()).as(c).isBetween(10.0, 4096.0);
      assertThat(print.get("rss_mb").asDouble())
          .as(c)
          .isGreaterThanOrEqualTo(print.get("rss_before_mb").asDouble());
      assertThat(print.get("peak_rss_mb").asDouble())
          .as(c)
          .isGreaterThanOrEqualTo(print.get("rss_mb").asDouble() - HWM_LAG_MB);
    }

    JsonNode work = r.get("work-footprint all-3");
    assertThat(work.get("runs").asInt()).isEqualTo(12);
    assertThat(work.get("rss_max_mb").asDouble())
        .isBetween(10.0, 4096.0)
        .isGreaterThanOrEqualTo(work.get("rss_before_mb").asDouble());
    assertThat(work.get("peak_rss_mb").asDouble())
        .isGreaterThanOrEqualTo(work.get("rss_max_mb").asDouble() - HWM_LAG_MB);
    assertThat(work.get("rss_settled_mb").asDouble()).isBetween(10.0, 4096.0);
    assertThat(work.get("operator_jvms").asDouble())
        .as("warm JVMs of the custom part")
        .isPositive();
    assertThat(work.get("operator_jvms_rss_mb").asDouble()).isBetween(10.0, 4096.0);

    JsonNode sensors = r.get("sensors 10-deferred");
    assertThat(sensors.get("deferred").asDouble()).isEqualTo(10.0);
    assertThat(sensors.get("slots_held").asDouble()).as("deferred sensors hold no slot").isZero();
    assertThat(sensors.get("heap_mb").asDouble()).isPositive();
    assertThat(sensors.get("rss_mb").asDouble()).isBetween(10.0, 4096.0);
    assertThat(sensors.get("cpu_pct").asDouble()).isNotNegative();
    for (String c : List.of("sensor-latency file-2s", "sensor-latency external-task")) {
      JsonNode latency = r.get(c);
      assertThat(latency.get("samples").asDouble()).as(c).isEqualTo(2.0);
      assertThat(latency.get("p99_ms").asDouble())
          .as(c)
          .isGreaterThanOrEqualTo(latency.get("p50_ms").asDouble());
    }
    JsonNode pool = r.get("sensor-pool 5-sensors-4-tasks");
    assertThat(pool.get("deferred").asDouble()).isEqualTo(5.0);
    assertThat(pool.get("ratio").asDouble()).isPositive();

    for (String c : List.of("scaling local-http", "scaling s2-w2-http", "scaling s1-w1-shell")) {
      JsonNode scaling = r.get(c);
      assertThat(scaling.get("runs").asInt() * scaling.get("tasks").asInt()).as(c).isEqualTo(6);
      assertThat(scaling.get("tis_per_s").asDouble()).as(c).isPositive();
      assertThat(scaling.get("sched_cpu_ms_per_ti").asDouble()).as(c).isPositive();
      assertThat(scaling.get("cores_used").asDouble()).as(c).isPositive();
      assertThat(scaling.get("pg_cpu_ms_per_ti").asDouble())
          .as(c + ": H2 is in the processes")
          .isZero();
    }
    assertThat(r.get("scaling local-http").get("worker_cpu_ms_per_ti").asDouble()).isZero();
    for (String c : List.of("scaling s2-w2-http", "scaling s1-w1-shell")) {
      assertThat(r.get(c).get("worker_cpu_ms_per_ti").asDouble()).as(c).isPositive();
      assertThat(r.get(c).get("api_cpu_ms_per_ti").asDouble()).as(c).isPositive();
    }

    JsonNode chaos = r.get("chaos 30-tis");
    assertThat(chaos.get("kills").asDouble())
        .as("each of the five components once")
        .isGreaterThanOrEqualTo(5);
    assertThat(chaos.get("task_processes").asDouble()).isGreaterThanOrEqualTo(30);
    assertThat(chaos.get("pool_max").asDouble()).isBetween(1.0, 3.0);
    assertThat(chaos.get("violations").asDouble()).as("broken promises under kill -9").isZero();

    JsonNode ui = r.get("ui-pages 20-dags-5x5");
    for (String page : List.of("dags", "dags_search", "api_dags")) {
      assertThat(ui.get(page + "_ms").asDouble()).as(page).isPositive();
      assertThat(ui.get(page + "_kb").asDouble()).as(page).isPositive();
      assertThat(ui.get(page + "_raw_kb").asDouble())
          .as(page)
          .isGreaterThanOrEqualTo(ui.get(page + "_kb").asDouble());
    }

    // one recording of the measured runs only: one part per measured run, events in it
    List<String> types = new ArrayList<>();
    for (var e : RecordingFile.readAllEvents(jfr)) {
      types.add(e.getEventType().getName());
    }
    assertThat(types).contains("jdk.ExecutionSample");
  }

  @Test
  void scalingRunsOnPostgres() throws Exception {
    JsonNode results =
        run(
            "--smoke",
            "--scenario",
            "scaling",
            "--db",
            "postgres",
            "--output",
            "json",
            "--repeat",
            "1");
    Map<String, JsonNode> r = byName(results);
    assertThat(r.keySet())
        .containsExactly("scaling local-http", "scaling s1-w1-shell", "scaling s2-w2-http");
    for (JsonNode o : results) {
      assertThat(o.get("db").asText()).isEqualTo("postgres");
      assertThat(o.get("tis_per_s").asDouble()).isPositive();
      assertThat(o.get("pg_cpu_ms_per_ti").asDouble()).as("the database's backends").isPositive();
    }
  }

  @Test
  void seed000NullRunsOnPostgres() throws Exception {
    JsonNode results =
        run(
            "--smoke",
            "--scenario",
            "seed000-null",
            "--db",
            "postgres",
            "--output",
            "json",
            "--repeat",
            "1");
    assertThat(results).hasSize(2);
    for (JsonNode o : results) {
      assertThat(o.get("db").asText()).isEqualTo("postgres");
      assertThat(o.get("median_s").asDouble()).isPositive();
    }
  }
}
