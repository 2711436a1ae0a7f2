package io.updraft.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.bundle.JavaCommand;
import io.updraft.bundle.OperatorRequest;
import io.updraft.bundle.OperatorResult;
import io.updraft.dag.CustomOperators;
import io.updraft.worker.template.TemplateContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child JVM that runs one try of a custom operator (SPEC §1.6) when it cannot or may not run in
 * a warm one ({@link OperatorJvms}): what it is given and how its result is read. The operator's
 * code is loaded there, never in the worker's own JVM, so an operator that calls {@code
 * System.exit}, leaks threads or never returns costs only its try.
 */
final class OperatorProcess {
  /** Named, not referenced: the worker never loads the class that loads user code. */
  static final String MAIN = "io.updraft.bundle.OperatorMain";

  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorProcess() {}

  /** Writes the request into {@code dir} and returns the command line of the child JVM. */
  static List<String> prepare(TryRequest r, Path bundle, Map<String, Object> args, Path dir)
      throws IOException {
    JSON.writeValue(requestFile(dir).toFile(), request(r, bundle, args));
    return JavaCommand.of(MAIN, List.of(requestFile(dir).toString(), resultFile(dir).toString()));
  }

  /** What the operator is told of its try. */
  static OperatorRequest request(TryRequest r, Path bundle, Map<String, Object> args) {
    return new OperatorRequest(
        bundle.toString(),
        CustomOperators.className(r.task().operator()),
        r.dag().dagId(),
        r.task().taskId(),
        r.runId(),
        r.logicalDate().toString(),
        r.dataInterval().start().toString(),
        r.dataInterval().end().toString(),
        r.tryNumber(),
        TemplateContext.params(r.dag().params(), r.conf()),
        args);
  }

  /** What the child wrote, or null when it ended without writing it. */
  static OperatorResult result(Path dir) throws IOException {
    Path file = resultFile(dir);
    return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), OperatorResult.class) : null;
  }

  private static Path requestFile(Path dir) {
    return dir.resolve("operator-request.json");
  }

  private static Path resultFile(Path dir) {
    return dir.resolve("operator-result.json");
  }
}
