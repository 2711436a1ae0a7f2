package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dagproc.DagProcessor;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dags list-import-errors: what the DAG processor recorded, in text and JSON. */
class ImportErrorsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path dags;

  private CliRun run(String... args) {
    return CliRun.in(home, dags, args);
  }

  private void process() {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home));
        DagProcessor processor =
            new DagProcessor(
                db,
                new DagProcessor.Settings(
                    dags, true, Duration.ofSeconds(30), Duration.ofHours(1), 1),
                Clock.systemUTC())) {
      processor.scan();
    }
  }

  @Test
  void listsEachErrorWithItsPositionAndForgetsItOnceFixed() throws Exception {
    assertThat(run("db", "migrate").exitCode()).isZero();
    Path file = dags.resolve("broken.yaml");
    Files.writeString(
        file,
        "dag_id: b\nschedule: \"61 * * * *\"\nstart_date: 2024-01-01\n"
            + "tasks: [{task_id: a, operator: empty}]\n");
    process();

    CliRun json = run("dags", "list-import-errors", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode error = JSON.readTree(json.out()).get(0);
    assertThat(error.fieldNames())
        .toIterable()
        .containsExactly("filename", "line", "column", "message", "timestamp");
    assertThat(error.get("filename").asText()).isEqualTo(file.toString());
    assertThat(error.get("line").asInt()).isEqualTo(2);
    assertThat(error.get("message").asText()).contains("61");

    CliRun text = run("dags", "list-import-errors");
    assertThat(text.out()).contains("broken.yaml").contains("61");

    Files.writeString(file, Files.readString(file).replace("61 * * * *", "@daily"));
    process();
    assertThat(JSON.readTree(run("dags", "list-import-errors", "-o", "json").out())).isEmpty();
  }

  @Test
  void withoutAMigratedDatabaseItSaysWhatToDo() {
    CliRun r = run("dags", "list-import-errors");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("updraft db migrate").hasLineCount(1);
  }
}
