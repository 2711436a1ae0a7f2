package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dagproc.DagBundle;
import io.updraft.dagproc.DagFileError;
import io.updraft.dagproc.DagFileResult;
import io.updraft.dagproc.DagFolder;
import io.updraft.worker.BundleCache;
import io.updraft.worker.Bundles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DAGs of a dags folder as the CLI sees them: parsed now (as Airflow's {@code dags list} does),
 * broken files reported on stderr, one line per error.
 */
final class FolderDags {
  /**
   * A DAG and the file it came from.
   *
   * @param bundle the code of its custom operators (a Java file or jar); null for none
   */
  record Entry(Dag dag, Path file, DagBundle bundle) {
    /** The bundle as a worker sees it: written to {@code folder} when a try asks for it. */
    Bundles bundles(Path folder) {
      return new BundleCache(
          folder,
          hash ->
              bundle != null && bundle.hash().equals(hash)
                  ? Optional.of(bundle.jar())
                  : Optional.empty());
    }
  }

  private final Path folder;
  private final List<Entry> entries;
  private final List<DagFileError> errors;

  private FolderDags(Path folder, List<Entry> entries, List<DagFileError> errors) {
    this.folder = folder;
    this.entries = entries;
    this.errors = errors;
  }

  static FolderDags load(Path folder) {
    List<Entry> entries = new ArrayList<>();
    List<DagFileError> errors = new ArrayList<>();
    for (DagFileResult file : DagFolder.load(folder).files()) {
      file.dags().forEach(d -> entries.add(new Entry(d, file.file(), file.bundle())));
      errors.addAll(file.errors());
    }
    return new FolderDags(folder, List.copyOf(entries), List.copyOf(errors));
  }

  List<Entry> entries() {
    return entries;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Prints every import error to {@code err}, one line each. */
  void reportErrors(PrintWriter err) {
    errors.forEach(e -> err.println(e.format()));
    err.flush();
  }

  /** The file's path relative to the dags folder, as {@code dags list} shows it. */
  String relative(Path file) {
    return file.startsWith(folder) ? folder.relativize(file).toString() : file.toString();
  }

  /**
   * The DAG with this id.
   *
   * @throws UpdraftException if there is none; the message says whether its file is broken
   */
  Entry find(String dagId) {
    for (Entry e : entries) {
      if (e.dag().dagId().equals(dagId)) {
        return e;
      }
    }
    String hint =
        hasErrors()
            ? " (some DAG files have errors, listed above; fix them if the DAG is in one)"
            : "";
    throw new UpdraftException(
        "DAG '"
            + dagId
            + "' not found in "
            + folder
            + hint
            + " — run 'updraft dags list' to see the DAGs there");
  }
}
