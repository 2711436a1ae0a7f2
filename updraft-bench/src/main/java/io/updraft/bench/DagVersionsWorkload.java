package io.updraft.bench;

import io.updraft.dag.Dag;
import io.updraft.dagproc.DagProcessor;
import io.updraft.serde.DagSerializer;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The DAG processor issue's other two speed figures. {@code edit-visible}: with the processor
 * running (file-system events) over {@code dagCount} single-DAG files, one file is edited and the
 * time until its new version is the latest in the database — what the scheduler reads — is taken;
 * each sample is the median of {@link #EDITS} edits. {@code worker-fetch}: with seed 004's
 * generated DAGs stored, what a worker does to run one task — read the run's DAG version by hash
 * and deserialize it — for {@link #FETCHES} random DAGs; each sample is the median fetch.
 */
record DagVersionsWorkload(String label, int dagCount, int tasks) implements Workload {
  static final int EDITS = 10;
  static final int FETCHES = 500;

  static List<Workload> both(int editFiles, int generated, int tasks) {
    return List.of(
        new DagVersionsWorkload("edit-visible", editFiles, tasks),
        new DagVersionsWorkload("worker-fetch", generated, tasks));
  }

  @Override
  public String scenario() {
    return "dag-versions";
  }

  @Override
  public int dags() {
    return dagCount;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Path folder = Files.createDirectories(fresh.folder().resolve("dags"));
      return label.equals("edit-visible")
          ? editVisible(fresh.database(), folder, window)
          : workerFetch(fresh.database(), folder, window);
    }
  }

  private Sample editVisible(Database db, Path folder, Window window) throws Exception {
    List<String> ids = DagFiles.write(folder, "dag", dagCount, DagFiles.Shape.LINE, tasks, 1);
    SerializedDagRepository versions = new SerializedDagRepository(db);
    DagProcessor.Settings settings =
        new DagProcessor.Settings(folder, true, Duration.ofMinutes(1), Duration.ofMinutes(5), 2);
    List<Double> seconds = new ArrayList<>();
    Random random = new Random(4);
    try (DagProcessor processor = new DagProcessor(db, settings, Clock.systemUTC())) {
      processor.start(() -> {});
      Thread.sleep(2_500); // past the racy window of the files just written: edits are seen as such
      window.open();
      try {
        for (int e = 0; e < EDITS; e++) {
          String id = ids.get(random.nextInt(ids.size()));
          String before = versions.latestHash(id).orElseThrow();
          long start = System.nanoTime();
          Files.writeString(
              folder.resolve(id + ".yaml"),
              DagFiles.dag(id, DagFiles.Shape.LINE, tasks + 1 + e, 1));
          long deadline = start + Duration.ofSeconds(30).toNanos();
          while (versions.latestHash(id).orElseThrow().equals(before)) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("edit of " + id + " not visible after 30 s");
            }
            Thread.sleep(1);
          }
          seconds.add((System.nanoTime() - start) / 1e9);
        }
      } finally {
        window.close();
      }
    }
    List<Double> sorted = seconds.stream().sorted().toList();
    return new Sample(
        Result.median(sorted), Map.of("max_ms", sorted.get(sorted.size() - 1) * 1000));
  }

  private Sample workerFetch(Database db, Path folder, Window window) throws Exception {
    DagFiles.forEach(folder, dagCount, tasks);
    DagProcessor.Settings settings =
        new DagProcessor.Settings(folder, true, Duration.ofMinutes(5), Duration.ofMinutes(5), 2);
    try (DagProcessor processor = new DagProcessor(db, settings, Clock.systemUTC())) {
      processor.scan();
    }
    SerializedDagRepository versions = new SerializedDagRepository(db);
    Random random = new Random(4);
    List<String[]> picks = new ArrayList<>();
    for (int i = 0; i < FETCHES; i++) {
      String id = "customer_" + (1000 + random.nextInt(dagCount));
      picks.add(new String[] {id, versions.latestHash(id).orElseThrow()});
    }
    List<Double> seconds = new ArrayList<>();
    window.open();
    try {
      for (String[] pick : picks) {
        long start = System.nanoTime();
        Dag dag = DagSerializer.fromJson(versions.get(pick[0], pick[1]).orElseThrow().json());
        if (dag.task("step" + tasks).isEmpty()) {
          throw new IllegalStateException(pick[0] + " has no task step" + tasks);
        }
        seconds.add((System.nanoTime() - start) / 1e9);
      }
    } finally {
      window.close();
    }
    List<Double> sorted = seconds.stream().sorted().toList();
    return new Sample(
        Result.median(sorted), Map.of("p99_ms", TaskLag.percentile(sorted, 99) * 1000));
  }
}
