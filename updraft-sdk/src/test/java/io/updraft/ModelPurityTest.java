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
 * Architecture rule: the model ({@code io.updraft.dag}, {@code io.updraft.timetable}) is plain
 * Java. It imports only the JDK and itself, never the authoring API or anything that does I/O.
 */
class ModelPurityTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);
  private static final List<String> ALLOWED =
      List.of(
          "java.time.",
          "java.util.",
          "java.lang.",
          "java.math.",
          "io.updraft.dag.",
          "io.updraft.timetable.",
          "io.updraft.UpdraftException");

  @Test
  void modelImportsOnlyTheJdkAndItself() throws IOException {
    Path src = Path.of("src/main/java/io/updraft");
    List<String> violations = new ArrayList<>();
    for (String pkg : List.of("dag", "timetable")) {
      try (Stream<Path> files = Files.walk(src.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(f));
          while (m.find()) {
            String imported = m.group(2);
            if (ALLOWED.stream().noneMatch(imported::startsWith)) {
              violations.add(f.getFileName() + " imports " + imported);
            }
          }
        }
      }
    }
    assertThat(violations).as("the model must stay pure").isEmpty();
  }
}
