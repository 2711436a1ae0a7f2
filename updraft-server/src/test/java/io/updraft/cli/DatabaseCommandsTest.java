package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.config.ConfigKey;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** db, pools and config commands against the embedded default database of a fresh home. */
class DatabaseCommandsTest {
  @TempDir Path home;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  @Test
  void aFreshHomeSaysToMigrateThenWorks() throws Exception {
    CliRun before = run("pools", "list");
    assertThat(before.exitCode()).isEqualTo(2);
    assertThat(before.err()).contains("updraft db migrate");

    CliRun migrate = run("db", "migrate");
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    assertThat(migrate.out()).startsWith("migrated to schema version ");
    String version = migrate.out().split(" ")[4].strip();
    assertThat(version).matches("[0-9]+");
    assertThat(run("db", "migrate").out()).startsWith("already at schema version " + version);
    assertThat(run("db", "check").out()).startsWith("ok: schema version " + version);

    assertThat(run("pools", "set", "etl", "4", "--description", "ETL jobs").exitCode()).isZero();
    assertThat(run("pools", "set", "etl", "6").exitCode()).isZero();
    JsonNode pools = new ObjectMapper().readTree(run("pools", "list", "-o", "json").out());
    assertThat(pools.toString())
        .isEqualTo(
            "[{\"name\":\"default_pool\",\"slots\":128,\"description\":\"Default pool\","
                + "\"include_deferred\":false},"
                + "{\"name\":\"etl\",\"slots\":6,\"description\":\"ETL jobs\","
                + "\"include_deferred\":false}]");
    assertThat(run("pools", "delete", "etl").out()).contains("deleted pool etl");
    assertThat(run("pools", "list").out()).doesNotContain("etl");
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new LogRepository(db).recent(3))
          .as("pool changes from the CLI are audited, as the API's are (PoolActions)")
          .extracting(LogRow::event, LogRow::owner)
          .containsExactly(
              tuple("pool.delete", System.getProperty("user.name")),
              tuple("pool.set", System.getProperty("user.name")),
              tuple("pool.set", System.getProperty("user.name")));
    }
  }

  @Test
  void badPoolCommandsChangeNothing() {
    run("db", "migrate");
    for (String[] args :
        new String[][] {
          {"pools", "delete", "default_pool"},
          {"pools", "delete", "nope"},
          {"pools", "set", "x", "-5"},
          {"pools", "set", "x", "many"},
        }) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
    assertThat(run("pools", "list").out()).contains("default_pool").doesNotContain("x ");
  }

  @Test
  void unreachableDatabaseIsOneLineWithoutThePassword() {
    CliRun r =
        run(
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/test?user=u&password=hunter2",
            "db",
            "check");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("127.0.0.1:1").doesNotContain("hunter2");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void configListShowsValuesAndSources() throws Exception {
    JsonNode rows =
        new ObjectMapper()
            .readTree(
                run(
                        "--db-url",
                        "jdbc:postgresql://u:secret@127.0.0.1/test",
                        "config",
                        "list",
                        "-o",
                        "json")
                    .out());
    assertThat(rows).hasSize(ConfigKey.ALL.size());
    assertThat(rows.get(0).get("key").asText()).isEqualTo("core.dags_folder");
    assertThat(rows.get(0).get("value").asText()).isEqualTo(home.resolve("dags").toString());
    assertThat(rows.get(1).get("value").asText()).doesNotContain("secret");
    assertThat(rows.get(1).get("source").asText()).isEqualTo("option");
    assertThat(rows.get(3).get("key").asText()).isEqualTo("core.parallelism");
    assertThat(rows.get(3).get("value").asText()).isEqualTo("32");
  }
}
