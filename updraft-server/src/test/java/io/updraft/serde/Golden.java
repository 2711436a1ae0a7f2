package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checked-in expected output. Each file holds the exact text plus one trailing newline. After a
 * deliberate format change, regenerate with {@code -Dupdraft.golden.update=true}, then review the
 * diff (and bump {@link DagSerializer#FORMAT_VERSION} if the shape changed).
 */
final class Golden {
  private static final Path DIR = Path.of("src/test/resources/serde");

  private Golden() {}

  static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("updraft.golden.update")) {
        Files.writeString(file, actual + "\n", StandardCharsets.UTF_8);
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual + "\n").isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read golden file " + file + " — create it with -Dupdraft.golden.update=true", e);
    }
  }
}
