package io.updraft.bench;

import io.updraft.dagproc.DagProcessor;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Seed 004's generated DAGs: one {@code for_each} YAML file and its CSV making {@code dagCount}
 * DAGs, read by the {@link DagProcessor} into an empty database ({@code cold}: parse, serialize,
 * write every DAG), or read a second time with nothing changed ({@code rescan}: what every later
 * scan costs).
 */
record ParseWorkload(String label, int dagCount, int tasks, boolean rescan) implements Workload {

  static List<Workload> both(int dagCount, int tasks) {
    return List.of(
        new ParseWorkload("cold", dagCount, tasks, false),
        new ParseWorkload("rescan", dagCount, tasks, true));
  }

  @Override
  public String scenario() {
    return "parse-4000";
  }

  @Override
  public int dags() {
    return dagCount;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Database db = fresh.database();
      Path folder = fresh.folder().resolve("dags");
      DagFiles.forEach(folder, dagCount, tasks);
      DagProcessor.Settings settings =
          new DagProcessor.Settings(folder, true, Duration.ofMinutes(5), Duration.ofMinutes(5), 2);
      try (DagProcessor processor = new DagProcessor(db, settings, Clock.systemUTC())) {
        if (rescan) {
          expect(processor.scan(), dagCount, 1);
        }
        window.open();
        long start = System.nanoTime();
        DagProcessor.Report report;
        try {
          report = processor.scan();
        } finally {
          window.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        expect(report, rescan ? 0 : dagCount, rescan ? 0 : 1);
        return Sample.of(seconds);
      }
    }
  }

  private void expect(DagProcessor.Report report, int written, int parsed) {
    if (report.written() != written || report.parsed() != parsed || report.filesWithErrors() != 0) {
      throw new IllegalStateException(
          "parse-4000 "
              + label
              + ": expected "
              + parsed
              + " file(s) parsed and "
              + written
              + " DAGs written, got "
              + report);
    }
  }
}
