package io.updraft.dagproc;

import io.updraft.dag.Dag;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one DAG file gave: the DAGs that passed every check, and every error found, in file order. A
 * DAG with any error is left out; the file's other DAGs are still returned.
 *
 * @param inputs the other files the parse read (a {@code for_each} data file): a change to one of
 *     them means the DAG file must be parsed again
 * @param bundle the code the file's custom operators run, to store with its DAGs; null for none
 */
public record DagFileResult(
    Path file, List<Dag> dags, List<DagFileError> errors, List<Path> inputs, DagBundle bundle) {
  public DagFileResult {
    Objects.requireNonNull(file, "file");
    dags = List.copyOf(dags);
    errors = List.copyOf(errors);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  public DagFileResult(Path file, List<Dag> dags, List<DagFileError> errors, List<Path> inputs) {
    this(file, dags, errors, inputs, null);
  }

  public DagFileResult(Path file, List<Dag> dags, List<DagFileError> errors) {
    this(file, dags, errors, List.of(), null);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** The same result with other DAGs and errors (the inputs and bundle kept). */
  public DagFileResult with(List<Dag> dags, List<DagFileError> errors) {
    return new DagFileResult(file, dags, errors, inputs, bundle);
  }
}
