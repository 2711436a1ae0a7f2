package io.updraft.worker;

import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.Lookups;
import io.updraft.connections.SecretMasker;
import io.updraft.connections.VariableLookup;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.timetable.DataInterval;
import io.updraft.worker.template.PreviousSuccess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything one try needs; no database access. Build with {@link #builder}.
 *
 * @param dag the DAG (for {@code params} and, for {@code branch}, the task's downstream)
 * @param task the task to run, one of {@code dag}'s
 * @param dataInterval the run's data interval; defaults to {@code [logicalDate, logicalDate]}
 * @param conf the run's conf
 * @param tryNumber 1 for the first try, as Airflow's {@code try_number}
 * @param logsRoot the folder under which the try's log file is created
 * @param connections where {@code conn.ID} and operators find connections (SPEC §1.7)
 * @param variables where {@code var.value.KEY} finds variables
 * @param masker the try's secret masker: the lookups add what they reveal, the log writer masks
 *     every line with it; one per try
 * @param bundles where a custom operator's code comes from
 * @param dagFile the DAG's file, whose folder is a shell task's default working folder; null if
 *     unknown
 * @param previousSuccess the DAG's latest successful run before this one ({@code prev_*_success} in
 *     templates), read from the database by the caller when a template first needs it (a try whose
 *     task has no template costs no query), at most once; none when null
 * @param firstCheck when a {@code reschedule} sensor's try made its first check, for its timeout;
 *     null otherwise
 * @param startGate asked right before the try starts its process or operator; open when null
 */
public record TryRequest(
    Dag dag,
    Task task,
    String runId,
    Instant logicalDate,
    DataInterval dataInterval,
    Map<String, Object> conf,
    int tryNumber,
    Path logsRoot,
    XComLookup xcoms,
    Clock clock,
    Heartbeat heartbeat,
    ConnectionLookup connections,
    VariableLookup variables,
    SecretMasker masker,
    Bundles bundles,
    Path dagFile,
    Supplier<PreviousSuccess> previousSuccess,
    Instant firstCheck,
    StartGate startGate) {

  public TryRequest {
    Objects.requireNonNull(dag, "dag");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(logicalDate, "logicalDate");
    Objects.requireNonNull(logsRoot, "logsRoot");
    if (tryNumber < 1) {
      throw new IllegalArgumentException("tryNumber starts at 1, not " + tryNumber);
    }
    dataInterval = dataInterval == null ? DataInterval.exact(logicalDate) : dataInterval;
    conf = conf == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    xcoms = xcoms == null ? XComLookup.none() : xcoms;
    clock = clock == null ? Clock.systemUTC() : clock;
    heartbeat = heartbeat == null ? Heartbeat.none() : heartbeat;
    connections = connections == null ? ConnectionLookup.none() : connections;
    variables = variables == null ? VariableLookup.none() : variables;
    masker = masker == null ? new SecretMasker() : masker;
    bundles = bundles == null ? Bundles.none() : bundles;
    previousSuccess = previousSuccess == null ? PreviousSuccess::none : once(previousSuccess);
    startGate = startGate == null ? StartGate.open() : startGate;
  }

  /** {@code supplier}'s value, asked for on the first call only. */
  private static <T> Supplier<T> once(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;
      private boolean known;

      @Override
      public synchronized T get() {
        if (!known) {
          value = supplier.get();
          known = true;
        }
        return value;
      }
    };
  }

  /**
   * The log file of this try.
   *
   * @throws SafePaths.UnsafePathException if the ids would put it outside {@code logsRoot}
   */
  public Path logPath() {
    return TryLog.path(logsRoot, dag.dagId(), runId, task.taskId(), tryNumber);
  }

  /**
   * Starts a request for task {@code taskId} of {@code dag}.
   *
   * @throws IllegalArgumentException if the DAG has no such task
   */
  public static Builder builder(
      Dag dag, String taskId, String runId, Instant logicalDate, Path logsRoot) {
    Task task =
        dag.task(taskId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "DAG '" + dag.dagId() + "' has no task '" + taskId + "'"));
    return new Builder(dag, task, runId, logicalDate, logsRoot);
  }

  /** Optional parts of a request; unset ones take the defaults of {@link TryRequest}. */
  public static final class Builder {
    private final Dag dag;
    private final Task task;
    private final String runId;
    private final Instant logicalDate;
    private final Path logsRoot;
    private DataInterval dataInterval;
    private Map<String, Object> conf;
    private int tryNumber = 1;
    private XComLookup xcoms;
    private Clock clock;
    private Heartbeat heartbeat;
    private ConnectionLookup connections;
    private VariableLookup variables;
    private SecretMasker masker;
    private Bundles bundles;
    private Path dagFile;
    private Supplier<PreviousSuccess> previousSuccess;
    private Instant firstCheck;
    private StartGate startGate;

    private Builder(Dag dag, Task task, String runId, Instant logicalDate, Path logsRoot) {
      this.dag = dag;
      this.task = task;
      this.runId = runId;
      this.logicalDate = logicalDate;
      this.logsRoot = logsRoot;
    }

    public Builder dataInterval(DataInterval v) {
      this.dataInterval = v;
      return this;
    }

    public Builder conf(Map<String, Object> v) {
      this.conf = v;
      return this;
    }

    public Builder tryNumber(int v) {
      this.tryNumber = v;
      return this;
    }

    public Builder xcoms(XComLookup v) {
      this.xcoms = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    public Builder heartbeat(Heartbeat v) {
      this.heartbeat = v;
      return this;
    }

    public Builder connections(ConnectionLookup v) {
      this.connections = v;
      return this;
    }

    public Builder variables(VariableLookup v) {
      this.variables = v;
      return this;
    }

    /** A fixed map of variables (tests). */
    public Builder variables(Map<String, String> v) {
      this.variables = key -> java.util.Optional.ofNullable(v.get(key));
      return this;
    }

    public Builder masker(SecretMasker v) {
      this.masker = v;
      return this;
    }

    /**
     * The connections and variables of {@code lookups}, feeding a new masker for this try (the
     * worker's way; tests may set the three apart).
     */
    public Builder secrets(Lookups lookups) {
      this.masker = new SecretMasker();
      this.connections = lookups.connections(masker);
      this.variables = lookups.variables(masker);
      return this;
    }

    public Builder bundles(Bundles v) {
      this.bundles = v;
      return this;
    }

    public Builder dagFile(Path v) {
      this.dagFile = v;
      return this;
    }

    public Builder previousSuccess(PreviousSuccess v) {
      this.previousSuccess = v == null ? null : () -> v;
      return this;
    }

    /** The previous successful run, read only when a template of the try needs it. */
    public Builder previousSuccess(Supplier<PreviousSuccess> v) {
      this.previousSuccess = v;
      return this;
    }

    /**
     * When a {@code reschedule} sensor's try made its first check (its first {@code
     * task_reschedule} row); null for the first check and for every other task.
     */
    public Builder firstCheck(Instant v) {
      this.firstCheck = v;
      return this;
    }

    /** Asked right before the try starts its process or operator ({@link StartGate}). */
    public Builder startGate(StartGate v) {
      this.startGate = v;
      return this;
    }

    public TryRequest build() {
      return new TryRequest(
          dag,
          task,
          runId,
          logicalDate,
          dataInterval,
          conf,
          tryNumber,
          logsRoot,
          xcoms,
          clock,
          heartbeat,
          connections,
          variables,
          masker,
          bundles,
          dagFile,
          previousSuccess,
          firstCheck,
          startGate);
    }
  }
}
