package io.updraft.dagproc;

import io.updraft.dag.Dag;
import io.updraft.serde.DagSerializer;
import io.updraft.serde.SerializedDag;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.NextDagRun;
import io.updraft.store.SerializedDagRepository;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One pass of writing the dags folder into the metadata database: each changed DAG gets a new
 * serialized version and its {@code dag} row; a new DAG gets its first next-run fields; each file's
 * import errors are replaced (a broken file's DAGs keep their last good version and stay active);
 * DAGs whose file is gone are deactivated. An unchanged DAG costs one hash comparison and writes
 * nothing. One transaction per file.
 *
 * <p>The DAG processor issue grows this into the full component (file-system events, parsing in
 * isolation with a timeout); until then {@code standalone} runs this pass on start and every few
 * seconds.
 */
public final class FolderSync {
  /** What a pass did. */
  public record Report(int written, int unchanged, int filesWithErrors, int deactivated) {
    public boolean changedAnything() {
      return written > 0 || deactivated > 0;
    }
  }

  private final Database db;
  private final Path folder;
  private final boolean pausedAtCreation;
  private final Clock clock;
  private final SerializedDagRepository serialized;
  private final DagRepository dags;
  private final ImportErrorRepository importErrors;

  public FolderSync(Database db, Path folder, boolean pausedAtCreation, Clock clock) {
    this.db = db;
    this.folder = folder;
    this.pausedAtCreation = pausedAtCreation;
    this.clock = clock;
    this.serialized = new SerializedDagRepository(db);
    this.dags = new DagRepository(db);
    this.importErrors = new ImportErrorRepository(db);
  }

  public Report syncOnce() {
    FolderResult result = DagFolder.load(folder);
    Instant now = clock.instant();
    Set<String> files = new HashSet<>();
    int written = 0;
    int unchanged = 0;
    int broken = 0;
    for (DagFileResult file : result.files()) {
      String fileloc = file.file().toString();
      files.add(fileloc);
      broken += file.errors().isEmpty() ? 0 : 1;
      int[] counts = db.inTransaction(() -> syncFile(file, fileloc, now));
      written += counts[0];
      unchanged += counts[1];
    }
    int deactivated = dags.deactivateFilesNotIn(files).size();
    return new Report(written, unchanged, broken, deactivated);
  }

  private int[] syncFile(DagFileResult file, String fileloc, Instant now) {
    if (file.errors().isEmpty()) {
      importErrors.clearForFile(fileloc);
    } else {
      List<ImportErrorRepository.Problem> problems = new ArrayList<>();
      file.errors()
          .forEach(
              e ->
                  problems.add(
                      new ImportErrorRepository.Problem(e.line(), e.column(), e.message(), null)));
      importErrors.replaceForFile(fileloc, problems, now);
    }
    int written = 0;
    int unchanged = 0;
    for (Dag dag : file.dags()) {
      SerializedDag s = DagSerializer.serialize(dag);
      boolean same = serialized.latestHash(dag.dagId()).map(s.hash()::equals).orElse(false);
      Optional<DagRow> row = dags.get(dag.dagId());
      if (same && row.map(r -> r.active() && fileloc.equals(r.fileloc())).orElse(false)) {
        unchanged++;
        continue;
      }
      if (!same) {
        serialized.store(dag.dagId(), s, fileloc, now);
      }
      dags.upsert(dag, fileloc, pausedAtCreation, now);
      if (row.isEmpty() || row.get().next() == null) {
        NextDagRun next =
            Timetables.of(dag)
                .nextDagRunInfo(null, TimeRestriction.of(dag), now)
                .map(
                    i ->
                        new NextDagRun(
                            i.logicalDate(),
                            i.dataInterval().start(),
                            i.dataInterval().end(),
                            i.runAfter()))
                .orElse(null);
        dags.setNextRun(dag.dagId(), next);
      }
      written++;
    }
    return new int[] {written, unchanged};
  }
}
