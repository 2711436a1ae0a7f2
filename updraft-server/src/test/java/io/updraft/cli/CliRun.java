package io.updraft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
  /** {@code updraft --home HOME --dags-folder DAGS args...}. */
  static CliRun in(java.nio.file.Path home, java.nio.file.Path dags, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--home";
    all[1] = home.toString();
    all[2] = "--dags-folder";
    all[3] = dags.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return of(all);
  }

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = UpdraftCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
