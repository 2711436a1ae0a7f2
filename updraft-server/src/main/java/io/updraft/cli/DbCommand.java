package io.updraft.cli;

import io.updraft.store.Database;
import io.updraft.store.SchemaStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code updraft db migrate | check}: the metadata database's schema and connectivity. */
@Command(
    name = "db",
    description = "Create, upgrade or check the metadata database.",
    subcommands = {DbCommand.Migrate.class, DbCommand.Check.class})
final class DbCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "migrate", description = "Create the schema, or upgrade it to this version.")
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      try (Database db = settings.openDatabase()) {
        int applied = db.migrate();
        SchemaStatus status = db.status();
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            (applied == 0 ? "already at" : "migrated to")
                + " schema version "
                + status.current()
                + " ("
                + applied
                + " migration"
                + (applied == 1 ? "" : "s")
                + " applied): "
                + db.displayUrl());
        settings.createFernetKeyFile(out);
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      description = "Check that the database answers and its schema is this version's.")
  static final class Check implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Database db = Commands.settings(spec).openExistingDatabase()) {
        db.check();
        PrintWriter out = spec.commandLine().getOut();
        out.println("ok: schema version " + db.status().current() + " at " + db.displayUrl());
        out.flush();
      }
      return ExitCodes.OK;
    }
  }
}
