package io.updraft.dagproc;

import io.updraft.UpdraftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and loads the DAG files of a dags folder: {@code *.yaml}, {@code *.yml}, {@code *.java} and
 * {@code *.jar} at any depth, in path order, minus what {@code .updraftignore} files exclude (see
 * {@link IgnoreRules} for the syntax). Hidden files and folders (names starting with a dot) are
 * skipped. Symbolic links are followed, each real folder searched once.
 *
 * <p>A dag_id defined in two files is an error on the later file in path order, as Airflow's DagBag
 * keeps the first DAG it found and reports the duplicate.
 */
public final class DagFolder {
  private DagFolder() {}

  /** The DAG files under {@code folder}, sorted by their path relative to it. */
  public static List<Path> dagFiles(Path folder) {
    requireFolder(folder);
    List<Path> out = new ArrayList<>();
    try {
      walk(folder, IgnoreRules.none(), out, new HashSet<>());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the dags folder " + folder, e);
    }
    out.sort(Comparator.comparing(p -> folder.relativize(p).toString().replace('\\', '/')));
    return out;
  }

  /** Parses every DAG file of the folder, Java ones with the default file timeout (30 s). */
  public static FolderResult load(Path folder) {
    return load(folder, Duration.ofSeconds(30));
  }

  /**
   * Parses every DAG file of the folder, each Java file or jar in a child JVM with {@code
   * javaTimeout}.
   */
  public static FolderResult load(Path folder, Duration javaTimeout) {
    YamlDagParser parser = new YamlDagParser();
    JavaDagParser java = new JavaDagParser();
    List<DagFileResult> results = new ArrayList<>();
    Map<String, Path> owner = new HashMap<>();
    for (Path file : dagFiles(folder)) {
      YamlDagParser.Parsed parsed;
      if (JavaDagParser.handles(file)) {
        try {
          parsed = java.parse(file, javaTimeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UpdraftException("interrupted while parsing " + file);
        }
      } else {
        parsed = parser.parseWithPositions(file);
      }
      results.add(parsed.withoutDagIdsOf(id -> owner.putIfAbsent(id, file)));
    }
    return new FolderResult(folder, results);
  }

  /** YAML files, Java source files and jars (SPEC §1.6). */
  static boolean isDagFile(String name) {
    return name.endsWith(".yaml")
        || name.endsWith(".yml")
        || name.endsWith(".java")
        || name.endsWith(".jar");
  }

  private static void requireFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new UpdraftException(
          "the dags folder "
              + folder.toAbsolutePath()
              + (Files.exists(folder) ? " is not a folder" : " does not exist")
              + " — create it, or point --dags-folder or UPDRAFT_DAGS_FOLDER at your DAG files");
    }
  }

  private static void walk(Path dir, IgnoreRules inherited, List<Path> out, Set<Path> seen)
      throws IOException {
    if (!seen.add(dir.toRealPath())) {
      return; // a symbolic link back to a folder already searched
    }
    IgnoreRules rules = inherited.enter(dir);
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      boolean isFolder = Files.isDirectory(p);
      if (rules.ignored(p, isFolder)) {
        continue;
      }
      if (isFolder) {
        walk(p, rules, out, seen);
      } else if (isDagFile(name) && Files.isRegularFile(p)) {
        out.add(p);
      }
    }
  }
}
