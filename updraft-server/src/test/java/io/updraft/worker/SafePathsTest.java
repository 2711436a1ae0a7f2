package io.updraft.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {
  @TempDir Path tmp;

  @Test
  void plainNamesMakeAPathUnderTheRoot() {
    Path root = tmp.resolve("logs");
    assertThat(SafePaths.under(root, "dag_id=d", "run_id=..", "attempt=1.log"))
        .isEqualTo(root.resolve("dag_id=d").resolve("run_id=..").resolve("attempt=1.log"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"run_id=../../../../tmp/escape", "..", ".", "", "a/b", "a\\b", "/etc", "a\0b"})
  void aNameThatIsNotOneFileNameIsRefused(String name) {
    Path root = tmp.resolve("logs");
    assertThatThrownBy(() -> SafePaths.under(root, "dag_id=d", name, "attempt=1.log"))
        .isInstanceOf(SafePaths.UnsafePathException.class)
        .hasMessageContaining("refusing")
        .hasMessageContaining(root.toString())
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
  }

  @Test
  void aSymbolicLinkOutOfTheRootIsRefused() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("logs"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("dag_id=d"), outside);
    assertThatThrownBy(() -> SafePaths.under(root, "dag_id=d", "run_id=r", "attempt=1.log"))
        .isInstanceOf(SafePaths.UnsafePathException.class)
        .hasMessageContaining("links to " + outside.toRealPath());
    Files.createSymbolicLink(root.resolve("dag_id=gone"), tmp.resolve("nothing-here"));
    assertThatThrownBy(() -> SafePaths.under(root, "dag_id=gone", "attempt=1.log"))
        .isInstanceOf(SafePaths.UnsafePathException.class)
        .hasMessageContaining("cannot resolve");
  }

  @Test
  void aSymbolicLinkWithinTheRootAndALinkedRootAreFine() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("real-logs"));
    Path root = Files.createSymbolicLink(tmp.resolve("logs"), real);
    Files.createDirectories(real.resolve("archive"));
    Files.createSymbolicLink(real.resolve("dag_id=d"), real.resolve("archive"));
    assertThat(SafePaths.under(root, "dag_id=d", "attempt=1.log"))
        .isEqualTo(root.resolve("dag_id=d/attempt=1.log"));
  }
}
