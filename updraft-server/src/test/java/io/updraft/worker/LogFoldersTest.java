package io.updraft.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.connections.SecretMasker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFoldersTest {

  @TempDir Path tmp;

  private Path root() throws IOException {
    return Files.createDirectories(tmp.resolve("logs")).toRealPath();
  }

  private static TryLog create(LogFolders folders, Path root, String run, String task, int n)
      throws IOException {
    Path path = TryLog.named(root, "d", run, task, n);
    return TryLog.create(folders, root, path, Clock.systemUTC(), new SecretMasker());
  }

  /** Removes a folder and what is in it, as logs cleaned up by hand. */
  private static void deleteTree(Path folder) throws IOException {
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void makesTheFoldersOfATryAndAppendsToItsFile() throws IOException {
    Path root = root();
    LogFolders folders = new LogFolders();
    try (TryLog log = create(folders, root, "r1", "t", 1)) {
      log.note("first");
    }
    try (TryLog log = create(folders, root, "r1", "t", 1)) {
      log.note("second");
    }
    Path file = root.resolve("dag_id=d/run_id=r1/task_id=t/attempt=1.log");
    assertThat(Files.readAllLines(file)).hasSize(2);
    try (TryLog log = create(folders, root, "r1", "u", 1)) {
      log.note("next task");
    }
    assertThat(root.resolve("dag_id=d/run_id=r1/task_id=u/attempt=1.log")).exists();
  }

  @Test
  void aRememberedFolderRemovedSinceIsMadeAgain() throws IOException {
    Path root = root();
    LogFolders folders = new LogFolders();
    create(folders, root, "r1", "t", 1).close();
    Path run = root.resolve("dag_id=d/run_id=r1");
    deleteTree(run);
    assertThat(run).doesNotExist();
    try (TryLog log = create(folders, root, "r1", "t", 2)) {
      log.note("again");
    }
    assertThat(run.resolve("task_id=t/attempt=2.log")).exists();
  }

  @Test
  void aNewTaskFolderUnderARememberedRunFolderRemovedSinceIsMadeWithItsRunFolder()
      throws IOException {
    Path root = root();
    LogFolders folders = new LogFolders();
    create(folders, root, "r1", "t", 1).close();
    Path run = root.resolve("dag_id=d/run_id=r1");
    deleteTree(run);
    try (TryLog log = create(folders, root, "r1", "u", 1)) {
      log.note("the next task of the run");
    }
    assertThat(run.resolve("task_id=u/attempt=1.log")).exists();
  }

  @Test
  void aFolderLinkingOutOfTheLogsIsRefusedAndNothingIsWrittenThere() throws IOException {
    Path root = root();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(root.resolve("dag_id=d"));
    Files.createSymbolicLink(root.resolve("dag_id=d/run_id=r1"), outside);
    assertThatThrownBy(() -> create(new LogFolders(), root, "r1", "t", 1))
        .isInstanceOf(SafePaths.UnsafePathException.class)
        .hasMessageContaining("outside");
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aLogFileThatIsALinkIsNotFollowed() throws IOException {
    Path root = root();
    Path target = tmp.resolve("elsewhere.txt");
    Path folder = Files.createDirectories(root.resolve("dag_id=d/run_id=r1/task_id=t"));
    Files.createSymbolicLink(folder.resolve("attempt=1.log"), target);
    assertThatThrownBy(() -> create(new LogFolders(), root, "r1", "t", 1))
        .isInstanceOf(IOException.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void aFileInTheWayOfAFolderFailsWithAnIoError() throws IOException {
    Path root = root();
    Files.createDirectories(root.resolve("dag_id=d"));
    Files.writeString(root.resolve("dag_id=d/run_id=r1"), "not a folder");
    assertThatThrownBy(() -> create(new LogFolders(), root, "r1", "t", 1))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theLogsRootIsMadeWhenMissing() throws IOException {
    Path root = tmp.resolve("new/logs").toAbsolutePath();
    create(new LogFolders(), root, "r1", "t", 1).close();
    assertThat(root.resolve("dag_id=d/run_id=r1/task_id=t/attempt=1.log")).exists();
  }
}
