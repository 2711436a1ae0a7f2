package io.updraft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code updraft standalone} as a user starts it — a child process through {@code bin/updraft}
 * (system property {@code updraft.bench.launcher}; without it, this JVM's class path) with a home
 * folder of its own and a dags folder of {@code dagCount} YAML DAGs, paused as new DAGs are — left
 * idle. Its main figure is the start-up time until it has read the folder and says it is running;
 * then, after it has settled (10 s), its resident memory from {@code /proc}: {@code rss_mb} (the
 * median of five samples a second apart) and {@code peak_rss_mb} (the highest it ever had, start-up
 * included). The smoke size waits a fraction of that.
 */
record IdleFootprintWorkload(int dagCount, boolean smoke) implements Workload {
  static final String LAUNCHER_PROPERTY = "updraft.bench.launcher";

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
      ProcessBuilder pb = new ProcessBuilder(command(fresh, dags, databases.kind()));
      pb.redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("UPDRAFT_") && !k.equals("UPDRAFT_JAVA_OPTS"));
      window.open();
      long start = System.nanoTime();
      Process child = pb.start();
      try {
        Output output = new Output(child);
        output.awaitReady(Duration.ofMinutes(smoke ? 2 : 5));
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
        stop(child);
      }
    }
  }

  private static List<String> command(BenchDatabases.Fresh fresh, Path dags, DbKind db) {
    List<String> cmd = new ArrayList<>();
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    if (launcher != null) {
      cmd.add(launcher);
    } else {
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.updraft.cli.Main");
    }
    cmd.addAll(List.of("--home", fresh.folder().resolve("home").toString()));
    cmd.addAll(List.of("--dags-folder", dags.toString()));
    if (db == DbKind.POSTGRES) {
      cmd.addAll(List.of("--db-url", fresh.url()));
    }
    cmd.add("standalone");
    return cmd;
  }

  /** Stops it as Ctrl-C would, and kills it if it does not end in time. */
  private static void stop(Process child) throws InterruptedException {
    child.destroy();
    if (!child.waitFor(30, TimeUnit.SECONDS)) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Reads the child's output on a thread of its own, keeping the last lines for errors. */
  private static final class Output {
    private final Process child;
    private final Deque<String> last = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    Output(Process child) {
      this.child = child;
      Thread.ofPlatform().daemon().name("standalone-output").start(this::pump);
    }

    private void pump() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (last) {
            last.addLast(line);
            if (last.size() > 20) {
              last.removeFirst();
            }
          }
          if (line.contains(READY)) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // the child ended; awaitReady reports it
      }
      ready.complete(null);
    }

    void awaitReady(Duration timeout) throws Exception {
      try {
        ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "updraft standalone did not start within " + timeout.toSeconds() + " s: " + tail());
      }
      if (!child.isAlive()) {
        throw new IllegalStateException(
            "updraft standalone ended (exit " + child.exitValue() + "): " + tail());
      }
    }

    private String tail() {
      synchronized (last) {
        return String.join(" | ", last);
      }
    }
  }
}
