package io.updraft.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/updraft-bench}: runs the benchmark scenarios on the real scheduler, store and
 * executors and prints median, min and max of each (BENCHMARKS.md has the figures and the method).
 * Exit codes: 0 done, 1 a scenario failed, 2 bad arguments.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    // The product logs each migration and DAG scan at info: noise between the progress lines.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(List.of(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(BenchOptions.USAGE);
      out.println("scenarios: " + String.join(", ", Scenarios.NAMES));
      return 0;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (UsageException e) {
      err.println("updraft-bench: " + e.getMessage());
      return 2;
    }
    try (BenchDatabases databases = BenchDatabases.open(options.db())) {
      JfrWindow jfr = options.jfr() == null ? null : new JfrWindow(options.jfr());
      err.println(
          "updraft-bench: on "
              + databases.where()
              + ", "
              + options.repeat()
              + " measured run(s) of each workload");
      BenchRunner runner =
          new BenchRunner(databases, options.repeat(), jfr == null ? Window.NONE : jfr, err);
      List<Workload> workloads = Scenarios.workloads(options.scenarios(), options.smoke());
      if (!options.cases().isEmpty()) {
        workloads = workloads.stream().filter(w -> options.cases().contains(w.label())).toList();
        if (workloads.isEmpty()) {
          throw new UsageException("no case of the scenario(s) is named " + options.cases());
        }
      }
      List<Result> results = runner.run(workloads);
      out.print(options.json() ? Reports.json(results) + "\n" : Reports.table(results));
      if (jfr != null) {
        int parts = jfr.finish();
        err.println(
            "updraft-bench: flight recording of " + parts + " measured run(s) in " + jfr(options));
      }
      return 0;
    } catch (UsageException e) {
      err.println("updraft-bench: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("updraft-bench: a scenario failed: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    }
  }

  private static Path jfr(BenchOptions options) {
    return options.jfr().toAbsolutePath();
  }
}
