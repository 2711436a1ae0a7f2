package io.updraft.dagproc;

import io.updraft.dag.Dag;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What a dags folder gave: one result per DAG file, in path order. */
public record FolderResult(Path folder, List<DagFileResult> files) {
  public FolderResult {
    Objects.requireNonNull(folder, "folder");
    files = List.copyOf(files);
  }

  /** Every valid DAG of the folder, in file order. */
  public List<Dag> dags() {
    return files.stream().flatMap(f -> f.dags().stream()).toList();
  }

  /** Every error of the folder, file by file. */
  public List<DagFileError> errors() {
    return files.stream().flatMap(f -> f.errors().stream()).toList();
  }

  public boolean hasErrors() {
    return files.stream().anyMatch(DagFileResult::hasErrors);
  }
}
