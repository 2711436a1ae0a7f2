package io.updraft.worker;

import io.updraft.UpdraftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Paths built from names that come from outside — a dag_id, run_id, task_id or try number, a
 * bundle's hash — under a root folder (the logs, the bundle cache). Each name must be one plain
 * file or folder name, and the path must stay under its root, also through symbolic links that
 * already exist there; otherwise nothing is built and the caller gets a one-line error.
 *
 * <p>The ids are validated where they enter (dag_ids and task_ids when a DAG is read, run_ids by
 * {@link io.updraft.dag.RunIdRule}); this is the second line, for a row written to the database by
 * anything else.
 */
public final class SafePaths {

  /** A path that would leave its root; the message says which name and which root. */
  public static final class UnsafePathException extends UpdraftException {
    UnsafePathException(String message) {
      super(message);
    }
  }

  private SafePaths() {}

  /**
   * {@code root/names[0]/names[1]/…}, absolute and normalized.
   *
   * @throws UnsafePathException if a name is empty, {@code .} or {@code ..}, or holds a separator
   *     or a NUL, or if the path would reach outside {@code root} (through a symbolic link too)
   */
  public static Path under(Path root, String... names) {
    Path path = named(root, names);
    checkLinks(root.toAbsolutePath().normalize(), path);
    return path;
  }

  /**
   * {@link #under} by the names alone, without looking at the file system: for a writer that checks
   * the links on the way itself as it makes the folders ({@link LogFolders}).
   *
   * @throws UnsafePathException if a name is not one plain file name
   */
  static Path named(Path root, String... names) {
    Path base = root.toAbsolutePath().normalize();
    Path path = base;
    for (String name : names) {
      if (name.isEmpty()
          || name.equals(".")
          || name.equals("..")
          || name.indexOf('/') >= 0
          || name.indexOf('\\') >= 0
          || name.indexOf('\0') >= 0) {
        throw new UnsafePathException(
            "refusing the path '"
                + String.join("/", names).replace("\0", "\\0")
                + "' under "
                + base
                + ": '"
                + name.replace("\0", "\\0")
                + "' is not a plain file name (ids must not hold '/', '\\' or be '..')");
      }
      path = path.resolve(name);
    }
    path = path.normalize();
    if (!path.startsWith(base) || path.equals(base)) {
      throw new UnsafePathException("refusing " + path + ": it is not under " + base);
    }
    return path;
  }

  /**
   * A path given by a user relative to {@code root} ({@code sql_file: queries/load.sql}), which may
   * name sub-folders but must stay under {@code root}, also through symbolic links.
   *
   * @throws UnsafePathException if it is absolute, or reaches outside {@code root}
   */
  public static Path relative(Path root, String relative) {
    Path base = root.toAbsolutePath().normalize();
    if (relative.indexOf('\0') >= 0 || Path.of(relative).isAbsolute()) {
      throw new UnsafePathException(
          "refusing '" + relative.replace("\0", "\\0") + "': give a path relative to " + base);
    }
    Path path = base.resolve(relative).normalize();
    if (!path.startsWith(base) || path.equals(base)) {
      throw new UnsafePathException(
          "refusing '" + relative + "': it leads outside " + base + " (no '..' out of the folder)");
    }
    checkLinks(base, path);
    return path;
  }

  /**
   * A folder or file already there on the way (made by someone with access to the root) may be a
   * symbolic link; the real path of the deepest one that exists must still be under the real root.
   */
  private static void checkLinks(Path base, Path path) {
    Path existing = path;
    while (existing != null
        && existing.startsWith(base)
        && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(base) || existing.equals(base)) {
      return; // nothing below the root exists yet: no link to follow
    }
    try {
      Path realBase = base.toRealPath();
      Path real = existing.toRealPath();
      if (!real.startsWith(realBase)) {
        throw new UnsafePathException(
            "refusing " + path + ": " + existing + " links to " + real + ", outside " + realBase);
      }
    } catch (IOException e) {
      throw new UnsafePathException(
          "refusing " + path + ": cannot resolve " + existing + " (" + e.getMessage() + ")");
    }
  }
}
