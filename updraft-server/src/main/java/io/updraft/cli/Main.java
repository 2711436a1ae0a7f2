package io.updraft.cli;

/** The {@code updraft} command line: entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (0 ok, 1 failed run, 2 bad usage or input). */
  public static int run(String... args) {
    return UpdraftCommand.commandLine().execute(args);
  }
}
