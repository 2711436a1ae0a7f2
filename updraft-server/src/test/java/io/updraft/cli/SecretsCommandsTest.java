package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasks test} and {@code dags test} with a connection and a variable stored in the home's
 * database: templates read them, and no output or log shows the secrets (SPEC §1.7).
 */
class SecretsCommandsTest {
  @TempDir Path home;
  @TempDir Path dags;

  private CliRun run(String... args) {
    return CliRun.in(home, dags, args);
  }

  private void setUp() throws Exception {
    assertThat(run("db", "migrate").exitCode()).isZero();
    CliRun add =
        run("connections", "add", "db", "--conn-uri", "postgresql://etl:pw%2F9182@dbhost:5432/dw");
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(run("variables", "set", "api_token", "tok-5150").exitCode()).isZero();
    Files.writeString(
        dags.resolve("s.yaml"),
        """
        dag_id: s
        schedule: null
        tasks:
          - task_id: show
            operator: shell
            command: "echo {{ conn.db.login }} {{ conn.db.password }}; echo \\"$PW $TOKEN\\""
            env:
              PW: "{{ conn.db.password }}"
              TOKEN: "{{ var.value.api_token }}"
          - task_id: missing
            operator: shell
            command: "echo {{ conn.nope.host }}"
        """);
  }

  @Test
  void tasksTestPrintsTheLogWithTheSecretsMasked() throws Exception {
    setUp();
    CliRun r = run("tasks", "test", "s", "show", "2024-01-01");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("etl ***\n")
        .contains("*** ***\n")
        .contains("task show: success (return value: *** ***)")
        .doesNotContain("pw/9182")
        .doesNotContain("tok-5150");

    CliRun missing = run("tasks", "test", "s", "missing", "2024-01-01");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).contains("connection 'nope' is not defined");
  }

  @Test
  void dagsTestReadsTheHomesConnectionsAndItsLogsAreMasked() throws Exception {
    setUp();
    CliRun r = run("dags", "test", "s", "2024-01-01", "-o", "json");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1); // 'missing' fails
    assertThat(r.out()).contains("\"success\"").doesNotContain("pw/9182");
    String logs;
    try (Stream<Path> files = Files.walk(home.resolve("logs/dag_id=s"))) {
      logs =
          files
              .filter(Files::isRegularFile)
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (java.io.IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .reduce("", String::concat);
    }
    assertThat(logs)
        .contains("etl ***")
        .contains("connection 'nope' is not defined")
        .doesNotContain("pw/9182")
        .doesNotContain("tok-5150");
  }
}
