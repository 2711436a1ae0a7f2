package io.updraft.dagproc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.bundle.JavaCommand;
import io.updraft.bundle.ParseOutput;
import io.updraft.dag.CustomOperators;
import io.updraft.dag.Dag;
import io.updraft.dag.DagValidator;
import io.updraft.dag.Problem;
import io.updraft.dag.Task;
import io.updraft.kubernetes.PodOverrides;
import io.updraft.serde.DagSerializer;
import io.updraft.util.Folders;
import io.updraft.util.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Parses a Java DAG file ({@code *.java}) or jar (SPEC §1.6) in a child JVM, never in this one: the
 * child compiles and runs the user's {@code DagSource}s and hands back serialized DAGs. A child
 * that outlives {@code dag_processor.file_timeout} is killed; one that ends without an answer
 * ({@code System.exit} in user code, a crash) is an import error. Either way this JVM goes on.
 */
final class JavaDagParser {
  /** Named, not referenced: the DAG processor never loads the class that loads user code. */
  static final String MAIN = "io.updraft.bundle.ParseMain";

  private static final ObjectMapper JSON = new ObjectMapper();

  static boolean handles(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".java") || name.endsWith(".jar");
  }

  YamlDagParser.Parsed parse(Path file, Duration timeout) throws InterruptedException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("updraft-parse-");
      Path result = dir.resolve("result.json");
      Path output = dir.resolve("output.txt");
      Process child =
          new ProcessBuilder(
                  JavaCommand.of(
                      MAIN,
                      List.of(
                          file.toAbsolutePath().toString(),
                          result.toString(),
                          dir.resolve("bundle.jar").toString())))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try {
        if (!child.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          kill(child);
          return DagFileParsers.failed(file, DagFileParsers.timeoutMessage(timeout));
        }
      } finally {
        if (child.isAlive()) {
          kill(child); // interrupted: the processor is stopping
        }
      }
      if (!Files.isRegularFile(result)) {
        return DagFileParsers.failed(
            file,
            "the Java code ended its parse with exit code "
                + child.exitValue()
                + " before returning its DAGs (does it call System.exit?)"
                + lastLine(output)
                + " — DagSource.dags() must return its DAGs and nothing else");
      }
      return read(file, JSON.readValue(result.toFile(), ParseOutput.class));
    } catch (IOException e) {
      return DagFileParsers.failed(file, "cannot parse the Java file: " + e.getMessage());
    } finally {
      if (dir != null) {
        Folders.deleteQuietly(dir); // a temp folder left behind is harmless
      }
    }
  }

  /** The child's answer as a result: DAGs read back, checked again, pinned to their bundle. */
  private static YamlDagParser.Parsed read(Path file, ParseOutput out) throws IOException {
    List<DagFileError> errors = new ArrayList<>();
    for (ParseOutput.Error e : out.errors()) {
      errors.add(new DagFileError(file, (int) e.line(), (int) e.column(), e.message()));
    }
    DagBundle bundle =
        out.bundle() == null ? null : DagBundle.of(Files.readAllBytes(Path.of(out.bundle())));
    List<Dag> dags = new ArrayList<>();
    for (String json : out.dags()) {
      Dag dag = DagSerializer.fromJson(json);
      // A DagSource may build a Dag without the builder's checks: check it here.
      List<Problem> problems = new ArrayList<>(DagValidator.validate(dag));
      problems.addAll(PodOverrides.problems(dag));
      if (!problems.isEmpty()) {
        Problem p = problems.get(0);
        errors.add(
            new DagFileError(
                file,
                1,
                1,
                "DAG '"
                    + dag.dagId()
                    + "': "
                    + (p.path().isEmpty() ? "" : p.path() + ": ")
                    + p.message()));
        continue;
      }
      dags.add(bundle == null ? dag : pinned(dag, bundle.hash()));
    }
    return new YamlDagParser.Parsed(
        new DagFileResult(file, dags, errors, List.of(), bundle), Map.of());
  }

  private static Dag pinned(Dag dag, String hash) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : dag.tasks()) {
      tasks.add(
          CustomOperators.isCustom(t.operator())
              ? t.withOperator(CustomOperators.pinned(t.operator(), hash))
              : t);
    }
    return dag.withTasks(tasks);
  }

  /**
   * Ends the parse JVM and whatever it started, at once (no grace: as Airflow's processor, a parse
   * that overran its timeout or outlives the processor is killed, not asked), then waits a little
   * for it to be gone so its temp folder can be deleted.
   */
  private static void kill(Process child) {
    ProcessTree.kill(child.toHandle(), Set.of(), Duration.ZERO);
    try {
      child.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last line the child printed, as ": line", or nothing. */
  private static String lastLine(Path output) {
    try {
      List<String> lines = Files.readAllLines(output).stream().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
