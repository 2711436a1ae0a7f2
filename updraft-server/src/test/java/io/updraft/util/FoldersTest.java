package io.updraft.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {
  @TempDir Path tmp;

  @Test
  void deletesAFolderAndEverythingBelowIt() throws IOException {
    Path dir = tmp.resolve("work");
    Files.createDirectories(dir.resolve("a/b/c"));
    Files.writeString(dir.resolve("a/b/c/file.txt"), "x");
    Files.writeString(dir.resolve("top.txt"), "y");
    Files.createFile(
        dir.resolve("a/read-only"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));

    Folders.deleteTree(dir);

    assertThat(dir).doesNotExist();
    assertThat(tmp).exists();
  }

  @Test
  void removesSymbolicLinksWithoutFollowingThem() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Path dir = Files.createDirectories(tmp.resolve("work"));
    Files.createSymbolicLink(dir.resolve("link-to-folder"), outside);
    Files.createSymbolicLink(dir.resolve("link-to-file"), outside.resolve("keep.txt"));

    Folders.deleteTree(dir);

    assertThat(dir).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("keep");
  }

  @Test
  void aFolderThatIsNotThereIsNothingToDo() throws IOException {
    Folders.deleteTree(tmp.resolve("absent"));
    assertThat(Folders.deleteQuietly(tmp.resolve("absent"))).isTrue();
  }

  @Test
  void whatCannotBeDeletedIsReportedAfterDeletingTheRest() throws IOException {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root may delete from a read-only folder: nothing would fail");
    Path dir = Files.createDirectories(tmp.resolve("work"));
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.writeString(locked.resolve("stuck.txt"), "x");
    Files.writeString(dir.resolve("free.txt"), "y");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertThatThrownBy(() -> Folders.deleteTree(dir)).isInstanceOf(AccessDeniedException.class);
      assertThat(dir.resolve("free.txt")).doesNotExist();
      assertThat(locked.resolve("stuck.txt")).exists();
      assertThat(Folders.deleteQuietly(dir)).isFalse();
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
