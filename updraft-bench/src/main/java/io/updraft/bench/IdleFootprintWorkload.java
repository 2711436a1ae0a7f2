package io.updraft.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code updraft standalone} as a user starts it — a child process ({@link UpdraftChild}) with a
 * home folder of its own and a dags folder of {@code dagCount} YAML DAGs, paused as new DAGs are —
 * left idle. Its main figure is the start-up time until it has read the folder and says it is
 * running; then, after it has settled (10 s), its resident memory from {@code /proc}: {@code
 * rss_mb} (the median of five samples a second apart) and {@code peak_rss_mb} (the highest it ever
 * had, start-up included). The smoke size waits a fraction of that.
 */
record IdleFootprintWorkload(int dagCount, boolean smoke) implements Workload {
  private static final String READY = "DAGs in ";

  @Override
  public String scenario() {
    return "idle-footprint";
  }

  @Override
  public String label() {
    return dagCount + "-dags";
  }

  @Override
  public int tasks() {
    return 12;
  }

  @Override
  public int dags() {
    return dagCount;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Path dags = fresh.folder().resolve("dags");
      DagFiles.write(dags, "idle", dagCount, DagFiles.Shape.SEED000, 12, 16);
      ProcessBuilder pb =
          UpdraftChild.command(
              fresh,
              databases.kind(),
              Map.of(),
              "--dags-folder",
              dags.toString(),
              "standalone",
              "--port",
              "0");
      pb.redirectErrorStream(true);
      window.open();
      long start = System.nanoTime();
      Process child = pb.start();
      try {
        new UpdraftChild.Output(child, READY).awaitLine(Duration.ofMinutes(smoke ? 2 : 5));
        double startup = (System.nanoTime() - start) / 1e9;
        Thread.sleep(smoke ? 200 : 10_000); // the JIT, the collector and the heap settle
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < (smoke ? 2 : 5); i++) {
          rss.add(ProcStatus.rssMb(child.pid()));
          Thread.sleep(smoke ? 50 : 1_000);
        }
        double peak = ProcStatus.peakRssMb(child.pid());
        return new Sample(startup, Map.of("rss_mb", Result.median(rss), "peak_rss_mb", peak));
      } finally {
        window.close();
        UpdraftChild.stop(child);
      }
    }
  }
}
