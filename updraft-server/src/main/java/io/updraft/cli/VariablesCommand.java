package io.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.connections.ConnectionIds;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Lookups;
import io.updraft.connections.Masking;
import io.updraft.connections.SecretMasker;
import io.updraft.connections.StoredVariables;
import io.updraft.connections.VariableActions;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft variables set | get | list | delete | import | export}: the {@code variable} table
 * (SPEC §1.7). A value whose key looks secret shows as {@code ***} everywhere but in an export.
 */
@Command(
    name = "variables",
    description = "Set, show, list, delete, import and export variables.",
    subcommands = {
      VariablesCommand.Set.class,
      VariablesCommand.Get.class,
      VariablesCommand.ListVariables.class,
      VariablesCommand.Delete.class,
      VariablesCommand.Import.class,
      VariablesCommand.Export.class
    })
final class VariablesCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The value as listings print it: {@code ***} for a secret-looking key or nested field. */
  static String shown(String key, String value) {
    return Masking.variable(key, value);
  }

  @Command(name = "set", description = "Create a variable or change its value (JSON allowed).")
  static final class Set implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The variable's key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "Its value.")
    String value;

    @Option(names = "--description", paramLabel = "D", description = "What the variable is for.")
    String description;

    @Override
    public Integer call() {
      ConnectionIds.require(key);
      Settings settings = Commands.settings(spec);
      try (Database db = Commands.openMigrated(settings)) {
        new VariableActions(db, settings.fernetKeys())
            .set(key, value, description, System.getProperty("user.name"), Instant.now());
      }
      spec.commandLine().getOut().println("variable " + key + " set");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "get",
      description =
          "Show a variable as tasks see it: UPDRAFT_VAR_<KEY> first, then the database (a"
              + " secret-looking key's value as ***).")
  static final class Get implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The variable's key.")
    String key;

    @Option(names = "--default", paramLabel = "V", description = "Print this when it is not set.")
    String fallback;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      Optional<String> value =
          Lookups.environmentOnly(System.getenv()).variables(new SecretMasker()).find(key);
      String source = "environment";
      if (value.isEmpty()) {
        source = "database";
        try (Database db = Commands.openMigrated(settings)) {
          value = new StoredVariables(db, settings.fernetKeys()).get(key);
        }
      }
      if (value.isEmpty() && fallback == null) {
        throw new UpdraftException(
            "there is no variable '" + key + "' — 'updraft variables list' shows them");
      }
      String shown = value.isPresent() ? shown(key, value.get()) : fallback;
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.json) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", key);
        row.put("val", shown);
        row.put("source", value.isPresent() ? source : "default");
        out.println(JsonOutput.write(row));
      } else {
        out.println(shown);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the stored variables (secret-looking values as ***).")
  static final class ListVariables implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (Database db = Commands.openMigrated(settings)) {
        StoredVariables stored = new StoredVariables(db, settings.fernetKeys());
        Map<String, String> descriptions = stored.descriptions();
        stored
            .list()
            .forEach(
                (k, v) -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("key", k);
                  row.put("val", shown(k, v));
                  row.put("description", descriptions.get(k));
                  rows.add(row);
                });
      }
      Listing.print(spec.commandLine().getOut(), output.format, rows, "key", "val", "description");
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "Delete a stored variable.")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The variable's key.")
    String key;

    @Override
    public Integer call() {
      try (Database db = Commands.openMigrated(spec)) {
        if (!new VariableActions(db, FernetKeys.none())
            .delete(key, System.getProperty("user.name"), Instant.now())) {
          throw new UpdraftException(
              "there is no variable '" + key + "' — 'updraft variables list' shows them");
        }
      }
      spec.commandLine().getOut().println("deleted variable " + key);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "import",
      description =
          "Set the variables of a JSON file ({\"KEY\": value, ...}; a value that is not a string"
              + " is stored as its JSON), replacing those that exist.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file.")
    Path file;

    @Override
    public Integer call() {
      Map<String, String> values = new LinkedHashMap<>();
      SecretFiles.readObject(file, "variable keys to values")
          .forEach(
              (k, v) -> {
                ConnectionIds.require(k);
                values.put(k, v instanceof String s ? s : json(v));
              });
      Settings settings = Commands.settings(spec);
      try (Database db = Commands.openMigrated(settings)) {
        StoredVariables stored = new StoredVariables(db, settings.fernetKeys());
        db.runInTransaction(
            () -> {
              values.forEach((k, v) -> stored.set(k, v, null));
              Audit.record(
                  db, "cli_variables_import", Map.of("keys", List.copyOf(values.keySet())));
            });
      }
      spec.commandLine()
          .getOut()
          .println(
              "imported "
                  + values.size()
                  + " variable"
                  + (values.size() == 1 ? "" : "s")
                  + " from "
                  + file);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "export",
      description =
          "Write every stored variable to a JSON file (JSON values as JSON). The file holds the"
              + " values in clear — it is a backup — and is created readable by its owner only.")
  static final class Export implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file to write.")
    Path file;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      Map<String, Object> all = new LinkedHashMap<>();
      try (Database db = Commands.openMigrated(settings)) {
        new StoredVariables(db, settings.fernetKeys())
            .list()
            .forEach((k, v) -> all.put(k, parsed(v)));
        SecretFiles.writeOwnerOnly(file, all);
        Audit.record(db, "cli_variables_export", Map.of("file", file.toString()));
      }
      spec.commandLine()
          .getOut()
          .println(
              "exported "
                  + all.size()
                  + " variable"
                  + (all.size() == 1 ? "" : "s")
                  + " to "
                  + file);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** Airflow's export: a value that is JSON is written as JSON, anything else as a string. */
  private static Object parsed(String value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.readValue(value, Object.class);
    } catch (JsonProcessingException e) {
      return value;
    }
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a value read from JSON is JSON again", e);
    }
  }
}
