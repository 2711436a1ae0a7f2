package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read command given a home that does not exist says so and creates nothing. */
class MissingHomeTest {
  @TempDir Path tmp;

  @Test
  void readCommandsRefuseAGivenHomeThatDoesNotExistAndCreateNothing() throws Exception {
    Path home = tmp.resolve("no-such-home");
    Path dags = Files.createDirectories(tmp.resolve("dags"));
    Files.writeString(
        dags.resolve("d.yaml"),
        "dag_id: d\nschedule: null\ntasks:\n  - {task_id: a, operator: shell, command: \"true\"}\n");
    for (String[] args :
        new String[][] {
          {"dags", "list"},
          {"dags", "show", "d"},
          {"dags", "next-runs", "d"},
          {"dags", "list-runs", "d"},
          {"dags", "list-import-errors"},
          {"tasks", "states", "d", "r"},
          {"tasks", "logs", "d", "r", "a"},
          {"pools", "list"},
          {"config", "list"},
          {"db", "check"},
          {"dags", "trigger", "d"},
          {"dags", "unpause", "d"},
          {"tasks", "clear", "d", "--yes"},
          {"tasks", "set-state", "d", "r", "a", "success"},
          {"dags", "delete-run", "d", "r"},
        }) {
      CliRun r = CliRun.in(home, dags, args);
      String what = String.join(" ", args);
      assertThat(r.exitCode()).as(what + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(what).hasLineCount(1).contains(home + " does not exist");
      assertThat(home).as(what).doesNotExist();
    }
  }

  @Test
  void aHomeWithoutADatabaseIsNotGivenAnEmptyOne() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    for (String[] args :
        new String[][] {{"pools", "list"}, {"db", "check"}, {"dags", "pause", "x"}}) {
      CliRun r = CliRun.of(prepend(home, args));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).hasLineCount(1).contains("no metadata database").contains("db migrate");
    }
    try (var files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void writeCommandsStillCreateTheHome() {
    Path home = tmp.resolve("new-home");
    CliRun migrate = CliRun.of(prepend(home, new String[] {"db", "migrate"}));
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    assertThat(home.resolve("updraft.mv.db")).exists();
    assertThat(CliRun.of(prepend(home, new String[] {"pools", "list"})).exitCode()).isZero();
  }

  @Test
  void aHomeFromTheEnvironmentCountsAsGiven() {
    assertThat(Settings.resolve(null, null, null, Map.of("UPDRAFT_HOME", "/x")).homeGiven())
        .isTrue();
    assertThat(Settings.resolve(tmp, null, null, Map.of()).homeGiven()).isTrue();
    assertThat(Settings.resolve(null, null, null, Map.of()).homeGiven()).isFalse();
  }

  private static String[] prepend(Path home, String[] args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }
}
