package io.updraft.dagproc;

import io.updraft.dag.Dag;
import io.updraft.serde.DagSerializer;
import io.updraft.serde.SerializedDag;
import io.updraft.store.AssetRepository;
import io.updraft.store.DagBundleRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.NextDagRun;
import io.updraft.store.SerializedDagRepository;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes what one DAG file gave into the metadata database, in one transaction: each changed DAG
 * gets a new serialized version and its {@code dag} row (a new DAG also its first next-run fields);
 * the file's import errors are replaced or cleared; the assets its tasks' outlets name are
 * registered with the version that names them. A file without errors deactivates the DAGs it no
 * longer defines; a broken file keeps every DAG it had, each on its last good version. An unchanged
 * DAG costs one hash comparison and writes nothing.
 */
final class DagWriter {
  /** What writing one file did. */
  record Written(int written, int unchanged, int deactivated) {}

  private final Database db;
  private final boolean pausedAtCreation;
  private final SerializedDagRepository serialized;
  private final DagRepository dags;
  private final ImportErrorRepository importErrors;
  private final DagBundleRepository bundles;
  private final AssetRepository assets;

  DagWriter(Database db, boolean pausedAtCreation) {
    this.db = db;
    this.pausedAtCreation = pausedAtCreation;
    this.serialized = new SerializedDagRepository(db);
    this.dags = new DagRepository(db);
    this.importErrors = new ImportErrorRepository(db);
    this.bundles = new DagBundleRepository(db);
    this.assets = new AssetRepository(db);
  }

  Written write(DagFileResult file, Instant now) {
    String fileloc = file.file().toString();
    return db.inTransaction(
        () -> {
          replaceErrors(file, fileloc, now);
          if (file.bundle() != null && !file.dags().isEmpty()) {
            // Before the versions that name it: a worker can always fetch what a run runs.
            bundles.store(file.bundle().hash(), fileloc, file.bundle().jar(), now);
          }
          int written = 0;
          int unchanged = 0;
          Set<String> defined = new HashSet<>();
          for (Dag dag : file.dags()) {
            defined.add(dag.dagId());
            if (writeDag(dag, fileloc, now)) {
              written++;
            } else {
              unchanged++;
            }
          }
          int deactivated = 0;
          if (!file.hasErrors()) {
            List<String> gone = new ArrayList<>(dags.activeInFile(fileloc));
            gone.removeAll(defined);
            deactivated = dags.deactivate(gone).size();
          }
          return new Written(written, unchanged, deactivated);
        });
  }

  /** Deactivates the DAGs of files that are gone; returns how many. */
  int deactivateFiles(List<String> filelocs) {
    return db.inTransaction(
        () -> {
          int n = 0;
          for (String fileloc : filelocs) {
            importErrors.clearForFile(fileloc);
            n += dags.deactivate(dags.activeInFile(fileloc)).size();
          }
          return n;
        });
  }

  /** Deactivates the DAGs of every file not in {@code present}; returns how many. */
  int deactivateFilesNotIn(List<String> present) {
    Set<String> files = Set.copyOf(present);
    return db.inTransaction(
        () -> {
          importErrors.list().stream()
              .map(e -> e.filename())
              .filter(f -> !files.contains(f))
              .distinct()
              .forEach(importErrors::clearForFile);
          return dags.deactivateFilesNotIn(present).size();
        });
  }

  private void replaceErrors(DagFileResult file, String fileloc, Instant now) {
    if (!file.hasErrors()) {
      importErrors.clearForFile(fileloc);
      return;
    }
    List<ImportErrorRepository.Problem> problems = new ArrayList<>();
    for (DagFileError e : file.errors()) {
      problems.add(new ImportErrorRepository.Problem(e.line(), e.column(), e.message(), null));
    }
    importErrors.replaceForFile(fileloc, problems, now);
  }

  /** Returns false when the DAG was already stored, active, from this file, at this version. */
  private boolean writeDag(Dag dag, String fileloc, Instant now) {
    SerializedDag s = DagSerializer.serialize(dag);
    boolean same = serialized.latestHash(dag.dagId()).map(s.hash()::equals).orElse(false);
    Optional<DagRow> row = dags.get(dag.dagId());
    if (same && row.map(r -> r.active() && fileloc.equals(r.fileloc())).orElse(false)) {
      return false;
    }
    if (!same) {
      serialized.store(dag.dagId(), s, fileloc, now);
      assets.registerOutlets(dag, now);
    }
    dags.upsert(dag, fileloc, pausedAtCreation, now);
    if (row.isEmpty() || row.get().next() == null) {
      dags.setNextRun(dag.dagId(), firstNextRun(dag, now));
    }
    return true;
  }

  private static NextDagRun firstNextRun(Dag dag, Instant now) {
    return Timetables.of(dag)
        .nextDagRunInfo(null, TimeRestriction.of(dag), now)
        .map(NextDagRun::of)
        .orElse(null);
  }
}
