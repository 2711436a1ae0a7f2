package io.updraft.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each workload once to warm up (the JIT, the database's caches; not reported) and then {@code
 * repeat} times measured, each run on a fresh database.
 */
final class BenchRunner {
  private final BenchDatabases databases;
  private final int repeat;
  private final Window window;
  private final PrintStream progress;

  /**
   * @param window what opens around measured runs (a flight recording, or nothing)
   * @param progress where one line per run goes (stderr), so a long suite shows it is alive
   */
  BenchRunner(BenchDatabases databases, int repeat, Window window, PrintStream progress) {
    this.databases = databases;
    this.repeat = repeat;
    this.window = window;
    this.progress = progress;
  }

  List<Result> run(List<Workload> workloads) throws Exception {
    List<Result> results = new ArrayList<>();
    for (Workload w : workloads) {
      String name = w.scenario() + " " + w.label() + " on " + databases.kind().label();
      Sample warm = w.run(databases, Window.NONE);
      progress.printf("%s: warm-up %.3f s%n", name, warm.seconds());
      List<Sample> samples = new ArrayList<>(repeat);
      for (int i = 1; i <= repeat; i++) {
        Sample s = w.run(databases, window);
        progress.printf("%s: run %d/%d %.3f s%n", name, i, repeat, s.seconds());
        samples.add(s);
      }
      results.add(new Result(w, databases.kind(), samples));
    }
    return results;
  }
}
