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
                List.of("scheduler", "store", "executor", "kubernetes", "rules", "state", "serde"),
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

  /** The shared helpers are a leaf: any component may use them without reaching another. */
  @Test
  void theSharedHelpersDependOnNoComponent() throws IOException {
    assertThat(violations(List.of("util"), List.of("io.updraft."))).isEmpty();
  }

  /**
   * Metrics are recorded by every component, so they depend on none of them (only on the store, for
   * the gauges read from the database): no cycle, and the scheduler's closure stays clean.
   */
  @Test
  void metricsDependOnNoComponent() throws IOException {
    assertThat(
            violations(
                List.of("metrics"),
                List.of(
                    "io.updraft.scheduler",
                    "io.updraft.executor",
                    "io.updraft.triggerer",
                    "io.updraft.dagproc",
                    "io.updraft.worker",
                    "io.updraft.api",
                    "io.updraft.cli")))
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

  /**
   * The API server reads the database and calls the same services as the CLI; it never parses DAG
   * files or loads user code, and nothing below it (store, scheduler) knows it exists.
   */
  @Test
  void theApiServesFromTheDatabaseOnly() throws IOException {
    assertThat(
            violations(
                List.of("api"),
                List.of("io.updraft.cli", "io.updraft.dagproc", "org.snakeyaml", "javax.tools")))
        .isEmpty();
    assertThat(
            violations(
                List.of(
                    "store",
                    "state",
                    "rules",
                    "serde",
                    "scheduler",
                    "executor",
                    "worker",
                    "kubernetes"),
                List.of("io.updraft.api", "io.javalin")))
        .isEmpty();
  }

  /**
   * The strong form, for the scheduler: follow every class it uses, and every class those use,
   * through Updraft's own packages (imports, and same-package classes named in the code), and check
   * that none of them parses DAG files, compiles or loads user code, or is the CLI. User code runs
   * only in child JVMs (the DAG processor's parse, a custom operator's try), whose entry points are
   * reached by name on a command line, never by a reference.
   */
  @Test
  void nothingTheSchedulerUsesCanReachParsingOrUserCode() throws IOException {
    ClassGraph graph = ClassGraph.of(SRC);
    // The scheduler, and the local executor that runs tries in the scheduler's JVM.
    List<String> reached =
        java.util.stream.Stream.concat(
                graph.closureOf("io.updraft.scheduler.SchedulerLoop").stream(),
                graph.closureOf("io.updraft.executor.WorkerTryRunner").stream())
            .distinct()
            .toList();
    assertThat(reached) // the graph is followed
        .contains("io.updraft.store.TaskInstanceRepository", "io.updraft.worker.TaskRunner");
    List<String> bad = new ArrayList<>();
    for (String cls : reached) {
      for (String dep : graph.externalDependencies(cls)) {
        for (String f :
            List.of(
                "io.updraft.dagproc",
                "io.updraft.cli",
                "org.snakeyaml",
                "javax.tools",
                "java.net.URLClassLoader",
                "java.lang.ClassLoader")) {
          if (dep.startsWith(f)) {
            bad.add(cls + " uses " + dep);
          }
        }
      }
      if (cls.startsWith("io.updraft.dagproc") || cls.startsWith("io.updraft.cli")) {
        bad.add("the scheduler reaches " + cls);
      }
    }
    assertThat(bad).as("reached from SchedulerLoop: " + reached.size() + " classes").isEmpty();
  }

  /** Updraft's classes and what each one uses, read from the sources. */
  private record ClassGraph(
      java.util.Map<String, java.util.Set<String>> uses,
      java.util.Map<String, java.util.Set<String>> external) {

    static ClassGraph of(Path root) throws IOException {
      java.util.Map<String, String> texts = new java.util.TreeMap<>();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String rel = root.relativize(f).toString().replace('/', '.').replace(".java", "");
          texts.put("io.updraft." + rel, Files.readString(f));
        }
      }
      java.util.Map<String, java.util.Set<String>> uses = new java.util.HashMap<>();
      java.util.Map<String, java.util.Set<String>> external = new java.util.HashMap<>();
      for (var e : texts.entrySet()) {
        String cls = e.getKey();
        String text = e.getValue().replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        String pkg = cls.substring(0, cls.lastIndexOf('.'));
        java.util.Set<String> in = new java.util.TreeSet<>();
        java.util.Set<String> out = new java.util.TreeSet<>();
        Matcher m = IMPORT.matcher(e.getValue());
        while (m.find()) {
          String imported = m.group(2);
          if (texts.containsKey(imported)) {
            in.add(imported);
          } else if (imported.startsWith("io.updraft.") && texts.containsKey(outer(imported))) {
            in.add(outer(imported));
          } else {
            out.add(imported);
          }
        }
        for (String other : texts.keySet()) {
          String simple = other.substring(other.lastIndexOf('.') + 1);
          boolean samePackage = other.substring(0, other.lastIndexOf('.')).equals(pkg);
          if (!other.equals(cls)
              && ((samePackage && Pattern.compile("\\b" + simple + "\\b").matcher(text).find())
                  || text.contains(other + "."))) {
            in.add(other);
          }
        }
        Matcher full =
            Pattern.compile("\\b(javax\\.tools|java\\.net\\.URLClassLoader)").matcher(text);
        while (full.find()) {
          out.add(full.group(1));
        }
        uses.put(cls, in);
        external.put(cls, out);
      }
      return new ClassGraph(uses, external);
    }

    private static String outer(String nested) {
      return nested.substring(0, nested.lastIndexOf('.'));
    }

    List<String> closureOf(String start) {
      java.util.Set<String> seen = new java.util.TreeSet<>();
      java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(start));
      while (!todo.isEmpty()) {
        String c = todo.pop();
        if (seen.add(c)) {
          todo.addAll(uses.getOrDefault(c, java.util.Set.of()));
        }
      }
      return List.copyOf(seen);
    }

    java.util.Set<String> externalDependencies(String cls) {
      return external.getOrDefault(cls, java.util.Set.of());
    }
  }
}
