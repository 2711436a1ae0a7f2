package io.updraft.worker;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the folders of the tries' log files ({@code dag_id=…/run_id=…/task_id=…}) and remembers the
 * ones it made or checked, so that the next try of the same task — or the same run — makes none.
 * One per task runner, shared by its tries.
 *
 * <p>The folders are found with {@link Files#isDirectory} and made with {@link
 * Files#createDirectory}, one level at a time from the deepest one there: unlike {@link
 * Files#createDirectories}, and {@link SafePaths#under}'s existence checks, this throws no
 * exception inside the JDK when a folder is missing or already there (a JFR recording of issue 15
 * counted about three per try). The guarantee of {@link SafePaths#under} is kept: the deepest
 * folder already there must really be under the real root (a symbolic link on the way may not lead
 * out), the folders below it are made here ({@code mkdir} follows no link), and {@link TryLog}
 * opens the file itself without following a link.
 *
 * <p>A remembered folder is not looked at again. One removed meanwhile (logs cleaned up by hand)
 * makes the open fail; the caller then {@linkplain #forget forgets} it and prepares it again.
 */
final class LogFolders {

  /** Folders remembered at most: the most recently used ones. */
  static final int REMEMBERED = 4096;

  private final Set<Path> known =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  private final Map<Path, Path> realRoots = new ConcurrentHashMap<>();

  /**
   * Makes sure {@code folder}, under {@code root}, exists and does not lead out of it.
   *
   * @param root absolute and normalized, as {@link SafePaths#named} makes the paths under it
   * @param folder a folder under {@code root}, built by {@link SafePaths#named}
   * @throws SafePaths.UnsafePathException if a folder on the way links outside {@code root}
   * @throws IOException if a folder cannot be made (or a file of that name is in the way)
   */
  void prepare(Path root, Path folder) throws IOException {
    if (known.contains(folder)) {
      return;
    }
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = folder;
    // A remembered folder on the way is taken as there, without a stat (one per try saved).
    while (!existing.equals(root) && !known.contains(existing) && !Files.isDirectory(existing)) {
      missing.push(existing);
      existing = existing.getParent();
    }
    if (existing.equals(root)) {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root);
      }
    } else if (!known.contains(existing)) {
      Path realRoot = realRoot(root);
      Path real = existing.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new SafePaths.UnsafePathException(
            "refusing " + folder + ": " + existing + " links to " + real + ", outside " + realRoot);
      }
    }
    for (Path level : missing) {
      try {
        Files.createDirectory(level);
      } catch (NoSuchFileException e) {
        // A remembered folder above it was removed (logs cleaned up by hand): look again.
        if (!known.contains(existing)) {
          throw e;
        }
        forgetUpTo(root, existing);
        prepare(root, folder);
        return;
      } catch (FileAlreadyExistsException e) {
        // made by another try meanwhile, or a file or a dangling link in the way
        if (!Files.isDirectory(level, LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
      }
      known.add(level);
    }
    known.add(folder);
  }

  /** Looks at {@code folder} again next time: it was not there after all. */
  void forget(Path folder) {
    known.remove(folder);
  }

  /** Forgets {@code folder} and the folders above it, up to {@code root}. */
  private void forgetUpTo(Path root, Path folder) {
    for (Path p = folder; p != null && !p.equals(root); p = p.getParent()) {
      known.remove(p);
    }
  }

  private Path realRoot(Path root) throws IOException {
    Path real = realRoots.get(root);
    if (real == null) {
      real = root.toRealPath();
      realRoots.put(root, real);
    }
    return real;
  }
}
