package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.bundle.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands print no info log lines unless {@code --verbose}. In a JVM of its own: the level is
 * fixed when the first logger is created, which in the test JVM happened long ago.
 */
class LogLevelsTest {
  @TempDir Path tmp;

  private record Result(int exitCode, String out, String err) {}

  private Result updraft(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("--home", tmp.resolve("home").toString()));
    all.addAll(List.of("--dags-folder", tmp.resolve("dags").toString()));
    all.addAll(List.of(args));
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    // Without the test classes: their simplelogger.properties quiets every test JVM, and the
    // command must run with the one it ships with.
    List<String> command = new ArrayList<>(JavaCommand.of(Main.class.getName(), all));
    int cp = command.indexOf("-cp") + 1;
    List<String> classPath =
        Arrays.stream(command.get(cp).split(File.pathSeparator))
            .filter(e -> !Path.of(e).endsWith("test-classes"))
            .toList();
    assertThat(classPath).as("the class path lists the main classes").isNotEmpty();
    command.set(cp, String.join(File.pathSeparator, classPath));
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("updraft " + all + " ended").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void dagsTestPrintsNoInfoLinesUnlessVerbose() throws Exception {
    Files.createDirectories(tmp.resolve("dags"));
    Files.writeString(
        tmp.resolve("dags/d.yaml"),
        "dag_id: d\nschedule: null\ntasks:\n  - {task_id: a, operator: shell, command: \"true\"}\n");
    Result quiet = updraft("dags", "test", "d");
    assertThat(quiet.exitCode()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains("run manual__");
    assertThat(quiet.err()).doesNotContain("INFO").doesNotContain("migrated");

    Result verbose = updraft("dags", "test", "d", "--verbose");
    assertThat(verbose.exitCode()).as(verbose.err()).isZero();
    assertThat(verbose.err()).contains("INFO").contains("migrated the metadata database");
  }
}
