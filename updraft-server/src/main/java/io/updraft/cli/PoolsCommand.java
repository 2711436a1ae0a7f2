package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.scheduler.PoolActions;
import io.updraft.store.Database;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft pools list | set | delete}: the pools that limit how many tasks run at once. */
@Command(
    name = "pools",
    description = "List, create, resize and delete pools.",
    subcommands = {PoolsCommand.ListPools.class, PoolsCommand.Set.class, PoolsCommand.Delete.class})
final class PoolsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = "List the pools.")
  static final class ListPools implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      List<Pool> pools;
      try (Database db = Commands.openMigrated(spec)) {
        pools = new PoolRepository(db).list();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Pool p : pools) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("name", p.name());
          row.put("slots", p.slots());
          row.put("description", p.description());
          row.put("include_deferred", p.includeDeferred());
          rows.add(row);
        }
        out.println(JsonOutput.write(rows));
      } else {
        TextTable table = new TextTable("pool", "slots", "description");
        pools.forEach(
            p -> table.row(p.name(), p.unlimited() ? "unlimited" : p.slots(), p.description()));
        table.print(out);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "set", description = "Create a pool or change its slots and description.")
  static final class Set implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pool's name.")
    String name;

    @Parameters(index = "1", paramLabel = "SLOTS", description = "Its slots; -1 for unlimited.")
    int slots;

    @Option(names = "--description", paramLabel = "D", description = "What the pool is for.")
    String description;

    @Override
    public Integer call() {
      try (Database db = Commands.openMigrated(spec)) {
        PoolActions.set(
            db,
            name,
            new PoolActions.Change(slots, description, null),
            System.getProperty("user.name"),
            Instant.now());
      }
      spec.commandLine()
          .getOut()
          .println(
              "pool " + name + ": " + (slots == Pool.UNLIMITED ? "unlimited" : slots) + " slots");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "Delete a pool (not default_pool).")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pool's name.")
    String name;

    @Override
    public Integer call() {
      boolean deleted;
      try (Database db = Commands.openMigrated(spec)) {
        deleted = PoolActions.delete(db, name, System.getProperty("user.name"), Instant.now());
      }
      if (!deleted) {
        throw new UpdraftException(
            "there is no pool '" + name + "' — run 'updraft pools list' to see the pools");
      }
      spec.commandLine().getOut().println("deleted pool " + name);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
