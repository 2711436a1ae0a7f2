package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code updraft config list}: every setting, its value and where the value came from. */
@Command(
    name = "config",
    description = "Show the configuration.",
    subcommands = {ConfigCommand.ListConfig.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      description = "List every setting with its value and source (default, file, environment).")
  static final class ListConfig implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      UpdraftConfig config = settings.config();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map.Entry<ConfigKey, UpdraftConfig.Value> e : config.entries()) {
        ConfigKey k = e.getKey();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", k.name());
        row.put("value", settings.displayText(k));
        row.put("source", e.getValue().source());
        row.put("env", k.env());
        row.put("description", k.description());
        rows.add(row);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.table) {
        out.println("home: " + settings.home());
      }
      Listing.print(out, output.format, rows, "key", "value", "source", "env");
      return ExitCodes.OK;
    }
  }
}
