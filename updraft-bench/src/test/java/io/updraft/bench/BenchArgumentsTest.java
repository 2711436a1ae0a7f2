package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments: exit 2 and one line saying how to fix them; nothing runs. */
class BenchArgumentsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BenchMain.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--scenario nope | unknown scenario 'nope' — use all or one of: seed000-null, seed000-local,",
        "--db mysql | unknown database 'mysql' for --db — use h2 or postgres",
        "--repeat 0 | --repeat must be a whole number of at least 1, not '0' (e.g. --repeat 5)",
        "--repeat many | --repeat must be a whole number of at least 1, not 'many'",
        "--output xml | unknown output format 'xml' for --output — use json or table",
        "--jfr | --jfr needs a value",
        "--fast | unknown argument '--fast' — updraft-bench [--scenario NAME|all]",
      })
  void badInputIsOneLineAndExitCode2(String args, String message) {
    assertThat(run(args.split(" "))).isEqualTo(2);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("updraft-bench: " + message).endsWith("\n");
    assertThat(text.strip()).doesNotContain("\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void helpListsTheScenarios() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--scenario NAME|all")
        .contains(String.join(", ", Scenarios.NAMES));
  }

  @Test
  void defaultsAreAllScenariosOnH2FiveTimes() {
    BenchOptions o = BenchOptions.parse(List.of());
    assertThat(o.scenarios()).isEqualTo(Scenarios.NAMES);
    assertThat(o.db()).isEqualTo(DbKind.H2);
    assertThat(o.repeat()).isEqualTo(5);
    assertThat(o.json()).isFalse();
    assertThat(o.jfr()).isNull();
  }
}
