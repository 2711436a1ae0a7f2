package io.updraft.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Lookups;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.store.DagBundleRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DatabaseExternalStates;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.XComRepository;
import io.updraft.timetable.DataInterval;
import io.updraft.worker.BundleCache;
import io.updraft.worker.Bundles;
import io.updraft.worker.FailureKind;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import io.updraft.worker.XComLookup;
import io.updraft.worker.operators.OperatorServices;
import io.updraft.worker.template.PreviousSuccess;
import io.updraft.worker.template.TemplateRenderException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tries with the worker's {@link TaskRunner} (templates, {@code shell}, {@code branch}, {@code
 * short_circuit}, {@code empty}, the in-JVM {@code http}, {@code sql}, {@code email} and {@code
 * trigger_dag}), giving it the run's conf and data interval and the XComs stored in the database.
 * Return values are stored as JSON: a shell task's is its last stdout line, a JSON string.
 */
public final class WorkerTryRunner implements TryRunner {
  private static final Logger log = LoggerFactory.getLogger(WorkerTryRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> CONF = new TypeReference<>() {};
  private static final String SENSOR_OPERATOR = "sensor";

  private final TaskRunner runner;
  private final Path logsRoot;
  private final XComLookup xcoms;
  private final Clock clock;
  private final Bundles bundles;
  private final Lookups lookups;
  private final PreviousRuns previousRuns;
  private final FirstChecks firstChecks;

  /**
   * Finds when a {@code reschedule} sensor's try made its first check ({@link
   * io.updraft.store.TaskInstanceDeferrals#firstCheck}), from which its timeout counts.
   */
  @FunctionalInterface
  public interface FirstChecks {
    Optional<Instant> of(long taskInstanceId, int tryNumber);

    static FirstChecks none() {
      return (id, tryNumber) -> Optional.empty();
    }
  }

  /** Finds the DAG's latest successful run before a logical date, for {@code prev_*_success}. */
  @FunctionalInterface
  public interface PreviousRuns {
    PreviousSuccess before(String dagId, Instant logicalDate);

    static PreviousRuns none() {
      return (dagId, logicalDate) -> PreviousSuccess.none();
    }
  }

  public WorkerTryRunner(
      XComRepository xcoms, Bundles bundles, Path logsRoot, RunnerSettings settings, Clock clock) {
    this(xcoms, bundles, Lookups.none(), logsRoot, settings, clock, PreviousRuns.none());
  }

  /**
   * @param lookups where the tries' connections and variables come from
   * @param previousRuns where {@code prev_*_success} come from
   */
  public WorkerTryRunner(
      XComRepository xcoms,
      Bundles bundles,
      Lookups lookups,
      Path logsRoot,
      RunnerSettings settings,
      Clock clock,
      PreviousRuns previousRuns) {
    this(xcoms, bundles, lookups, logsRoot, settings, OperatorServices.none(), clock, previousRuns);
  }

  /**
   * @param services what {@code trigger_dag} reaches: the DAG runs of the metadata database
   */
  public WorkerTryRunner(
      XComRepository xcoms,
      Bundles bundles,
      Lookups lookups,
      Path logsRoot,
      RunnerSettings settings,
      OperatorServices services,
      Clock clock,
      PreviousRuns previousRuns) {
    this(
        xcoms,
        bundles,
        lookups,
        logsRoot,
        settings,
        services,
        clock,
        previousRuns,
        FirstChecks.none());
  }

  /**
   * @param firstChecks where a reschedule-mode sensor's first check comes from
   */
  public WorkerTryRunner(
      XComRepository xcoms,
      Bundles bundles,
      Lookups lookups,
      Path logsRoot,
      RunnerSettings settings,
      OperatorServices services,
      Clock clock,
      PreviousRuns previousRuns,
      FirstChecks firstChecks) {
    this(
        (XComLookup) (dagId, runId, taskId, key) -> pull(xcoms, dagId, runId, taskId, key),
        bundles,
        lookups,
        logsRoot,
        settings,
        services,
        clock,
        previousRuns,
        firstChecks);
  }

  /**
   * A runner whose XComs come from {@code xcoms}: a remote worker's, read through the API server.
   */
  public WorkerTryRunner(
      XComLookup xcoms,
      Bundles bundles,
      Lookups lookups,
      Path logsRoot,
      RunnerSettings settings,
      OperatorServices services,
      Clock clock,
      PreviousRuns previousRuns,
      FirstChecks firstChecks) {
    this.previousRuns = previousRuns;
    this.firstChecks = firstChecks;
    this.runner = new TaskRunner(settings, services);
    this.bundles = bundles;
    this.lookups = lookups;
    this.logsRoot = logsRoot;
    this.xcoms = xcoms;
    this.clock = clock;
  }

  /**
   * The worker as it runs against a metadata database: XComs and code bundles read from it, bundles
   * cached in {@code bundles} next to {@code logsRoot} (in the home: {@code <home>/bundles}).
   */
  public static WorkerTryRunner onDatabase(Database db, Path logsRoot, Clock clock) {
    return onDatabase(db, logsRoot, RunnerSettings.defaults(), clock);
  }

  /**
   * {@link #onDatabase(Database, Path, Clock)} with these runner settings; connections and
   * variables from the runner's environment and the tables, with no Fernet key (encrypted values
   * cannot be read: use the overload with keys).
   */
  public static WorkerTryRunner onDatabase(
      Database db, Path logsRoot, RunnerSettings settings, Clock clock) {
    return onDatabase(db, logsRoot, settings, FernetKeys.none(), clock);
  }

  /**
   * The worker on a metadata database: XComs, code bundles, and connections and variables ({@code
   * UPDRAFT_CONN_*} / {@code UPDRAFT_VAR_*} of the runner's environment, then the tables, decrypted
   * with {@code keys}).
   */
  public static WorkerTryRunner onDatabase(
      Database db, Path logsRoot, RunnerSettings settings, FernetKeys keys, Clock clock) {
    return new WorkerTryRunner(
        new XComRepository(db),
        new BundleCache(logsRoot.resolveSibling("bundles"), new DagBundleRepository(db)::content),
        Lookups.of(settings.baseEnv(), db, keys),
        logsRoot,
        settings,
        new OperatorServices(new DatabaseDagRuns(db, clock), new DatabaseExternalStates(db)),
        clock,
        previousSuccess(new DagRunRepository(db)),
        new TaskInstanceDeferrals(db)::firstCheck);
  }

  private static PreviousRuns previousSuccess(DagRunRepository runs) {
    return (dagId, logicalDate) ->
        runs.previousSuccess(dagId, logicalDate)
            .map(
                r -> new PreviousSuccess(r.dataIntervalStart(), r.dataIntervalEnd(), r.startDate()))
            .orElse(PreviousSuccess.none());
  }

  /**
   * The request of try {@code tryNumber} of a task in a run, as this worker makes it: the run's
   * conf and dates, XComs, connections and variables (with a new masker), its log's path.
   */
  public TryRequest request(Dag dag, Task task, DagRunRow run, int tryNumber, String fileloc) {
    return builder(dag, task, run, tryNumber, fileloc).build();
  }

  private TryRequest.Builder builder(
      Dag dag, Task task, DagRunRow run, int tryNumber, String fileloc) {
    return TryRequest.builder(dag, task.taskId(), run.runId(), run.logicalDate(), logsRoot)
        .dataInterval(interval(run))
        .conf(conf(run.conf()))
        .tryNumber(tryNumber)
        .previousSuccess(() -> previousRuns.before(run.dagId(), run.logicalDate()))
        .dagFile(fileloc == null ? null : Path.of(fileloc))
        .xcoms(xcoms)
        .bundles(bundles)
        .secrets(lookups)
        .clock(clock);
  }

  /**
   * The task's arguments rendered as try {@code request} would render them, running nothing (the
   * triggerer's deferred sensors).
   */
  public Map<String, Object> renderArgs(TryRequest request) throws TemplateRenderException {
    return runner.renderArgs(request);
  }

  @Override
  public Result run(Request r) {
    DagRunRow run = r.run();
    TryOutcome outcome =
        runner.run(
            builder(r.dag(), r.task(), run, r.ti().tryNumber(), r.fileloc())
                .firstCheck(firstCheck(r))
                .startGate(r.startGate())
                .build(),
            r.cancel());
    if (outcome.logPath() == null && outcome.error() != null) {
      // The try failed before it had a log (one that would land outside the logs folder): this
      // line is the only trace of why.
      log.warn(
          "try {} of {}.{} in run {} failed: {}",
          r.ti().tryNumber(),
          run.dagId(),
          r.task().taskId(),
          run.runId(),
          outcome.error());
    }
    return new Result(
        outcome.state(),
        json(outcome.returnValue()),
        outcome.error(),
        outcome.downstream(),
        outcome.pause(),
        outcome.failure() != FailureKind.SENSOR_TIMEOUT);
  }

  /**
   * When this try of a sensor made its first check; null for any other task, which costs no query.
   */
  Instant firstCheck(Request r) {
    if (!SENSOR_OPERATOR.equals(r.task().operator())) {
      return null;
    }
    return firstChecks.of(r.ti().id(), r.ti().tryNumber()).orElse(null);
  }

  private static DataInterval interval(DagRunRow run) {
    return run.dataIntervalStart() == null || run.dataIntervalEnd() == null
        ? null
        : new DataInterval(run.dataIntervalStart(), run.dataIntervalEnd());
  }

  private static Map<String, Object> conf(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, Object> conf = JSON.readValue(json, CONF);
      return conf == null ? Map.of() : conf;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the run's conf is not a JSON object: " + json, e);
    }
  }

  private static String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store the return value as JSON: " + value, e);
    }
  }

  private static Optional<Object> pull(
      XComRepository xcoms, String dagId, String runId, String taskId, String key) {
    return xcoms
        .get(dagId, runId, taskId, key)
        .map(
            stored -> {
              try {
                return JSON.readValue(stored, Object.class);
              } catch (JsonProcessingException e) {
                return stored; // written by something else than Updraft: hand over the text
              }
            });
  }
}
