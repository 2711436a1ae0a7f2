package io.updraft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules (DESIGN.md): scheduling never depends on parsing. The scheduler, the store,
 * the executors and the rules work on serialized DAGs only; they cannot reach the DAG-file parser,
 * YAML, the CLI or the authoring SDK's user-facing builder.
 */
class ArchitectureTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);
  private static final Path SRC = Path.of("src/main/java/io/updraft");

  private static List<String> violations(List<String> packages, List<String> forbidden)
      throws IOException {
    List<String> found = new ArrayList<>();
    for (String pkg : packages) {
      Path dir = SRC.resolve(pkg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String text = Files.readString(f);
          Matcher m = IMPORT.matcher(text);
          while (m.find()) {
            String imported = m.group(2);
            forbidden.stream()
                .filter(imported::startsWith)
                .forEach(x -> found.add(pkg + "/" + f.getFileName() + " imports " + imported));
          }
          // Same-package-free references by full name count too.
          forbidden.stream()
              .filter(x -> x.startsWith("io.updraft.") && text.contains(x + "."))
              .filter(x -> !text.contains("package " + x))
              .forEach(x -> found.add(pkg + "/" + f.getFileName() + " names " + x));
        }
      }
    }
    return found;
  }

  @Test
  void schedulingNeverReachesParsingOrTheCli() throws IOException {
    assertThat(
            violations(
                List.of("scheduler", "store", "executor", "rules", "state", "serde"),
                List.of(
                    "io.updraft.dagproc",
                    "io.updraft.cli",
                    "org.snakeyaml",
                    "io.updraft.sdk.Dags",
                    "io.updraft.sdk.DagBuilder",
                    "io.updraft.sdk.DagSource",
                    "javax.tools",
                    "java.lang.reflect")))
        .as("the scheduler side must work on serialized DAGs only")
        .isEmpty();
  }

  @Test
  void theStoreDoesNotDependOnTheSchedulerAboveIt() throws IOException {
    assertThat(
            violations(
                List.of("store", "state", "rules", "serde"),
                List.of("io.updraft.scheduler", "io.updraft.executor", "io.updraft.cli")))
        .isEmpty();
  }
}
