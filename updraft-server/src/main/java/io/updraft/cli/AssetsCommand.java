package io.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.connections.RedactedJson;
import io.updraft.dag.AssetUris;
import io.updraft.scheduler.AssetActions;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.AssetEventRepository.AssetEventRow;
import io.updraft.store.AssetRepository;
import io.updraft.store.AssetRepository.AssetRow;
import io.updraft.store.AssetRepository.ProducingTask;
import io.updraft.store.Database;
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

/**
 * {@code updraft assets list | events | create-event}: the assets tasks' outlets name (SPEC §1.10),
 * their events, and an event made by hand (audited, through the code the REST API uses).
 */
@Command(
    name = "assets",
    description = "List assets and their events, or record an asset event by hand.",
    subcommands = {
      AssetsCommand.ListAssets.class,
      AssetsCommand.Events.class,
      AssetsCommand.CreateEvent.class
    })
final class AssetsCommand implements Runnable {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      description = "List the assets: every URI a stored DAG's outlets name, or an event named.")
  static final class ListAssets implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (Database db = Commands.openMigrated(spec)) {
        AssetRepository assets = new AssetRepository(db);
        List<AssetRow> all = assets.page(null, "uri", false, Integer.MAX_VALUE, 0);
        Map<Long, List<ProducingTask>> producing =
            assets.producingTasks(all.stream().map(AssetRow::id).toList());
        for (AssetRow a : all) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("id", a.id());
          row.put("uri", a.uri());
          row.put("group", a.group());
          List<String> tasks =
              producing.getOrDefault(a.id(), List.of()).stream()
                  .map(p -> p.dagId() + "." + p.taskId())
                  .toList();
          row.put(
              "producing_tasks",
              output.format == OutputFormat.json ? tasks : String.join(", ", tasks));
          row.put("created_at", JsonOutput.instant(a.createdAt()));
          rows.add(row);
        }
      }
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          rows,
          "id",
          "uri",
          "group",
          "producing_tasks",
          "created_at");
      return ExitCodes.OK;
    }
  }

  @Command(name = "events", description = "List asset events, newest first.")
  static final class Events implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Option(names = "--asset", paramLabel = "URI", description = "Only this asset's events.")
    String asset;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new UpdraftException("--limit must be 1 or more, not " + limit);
      }
      List<AssetEventRow> events;
      try (Database db = Commands.openMigrated(spec)) {
        AssetEventRepository.Filter filter =
            new AssetEventRepository.Filter(null, asset, null, null, null, null, null, null);
        events = new AssetEventRepository(db).page(filter, "timestamp", true, limit, 0);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (AssetEventRow e : events) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("asset_id", e.assetId());
        row.put("uri", e.uri());
        row.put("timestamp", JsonOutput.instant(e.timestamp()));
        row.put("source_dag_id", e.sourceDagId());
        row.put("source_task_id", e.sourceTaskId());
        row.put("source_run_id", e.sourceRunId());
        row.put("source_map_index", e.sourceMapIndex());
        JsonNode extra = RedactedJson.of(e.extraJson());
        row.put("extra", output.format == OutputFormat.json ? extra : extra.toString());
        rows.add(row);
      }
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          rows,
          "id",
          "uri",
          "timestamp",
          "source_dag_id",
          "source_task_id",
          "source_run_id",
          "extra");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "create-event",
      description =
          "Record an event of an asset by hand, as POST /api/v2/assets/events does (audited).")
  static final class CreateEvent implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "The asset's URI.")
    String uri;

    @Option(
        names = "--extra",
        paramLabel = "JSON",
        description = "The event's extra, a JSON object (default {}).")
    String extra;

    @Override
    public Integer call() {
      AssetUris.problem(uri)
          .ifPresent(
              p -> {
                throw new UpdraftException(p);
              });
      String extraJson = extraJson(extra);
      AssetEventRow event;
      try (Database db = Commands.openMigrated(spec)) {
        AssetRow asset =
            new AssetRepository(db)
                .getByUri(uri)
                .orElseThrow(
                    () ->
                        new UpdraftException(
                            "there is no asset '"
                                + uri
                                + "' — an asset exists once a DAG names it in a task's outlets;"
                                + " 'updraft assets list' shows them"));
        event =
            AssetActions.createEvent(
                db, asset, extraJson, System.getProperty("user.name"), Instant.now());
      }
      spec.commandLine()
          .getOut()
          .println("asset event " + event.id() + " of " + uri + " at " + event.timestamp());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }

    private static String extraJson(String text) {
      if (text == null) {
        return "{}";
      }
      try {
        JsonNode node = PLAIN.readTree(text);
        if (node == null || !node.isObject()) {
          throw new UpdraftException(
              "--extra must be a JSON object such as '{\"rows\": 42}', not " + text);
        }
        return PLAIN.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new UpdraftException(
            "--extra is not valid JSON: "
                + e.getOriginalMessage()
                + " — write a JSON object such as '{\"rows\": 42}'");
      }
    }
  }
}
