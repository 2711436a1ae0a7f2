package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionActions;
import io.updraft.connections.ConnectionIds;
import io.updraft.connections.ConnectionJson;
import io.updraft.connections.ConnectionUri;
import io.updraft.connections.Fernet;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Lookups;
import io.updraft.connections.StoredConnections;
import io.updraft.connections.StoredVariables;
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
 * {@code updraft connections add | list | get | delete | import | export | rotate-key |
 * generate-key}: the {@code connection} table (SPEC §1.7). Passwords and secret-looking extra
 * fields show as {@code ***} everywhere but in an export.
 */
@Command(
    name = "connections",
    description = "Add, list, show, delete, import and export connections.",
    subcommands = {
      ConnectionsCommand.Add.class,
      ConnectionsCommand.ListConnections.class,
      ConnectionsCommand.Get.class,
      ConnectionsCommand.Delete.class,
      ConnectionsCommand.Import.class,
      ConnectionsCommand.Export.class,
      ConnectionsCommand.RotateKey.class,
      ConnectionsCommand.GenerateKey.class
    })
final class ConnectionsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "add",
      description = {
        "Add a connection, from a URI (Airflow's form), from Airflow's JSON form, or field by"
            + " field.",
        "e.g. updraft connections add warehouse --conn-uri"
            + " 'postgresql://etl:s%40cret@db.example.com:5432/orders'"
      })
  static final class Add implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The connection's id.")
    String connId;

    @Option(
        names = "--conn-uri",
        paramLabel = "URI",
        description =
            "conn-type://login:password@host:port/schema?extra=value (percent-encode special characters).")
    String uri;

    @Option(
        names = "--conn-json",
        paramLabel = "JSON",
        description = "Airflow's JSON form: {\"conn_type\": ..., \"host\": ..., \"extra\": {...}}.")
    String json;

    @Option(
        names = "--conn-type",
        paramLabel = "TYPE",
        description = "postgres, mysql, h2, jdbc, http, smtp, ...")
    String type;

    @Option(
        names = "--conn-host",
        paramLabel = "HOST",
        description = "The host (the JDBC URL for jdbc).")
    String host;

    @Option(names = "--conn-port", paramLabel = "PORT", description = "The port.")
    Integer port;

    @Option(names = "--conn-login", paramLabel = "LOGIN", description = "The user.")
    String login;

    @Option(
        names = "--conn-password",
        paramLabel = "PASSWORD",
        description = "The password (stored encrypted).")
    String password;

    @Option(names = "--conn-schema", paramLabel = "SCHEMA", description = "The schema or database.")
    String schema;

    @Option(
        names = "--conn-extra",
        paramLabel = "JSON",
        description = "Extra fields as a JSON object.")
    String extra;

    @Option(
        names = "--conn-description",
        paramLabel = "TEXT",
        description = "What the connection is for.")
    String description;

    @Override
    public Integer call() {
      ConnectionIds.require(connId);
      Connection c = connection();
      Settings settings = Commands.settings(spec);
      try (Database db = Commands.openMigrated(settings)) {
        if (!new ConnectionActions(db, settings.fernetKeys())
            .add(c, System.getProperty("user.name"), Instant.now())) {
          throw new UpdraftException(
              "connection '"
                  + connId
                  + "' already exists — delete it first ('updraft connections delete "
                  + connId
                  + "')");
        }
      }
      spec.commandLine().getOut().println("added connection " + connId + " (" + c.connType() + ")");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }

    private Connection connection() {
      int forms = (uri != null ? 1 : 0) + (json != null ? 1 : 0) + (type != null ? 1 : 0);
      if (forms != 1) {
        throw new UpdraftException(
            "give exactly one of --conn-uri, --conn-json or --conn-type — see 'updraft"
                + " connections add --help'");
      }
      boolean fields =
          host != null
              || port != null
              || login != null
              || password != null
              || schema != null
              || extra != null;
      if (type == null && fields) {
        throw new UpdraftException(
            "--conn-host, --conn-port, --conn-login, --conn-password, --conn-schema and"
                + " --conn-extra go with --conn-type, not with --conn-uri or --conn-json");
      }
      try {
        if (uri != null) {
          return withDescription(ConnectionUri.parse(connId, uri));
        }
        if (json != null) {
          Connection c = ConnectionJson.parse(connId, json);
          return description == null ? c : withDescription(c);
        }
        return new Connection(
            connId,
            ConnectionUri.normalizeType(type),
            host,
            port,
            login,
            password,
            schema,
            ConnectionJson.extra(extra),
            description);
      } catch (IllegalArgumentException e) {
        String option = uri != null ? "--conn-uri" : json != null ? "--conn-json" : "--conn-extra";
        throw new UpdraftException(option + " is not valid: " + e.getMessage());
      }
    }

    private Connection withDescription(Connection c) {
      return new Connection(
          c.connId(),
          c.connType(),
          c.host(),
          c.port(),
          c.login(),
          c.password(),
          c.schema(),
          c.extra(),
          description);
    }
  }

  @Command(name = "list", description = "List the stored connections (passwords as ***).")
  static final class ListConnections implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (Database db = Commands.openMigrated(settings)) {
        new StoredConnections(db, settings.fernetKeys())
            .list()
            .forEach(c -> rows.add(ConnectionDisplay.masked(c, "database")));
      }
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          rows,
          "conn_id",
          "conn_type",
          "host",
          "port",
          "login",
          "schema",
          "description");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "get",
      description =
          "Show a connection as tasks see it: UPDRAFT_CONN_<ID> first, then the database"
              + " (passwords as ***).")
  static final class Get implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The connection's id.")
    String connId;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      Lookups env = Lookups.environmentOnly(System.getenv());
      Optional<Connection> fromEnv = env.fromEnvironment(connId);
      Map<String, Object> row;
      if (fromEnv.isPresent()) {
        row = ConnectionDisplay.masked(fromEnv.get(), "environment");
      } else {
        try (Database db = Commands.openMigrated(settings)) {
          row =
              new StoredConnections(db, settings.fernetKeys())
                  .get(connId)
                  .map(c -> ConnectionDisplay.masked(c, "database"))
                  .orElseThrow(
                      () ->
                          new UpdraftException(
                              "there is no connection '"
                                  + connId
                                  + "' — 'updraft connections list' shows them"));
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.json) {
        out.println(JsonOutput.write(row));
      } else {
        row.forEach((k, v) -> out.println(k + ": " + (v == null ? "" : ConnectionDisplay.text(v))));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "Delete a stored connection.")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The connection's id.")
    String connId;

    @Override
    public Integer call() {
      try (Database db = Commands.openMigrated(spec)) {
        if (!new ConnectionActions(db, FernetKeys.none())
            .delete(connId, System.getProperty("user.name"), Instant.now())) {
          throw new UpdraftException(
              "there is no connection '" + connId + "' — 'updraft connections list' shows them");
        }
      }
      spec.commandLine().getOut().println("deleted connection " + connId);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "import",
      description =
          "Add the connections of a JSON file in Airflow's export form ({\"ID\": {\"conn_type\":"
              + " ..., ...}}); existing ids are skipped unless --overwrite. Nothing is imported"
              + " when any entry is invalid.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file.")
    Path file;

    @Option(names = "--overwrite", description = "Replace connections that exist.")
    boolean overwrite;

    @Override
    public Integer call() {
      List<Connection> parsed = new ArrayList<>();
      SecretFiles.readObject(file, "connection ids to connections")
          .forEach(
              (id, fields) -> {
                ConnectionIds.require(id);
                if (!(fields instanceof Map<?, ?> map)) {
                  throw new UpdraftException(
                      file + ": connection '" + id + "' must be a JSON object of fields");
                }
                try {
                  parsed.add(ConnectionJson.fromMap(id, map));
                } catch (IllegalArgumentException e) {
                  throw new UpdraftException(
                      file + ": connection '" + id + "' is not valid: " + e.getMessage());
                }
              });
      Settings settings = Commands.settings(spec);
      List<String> added = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      try (Database db = Commands.openMigrated(settings)) {
        StoredConnections stored = new StoredConnections(db, settings.fernetKeys());
        db.runInTransaction(
            () -> {
              for (Connection c : parsed) {
                if (overwrite) {
                  stored.set(c);
                  added.add(c.connId());
                } else if (stored.add(c)) {
                  added.add(c.connId());
                } else {
                  skipped.add(c.connId());
                }
              }
              Audit.record(db, "cli_connections_import", Map.of("conn_ids", added));
            });
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "imported "
              + added.size()
              + " connection"
              + (added.size() == 1 ? "" : "s")
              + " from "
              + file
              + (skipped.isEmpty()
                  ? ""
                  : "; skipped " + String.join(", ", skipped) + " (they exist: use --overwrite)"));
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "export",
      description =
          "Write every stored connection to a JSON file in Airflow's export form. The file holds"
              + " the passwords in clear — it is a backup — and is created readable by its owner"
              + " only.")
  static final class Export implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSON file to write.")
    Path file;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      Map<String, Object> all = new LinkedHashMap<>();
      try (Database db = Commands.openMigrated(settings)) {
        new StoredConnections(db, settings.fernetKeys())
            .list()
            .forEach(c -> all.put(c.connId(), ConnectionJson.exportEntry(c)));
        SecretFiles.writeOwnerOnly(file, all);
        Audit.record(db, "cli_connections_export", Map.of("file", file.toString()));
      }
      spec.commandLine()
          .getOut()
          .println(
              "exported "
                  + all.size()
                  + " connection"
                  + (all.size() == 1 ? "" : "s")
                  + " to "
                  + file);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rotate-key",
      description = {
        "Re-encrypt every connection password and extra, and every variable, with the first key"
            + " of core.fernet_key.",
        "To rotate: set core.fernet_key to 'NEW_KEY,OLD_KEY', run this, then drop OLD_KEY."
      })
  static final class RotateKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Settings settings = Commands.settings(spec);
      FernetKeys keys = settings.fernetKeys();
      if (!keys.present()) {
        throw new UpdraftException(
            "no Fernet key is set — set core.fernet_key (UPDRAFT_CORE_FERNET_KEY) to"
                + " 'NEW_KEY,OLD_KEY' first");
      }
      int[] counts = new int[2];
      try (Database db = Commands.openMigrated(settings)) {
        db.runInTransaction(
            () -> {
              counts[0] = new StoredConnections(db, keys).rotate();
              counts[1] = new StoredVariables(db, keys).rotate();
              Audit.record(
                  db,
                  "cli_rotate_fernet_key",
                  Map.of("connections", counts[0], "variables", counts[1]));
            });
      }
      spec.commandLine()
          .getOut()
          .println(
              "re-encrypted "
                  + counts[0]
                  + " connection"
                  + (counts[0] == 1 ? "" : "s")
                  + " and "
                  + counts[1]
                  + " variable"
                  + (counts[1] == 1 ? "" : "s")
                  + " with the first key of core.fernet_key");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "generate-key",
      description = "Print a new Fernet key for core.fernet_key (the same format as Airflow's).")
  static final class GenerateKey implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(Fernet.generateKey());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
