package io.updraft.dagproc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Parses one DAG file by its kind (YAML here, Java in a child JVM), within a time limit. */
final class DagFileParsers {
  private final Function<Path, YamlDagParser.Parsed> yaml;
  private final JavaDagParser java = new JavaDagParser();
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dag-parse-", 0).factory());

  DagFileParsers() {
    this(new YamlDagParser()::parseWithPositions);
  }

  /** Tests give a parser of their own (a slow one). */
  DagFileParsers(Function<Path, YamlDagParser.Parsed> yaml) {
    this.yaml = yaml;
  }

  /**
   * The file's DAGs and errors; a parse that takes longer than {@code timeout} is abandoned and
   * becomes the file's one import error.
   */
  YamlDagParser.Parsed parse(Path file, Duration timeout) throws InterruptedException {
    if (JavaDagParser.handles(file)) {
      return java.parse(file, timeout); // a child JVM, killed at the timeout
    }
    Future<YamlDagParser.Parsed> parse = threads.submit(() -> yaml.apply(file));
    try {
      return parse.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      parse.cancel(true);
      return failed(file, timeoutMessage(timeout));
    } catch (ExecutionException e) {
      return failed(file, "parsing failed: " + e.getCause());
    }
  }

  static String timeoutMessage(Duration timeout) {
    return "parsing took longer than "
        + timeout.toSeconds()
        + " s (dag_processor.file_timeout) — make the file quicker to read, or raise the"
        + " timeout";
  }

  static YamlDagParser.Parsed failed(Path file, String message) {
    return new YamlDagParser.Parsed(
        new DagFileResult(file, List.of(), List.of(new DagFileError(file, 1, 1, message))),
        Map.of());
  }
}
