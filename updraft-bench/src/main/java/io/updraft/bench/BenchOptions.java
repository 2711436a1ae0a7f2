package io.updraft.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bin/updraft-bench} was asked to do.
 *
 * @param scenarios the scenario names, in the order they run
 * @param repeat measured runs of each workload, after one warm-up run
 * @param json print a JSON array instead of a table
 * @param jfr where to write a flight recording of the measured runs; null: none
 * @param smoke tiny sizes, to check the suite works (numbers mean nothing)
 * @param cases the case labels to run (e.g. {@code s2-w4-http}); empty: every case
 */
public record BenchOptions(
    List<String> scenarios,
    DbKind db,
    int repeat,
    boolean json,
    Path jfr,
    boolean smoke,
    List<String> cases) {

  static final String USAGE =
      "usage: updraft-bench [--scenario NAME|all] [--db h2|postgres] [--repeat N]"
          + " [--output json] [--jfr FILE] [--smoke] [--case LABEL,...]";

  /** Parses the arguments; a {@link UsageException} saying what to fix if they are bad. */
  public static BenchOptions parse(List<String> args) {
    String scenario = "all";
    DbKind db = DbKind.H2;
    int repeat = 5;
    boolean json = false;
    Path jfr = null;
    boolean smoke = false;
    List<String> cases = List.of();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--scenario" -> scenario = value(args, ++i, arg);
        case "--db" -> db = DbKind.parse(value(args, ++i, arg));
        case "--repeat" -> repeat = positive(value(args, ++i, arg));
        case "--output" -> json = jsonOutput(value(args, ++i, arg));
        case "--jfr" -> jfr = Path.of(value(args, ++i, arg));
        case "--smoke" -> smoke = true;
        case "--case" -> cases = List.of(value(args, ++i, arg).split(","));
        default ->
            throw new UsageException(
                "unknown argument '" + arg + "' — " + USAGE.substring("usage: ".length()));
      }
    }
    return new BenchOptions(Scenarios.select(scenario), db, repeat, json, jfr, smoke, cases);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size() || args.get(i).startsWith("--")) {
      throw new UsageException(option + " needs a value — " + USAGE);
    }
    return args.get(i);
  }

  private static int positive(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        "--repeat must be a whole number of at least 1, not '" + text + "' (e.g. --repeat 5)");
  }

  private static boolean jsonOutput(String text) {
    return switch (text) {
      case "json" -> true;
      case "table" -> false;
      default ->
          throw new UsageException(
              "unknown output format '" + text + "' for --output — use json or table");
    };
  }
}
