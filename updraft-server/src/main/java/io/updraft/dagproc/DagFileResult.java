package io.updraft.dagproc;

import io.updraft.dag.Dag;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one DAG file gave: the DAGs that passed every check, and every error found, in file order. A
 * DAG with any error is left out; the file's other DAGs are still returned.
 */
public record DagFileResult(Path file, List<Dag> dags, List<DagFileError> errors) {
  public DagFileResult {
    Objects.requireNonNull(file, "file");
    dags = List.copyOf(dags);
    errors = List.copyOf(errors);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }
}
