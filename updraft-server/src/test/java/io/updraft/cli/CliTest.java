package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dags;
  @TempDir Path home;

  /** The CLI with a home of its own, so no developer's ~/updraft database is read. */
  private CliRun cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private void write(String name, String yaml) throws IOException {
    Path file = dags.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
  }

  private static final String DAILY =
      """
      dag_id: daily
      schedule: "0 0 * * *"
      start_date: 2024-01-01
      tags: [a, b]
      tasks:
        - {task_id: extract, operator: shell, command: "true"}
        - {task_id: load, operator: shell, command: "true", upstream: [extract]}
        - {task_id: report, operator: empty, upstream: [extract, load], trigger_rule: all_done}
      """;

  @Test
  void triggererRefusesACapacityBelowOneAndSaysWhatItDoes() {
    CliRun zero = cli("triggerer", "--capacity", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--capacity must be at least 1, not 0");
    CliRun help = cli("triggerer", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--capacity=N").contains("deferred waits");
  }

  @Test
  void versionPrintsTheBuildVersion() {
    CliRun run = cli("version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("updraft ").doesNotContain("unknown").doesNotContain("${");
  }

  @Test
  void dagsListPrintsEveryDagAsJson() throws IOException {
    write("daily.yaml", DAILY);
    write(
        "sub/manual.yml",
        "dag_id: manual\nschedule: null\ntasks:\n  - {task_id: a, operator: empty}\n");
    CliRun run = cli("--dags-folder", dags.toString(), "dags", "list", "--output", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode list = JSON.readTree(run.out());
    assertThat(list).hasSize(2);
    List<String> ids = new ArrayList<>();
    list.forEach(n -> ids.add(n.get("dag_id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("daily", "manual");
    JsonNode daily = list.get(ids.indexOf("daily"));
    assertThat(daily.fieldNames())
        .toIterable()
        .containsExactly("dag_id", "fileloc", "is_paused", "schedule", "next_dagrun", "tags");
    assertThat(daily.get("schedule").asText()).isEqualTo("0 0 * * *");
    assertThat(daily.get("fileloc").asText()).isEqualTo(dags.resolve("daily.yaml").toString());
    assertThat(daily.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(list.get(ids.indexOf("manual")).get("next_dagrun").isNull()).isTrue();
  }

  @Test
  void dagsListReportsBrokenFilesOnStderrAndStillListsTheOthers() throws IOException {
    write("daily.yaml", DAILY);
    write(
        "broken.yaml",
        "dag_id: broken\nschedule: null\ntasks:\n  - {task_id: a, operator: nope}\n");
    CliRun run = cli("dags", "list", "--dags-folder", dags.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("daily").doesNotContain("broken");
    assertThat(run.err()).contains(dags.resolve("broken.yaml") + ":4:").contains("nope");
  }

  @Test
  void dagsListWithoutAFolderSaysHowToSetOne() {
    CliRun run = cli("dags", "list", "--dags-folder", dags.resolve("missing").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("missing").contains("--dags-folder");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void dagsShowDrawsTheTaskTree() throws IOException {
    write("daily.yaml", DAILY);
    CliRun run = cli("--dags-folder", dags.toString(), "dags", "show", "daily");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("DAG daily")
        .contains("└── extract [shell]")
        .contains("├── load [shell]")
        .contains("report [empty]  all_done of [extract, load]")
        .contains("(see above)");
  }

  @Test
  void unknownDagIsOneClearLine() throws IOException {
    write("daily.yaml", DAILY);
    CliRun run = cli("--dags-folder", dags.toString(), "dags", "show", "dialy");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .startsWith("updraft: DAG 'dialy' not found")
        .contains("dags list");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void nextRunsAsJson() throws IOException {
    write("daily.yaml", DAILY);
    CliRun run =
        cli(
            "--dags-folder",
            dags.toString(),
            "dags",
            "next-runs",
            "daily",
            "--count",
            "2",
            "--output",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode runs = JSON.readTree(run.out());
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).toString())
        .isEqualTo(
            "{\"logical_date\":\"2024-01-01T00:00:00.000Z\","
                + "\"data_interval_start\":\"2024-01-01T00:00:00.000Z\","
                + "\"data_interval_end\":\"2024-01-02T00:00:00.000Z\","
                + "\"run_after\":\"2024-01-02T00:00:00.000Z\"}");
    assertThat(runs.get(1).get("logical_date").asText()).isEqualTo("2024-01-02T00:00:00.000Z");
  }

  @Test
  void nextRunsSinceAndEndDate() throws IOException {
    write(
        "hourly.yaml",
        """
        dag_id: hourly
        schedule: "@hourly"
        start_date: 2024-01-01T00:00
        end_date: 2024-01-01T05:00
        tasks: [{task_id: a, operator: empty}]
        """);
    CliRun run =
        cli(
            "--dags-folder",
            dags.toString(),
            "dags",
            "next-runs",
            "hourly",
            "--since",
            "2024-01-01T03:00:00Z",
            "--count",
            "10",
            "-o",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> starts = new ArrayList<>();
    JSON.readTree(run.out()).forEach(n -> starts.add(n.get("logical_date").asText()));
    // end_date is inclusive: the interval starting at 05:00 is the last one.
    assertThat(starts)
        .containsExactly(
            "2024-01-01T03:00:00.000Z", "2024-01-01T04:00:00.000Z", "2024-01-01T05:00:00.000Z");
  }

  @Test
  void nextRunsTextTableShowsLocalTime() throws IOException {
    write("daily.yaml", DAILY.replace("start_date", "timezone: Asia/Kolkata\nstart_date"));
    CliRun run =
        cli("--dags-folder", dags.toString(), "dags", "next-runs", "daily", "--count", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("run_after (Asia/Kolkata)").contains("2024-01-02T00:00+05:30");
  }

  @Test
  void badArgumentsExitTwoWithOneLine() throws IOException {
    write("daily.yaml", DAILY);
    String folder = dags.toString();
    for (String[] args :
        List.of(
            new String[] {
              "--dags-folder", folder, "dags", "next-runs", "daily", "--since", "yesterday"
            },
            new String[] {"--dags-folder", folder, "dags", "next-runs", "daily", "--count", "0"},
            new String[] {"--dags-folder", folder, "dags", "next-runs", "daily", "--output", "xml"},
            new String[] {"dags", "lst"},
            new String[] {"--bogus"})) {
      CliRun run = cli(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("updraft: ");
      assertThat(run.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
  }

  @Test
  void nextRunsFollowLocalTimeAcrossDaylightSavingTime() throws IOException {
    // 02:00 Amsterdam does not exist on 2024-03-31: Airflow moves it forward to 03:00 CEST.
    write(
        "ams.yaml",
        """
        dag_id: ams
        schedule: "0 2 * * *"
        timezone: Europe/Amsterdam
        start_date: 2024-03-29
        tasks: [{task_id: a, operator: empty}]
        """);
    CliRun run =
        cli(
            "--dags-folder",
            dags.toString(),
            "dags",
            "next-runs",
            "ams",
            "--count",
            "4",
            "-o",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> runAfter = new ArrayList<>();
    JSON.readTree(run.out()).forEach(n -> runAfter.add(n.get("run_after").asText()));
    assertThat(runAfter)
        .containsExactly(
            "2024-03-30T01:00:00.000Z", // 02:00 CET
            "2024-03-31T01:00:00.000Z", // 03:00 CEST: 02:00 did not exist
            "2024-04-01T00:00:00.000Z", // 02:00 CEST
            "2024-04-02T00:00:00.000Z");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"dags", "--help"},
          {"dags", "list", "--help"},
          {"dags", "test", "--help"},
          {"tasks", "clear", "--help"},
          {"tasks", "set-state", "--help"},
          {"dags", "delete-run", "--help"},
          {"pools", "set", "--help"},
          {"standalone", "--help"},
        }) {
      CliRun r = cli(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage: updraft");
    }
    assertThat(cli("dags", "list", "--help").out()).contains("--output").contains("--dags-folder");
  }
}
