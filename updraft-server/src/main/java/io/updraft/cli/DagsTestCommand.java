package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.config.ConfigKey;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.TaskOrder;
import io.updraft.scheduler.Wakeup;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.store.AssetRepository;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.ConnectionRepository;
import io.updraft.store.DagBundleRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.PoolRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.VariableRepository;
import io.updraft.triggerer.Triggerer;
import io.updraft.util.Folders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft dags test DAG [LOGICAL_DATE]}: runs one DagRun to completion in this process,
 * through the real scheduling code — scheduler loop, local executor, task runner — on a throw-away
 * embedded database, or on the configured one ({@code --db-url}), where the run and its tasks stay
 * for inspection. Exit 0 if the run succeeded, 1 if it failed, 2 on bad input.
 */
@Command(
    name = "test",
    description =
        "Run one DagRun of a DAG to completion in this process: on a throw-away database, or,"
            + " with --db-url, on that (migrated) database, where the run stays to inspect.")
final class DagsTestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOGICAL_DATE",
      description =
          "The run's logical date (default: now): an ISO instant, or a date or date-time read as"
              + " UTC, as in Airflow.")
  String logicalDate;

  @Option(names = "--conf", paramLabel = "JSON", description = "The run's conf: a JSON object.")
  String conf;

  @CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Settings settings = Commands.settings(spec);
    FolderDags folder = FolderDags.load(settings.dagsFolder());
    folder.reportErrors(spec.commandLine().getErr());
    FolderDags.Entry entry = folder.find(dagId);
    Dag dag = entry.dag();
    String confJson = conf == null ? null : Commands.confJson(conf);
    Clock clock = Clock.systemUTC();
    Instant logical =
        logicalDate == null
            ? clock.instant()
            : DagsNextRunsCommand.parseInstant("LOGICAL_DATE", logicalDate);
    boolean throwAway = settings.config().dbUrl() == null;
    Path scratch = throwAway ? Files.createTempDirectory("updraft-dags-test-") : null;
    try (Database db =
        throwAway
            ? Database.open("jdbc:h2:file:" + scratch.resolve("db"))
            : Commands.openMigrated(settings)) {
      if (throwAway) {
        db.migrate();
        copyHomePools(settings, db, spec.commandLine().getErr());
      }
      requirePools(dag, db, throwAway ? settings : null);
      Instant now = clock.instant();
      if (entry.bundle() != null) {
        new DagBundleRepository(db)
            .store(entry.bundle().hash(), entry.file().toString(), entry.bundle().jar(), now);
      }
      store(
          db,
          entry,
          !throwAway && settings.config().bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION),
          now);
      if (throwAway) {
        storeTriggerTargets(db, dag, folder, now);
      }
      DagVersions versions = new DagVersions(new SerializedDagRepository(db));
      DagRunRow run = ManualRuns.trigger(db, versions.latest(dagId), logical, null, confJson, now);
      Path logs = settings.home().resolve("logs");
      DagRunRow done = runToEnd(db, versions, run, logs, settings, clock);
      // As Airflow's dags test, callbacks run too: here, after the run, in this process.
      List<CallbackRow> callbacks =
          DagsTestCallbacks.run(db, versions, settings.lookups(db), done, logs, clock);
      List<TaskInstanceRow> tis =
          TaskOrder.sort(dag, new TaskInstanceRepository(db).listForRun(dagId, run.runId()));
      print(done, tis, callbacks, logs);
      return done.state() == DagRunState.SUCCESS ? ExitCodes.OK : ExitCodes.FAILED_RUN;
    } finally {
      if (scratch != null) {
        Folders.deleteTree(scratch);
      }
    }
  }

  private static void store(Database db, FolderDags.Entry entry, boolean paused, Instant now) {
    Dag dag = entry.dag();
    new SerializedDagRepository(db)
        .store(dag.dagId(), DagSerializer.serialize(dag), entry.file().toString(), now);
    new DagRepository(db).upsert(dag, entry.file().toString(), paused, now);
    new AssetRepository(db).registerOutlets(dag, now);
  }

  /**
   * The DAGs this one's {@code trigger_dag} tasks name (when the id is not a template) go into the
   * throw-away database too, so the trigger finds them; their runs are created and stay queued, as
   * Airflow's {@code dags test} leaves them (docs/decisions/0067).
   */
  private static void storeTriggerTargets(Database db, Dag dag, FolderDags folder, Instant now) {
    for (var task : dag.tasks()) {
      if (task.operator().equals("trigger_dag")
          && task.args().get("trigger_dag_id") instanceof String target
          && !target.contains("{{")
          && !target.equals(dag.dagId())) {
        folder.entries().stream()
            .filter(e -> e.dag().dagId().equals(target))
            .findFirst()
            .ifPresent(e -> store(db, e, false, now));
      }
    }
  }

  /**
   * The throw-away database starts with only {@code default_pool}: the pools, connections and
   * variables of the home's database (when there is one) are copied into it, so tasks run with the
   * pools and secrets they will have for real. Secrets are copied as stored (encrypted) and read
   * with this command's Fernet key (decisions/0064).
   */
  private static void copyHomePools(Settings settings, Database scratch, PrintWriter err) {
    if (!settings.homeDatabaseExists()) {
      return;
    }
    try (Database home = settings.openDatabase()) {
      home.check();
      PoolRepository pools = new PoolRepository(scratch);
      new PoolRepository(home).list().forEach(pools::set);
      ConnectionRepository connections = new ConnectionRepository(scratch);
      new ConnectionRepository(home).list().forEach(connections::set);
      VariableRepository variables = new VariableRepository(scratch);
      new VariableRepository(home).list().forEach(variables::set);
    } catch (UpdraftException e) {
      err.println(
          "updraft: warning: the home database's pools, connections and variables were not"
              + " copied: "
              + e.getMessage());
      err.flush();
    }
  }

  /**
   * Refuses a DAG with a task in a pool the database does not have: its task instances would wait
   * for a slot forever and the command would never end.
   *
   * @param throwAway the settings whose home database lent its pools; null when running on the
   *     configured database
   */
  private static void requirePools(Dag dag, Database db, Settings throwAway) {
    Set<String> existing = new HashSet<>();
    new PoolRepository(db).list().forEach(p -> existing.add(p.name()));
    Map<String, List<String>> missing = new TreeMap<>();
    for (Task t : dag.tasks()) {
      if (!existing.contains(t.pool())) {
        missing.computeIfAbsent(t.pool(), k -> new ArrayList<>()).add(t.taskId());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    boolean one = missing.size() == 1;
    String pools =
        missing.entrySet().stream()
            .map(
                e ->
                    "'"
                        + e.getKey()
                        + "' (task"
                        + (e.getValue().size() == 1 ? " " : "s ")
                        + String.join(", ", e.getValue())
                        + ")")
            .collect(Collectors.joining(", "));
    String create =
        "'updraft pools set " + (one ? missing.keySet().iterator().next() : "NAME") + " SLOTS'";
    String where;
    if (throwAway == null) {
      where = "the database " + db.displayUrl();
    } else if (throwAway.homeDatabaseExists()) {
      where = "the home database in " + throwAway.home() + ", whose pools dags test uses";
    } else {
      where =
          "any database: dags test uses the pools of the home database, and "
              + throwAway.home()
              + " has none";
      create = "'updraft db migrate', then " + create;
    }
    throw new UpdraftException(
        "dag '"
            + dag.dagId()
            + "' uses "
            + (one ? "pool " : "pools ")
            + pools
            + ", which "
            + (one ? "does" : "do")
            + " not exist in "
            + where
            + " — create "
            + (one ? "it" : "each")
            + " with "
            + create);
  }

  /**
   * Runs the one run to its end with a scheduler limited to it: on a shared database, other runs
   * are left to the schedulers that own them.
   */
  private static DagRunRow runToEnd(
      Database db, DagVersions versions, DagRunRow run, Path logs, Settings settings, Clock clock)
      throws InterruptedException {
    Wakeup wakeup = new Wakeup();
    long jobId =
        new JobRepository(db)
            .register(
                JobType.SCHEDULER,
                "localhost",
                (int) ProcessHandle.current().pid(),
                clock.instant());
    int parallelism = settings.config().integer(ConfigKey.PARALLELISM);
    try (LocalExecutor executor =
        new LocalExecutor(
            db,
            versions,
            WorkerTryRunner.onDatabase(
                db, logs, settings.runnerSettings(), settings.fernetKeys(), clock),
            parallelism,
            clock,
            wakeup,
            Duration.ofSeconds(5))) {
      SchedulerLoop loop =
          new SchedulerLoop(
              SchedulerContext.create(db, executor, wakeup, clock, jobId)
                  .scopedTo(run.dagId(), run.runId()),
              Duration.ofMillis(250));
      // Deferred waits (defer sensors, trigger_dag's wait) need a triggerer: one in this JVM,
      // woken by this run's task ends (decision 0086).
      Triggerer triggerer = TriggererService.triggerer(db, settings, clock, null, wakeup::signal);
      executor.onTryEnded(triggerer::changed);
      loop.onRunsFinished(triggerer::changed);
      Thread triggering = Thread.ofPlatform().name("triggerer").start(triggerer::run);
      Thread scheduler = Thread.ofPlatform().name("scheduler").start(loop::run);
      DagRunRepository runs = new DagRunRepository(db);
      try {
        DagRunRow current = runs.get(run.dagId(), run.runId()).orElseThrow();
        while (!current.state().isFinished()) {
          Thread.sleep(10);
          current = runs.get(run.dagId(), run.runId()).orElseThrow();
        }
        return current;
      } finally {
        loop.stop();
        scheduler.join();
        triggerer.stop();
        triggering.join();
        triggerer.close();
        new JobRepository(db).finish(jobId, true, clock.instant());
      }
    }
  }

  private void print(
      DagRunRow run, List<TaskInstanceRow> tis, List<CallbackRow> callbacks, Path logs) {
    List<Map<String, Object>> cbs =
        callbacks.stream().map(c -> DagsTestCallbacks.json(c, logs)).toList();
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.json) {
      Map<String, Object> result = new java.util.LinkedHashMap<>();
      result.put("dag_id", run.dagId());
      result.put("run_id", run.runId());
      result.put("state", run.state().id());
      result.put("logical_date", JsonOutput.instant(run.logicalDate()));
      result.put("data_interval_start", JsonOutput.instant(run.dataIntervalStart()));
      result.put("data_interval_end", JsonOutput.instant(run.dataIntervalEnd()));
      result.put("tasks", tis.stream().map(RunJson::task).toList());
      result.put("callbacks", cbs);
      out.println(JsonOutput.write(result));
      out.flush();
    } else {
      out.println("run " + run.runId() + " of " + run.dagId() + ": " + run.state().id());
      Listing.print(
          out,
          output.format,
          tis.stream().map(RunJson::task).toList(),
          "task_id",
          "state",
          "try_number",
          "start_date",
          "end_date",
          "duration");
      if (!cbs.isEmpty()) {
        long failed = callbacks.stream().filter(c -> !c.state().equals("success")).count();
        out.println(
            "callbacks: "
                + cbs.size()
                + " run after the run ("
                + (cbs.size() - failed)
                + " delivered, "
                + failed
                + " failed)");
        Listing.print(
            out, output.format, cbs, "event", "task_id", "notifier", "state", "attempts", "error");
      }
      out.println("logs: " + logs.resolve("dag_id=" + run.dagId()));
      out.flush();
    }
  }
}
