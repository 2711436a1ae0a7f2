package io.updraft.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deleting a folder and everything in it: the temporary folders of a try, a Java DAG file's parse
 * and {@code dags test}/{@code tasks test}. Symbolic links are removed, never followed, so a link a
 * task left in its working folder cannot make Updraft delete what it points at.
 */
public final class Folders {

  private Folders() {}

  /**
   * Deletes {@code dir} and everything below it; nothing when it does not exist. It goes on past a
   * path it cannot delete, so as little as possible is left behind.
   *
   * @throws IOException the first path that could not be read or deleted (later ones suppressed)
   */
  public static void deleteTree(Path dir) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      // Deepest first: a folder is empty by the time its turn comes.
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException e) {
      return;
    } catch (UncheckedIOException e) { // a folder below that cannot be read
      throw e.getCause();
    }
    IOException first = null;
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * As {@link #deleteTree}, for a temporary folder whose leftover is harmless: a failure is
   * ignored, so it never fails the work that used the folder.
   *
   * @return whether the folder is gone
   */
  public static boolean deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
