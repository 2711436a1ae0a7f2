package io.updraft.sdk;

import io.updraft.dag.Dag;
import io.updraft.dag.DagValidator;
import io.updraft.dag.DagValues;
import io.updraft.dag.DateValue;
import io.updraft.dag.InvalidDagException;
import io.updraft.dag.Problem;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes one DAG in Java: every DAG key of SPEC §1, meaning what it means in a YAML file. Start
 * with {@link Dags#dag}, end with {@link #build}. Setters replace what was set before (except
 * {@link #param}, {@link #task} and {@link #defaultArgs(Consumer)}, which add); passing {@code
 * null} resets a key to its default. Bad values throw {@link IllegalArgumentException} at the call;
 * problems only visible in the whole DAG (a cycle, an unknown upstream task) throw {@link
 * InvalidDagException} from {@link #build}.
 *
 * <p>Dates given without an offset ({@code "2024-01-01"}, a {@link LocalDate} or {@link
 * LocalDateTime}) are wall-clock time in the DAG's time zone, placed when the DAG is built, so the
 * order of {@link #timezone} and {@link #startDate} calls does not matter.
 */
public final class DagBuilder {
  private final Map<String, List<io.updraft.dag.Notifier>> dagCallbacks =
      new java.util.LinkedHashMap<>();
  private io.updraft.dag.Deadline deadline;

  private final String dagId;
  private String description;
  private Schedule schedule = new Schedule.Manual();
  private boolean trigger;
  private ZoneId timezone = DagValues.UTC;
  private DateValue startDate;
  private DateValue endDate;
  private boolean catchup;
  private Integer maxActiveRuns;
  private int maxActiveTasks = Dag.DEFAULT_MAX_ACTIVE_TASKS;
  private Duration dagrunTimeout;
  private final List<String> tags = new ArrayList<>();
  private final Map<String, Object> params = new LinkedHashMap<>();
  private DefaultArgs defaultArgs = new DefaultArgs();
  private final List<TaskBuilder> tasks = new ArrayList<>();

  DagBuilder(String dagId) {
    if (dagId == null) {
      throw new IllegalArgumentException("a DAG needs a dag_id, e.g. Dags.dag(\"orders_daily\")");
    }
    this.dagId = dagId;
  }

  private String key(String key) {
    return "DAG " + dagId + ": " + key;
  }

  public DagBuilder description(String description) {
    this.description = description;
    return this;
  }

  /**
   * The schedule as a DAG file writes it: null (manual runs only), a preset ({@code "@once"},
   * {@code "@continuous"}, {@code "@hourly"}, {@code "@daily"}, {@code "@weekly"}, {@code
   * "@monthly"}, {@code "@quarterly"}, {@code "@yearly"}), a 5-field cron expression or a duration
   * ({@code 1h}, {@code P1D}).
   */
  public DagBuilder schedule(String schedule) {
    try {
      this.schedule = DagValues.schedule(schedule);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key(e.getMessage()), e);
    }
    return this;
  }

  /** A fixed interval between data-interval boundaries. */
  public DagBuilder schedule(Duration interval) {
    if (interval == null) {
      this.schedule = new Schedule.Manual();
    } else if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          key("schedule") + " interval " + interval + " must be positive");
    } else {
      this.schedule = new Schedule.Delta(interval.toString(), interval);
    }
    return this;
  }

  /**
   * The {@code timetable} key: {@code interval} (the default: a cron schedule makes data-interval
   * runs) or {@code trigger} (a cron schedule fires at its time, logical date = that time); null
   * resets to interval.
   */
  public DagBuilder timetable(String timetable) {
    if (timetable == null || timetable.equals("interval")) {
      trigger = false;
    } else if (timetable.equals("trigger")) {
      trigger = true;
    } else {
      throw new IllegalArgumentException(
          key("timetable")
              + " '"
              + timetable
              + "' is unknown — use interval (the default: data-interval runs) or trigger (runs"
              + " at the cron time)");
    }
    return this;
  }

  /** Same as {@code timetable("trigger")}: the cron schedule fires at its time. */
  public DagBuilder triggerTimetable() {
    return timetable("trigger");
  }

  /** An IANA zone name, e.g. {@code Europe/Amsterdam}; null means UTC. */
  public DagBuilder timezone(String zone) {
    try {
      this.timezone = DagValues.zone(zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key("timezone") + ": " + e.getMessage(), e);
    }
    return this;
  }

  public DagBuilder timezone(ZoneId zone) {
    this.timezone = DagValues.canonical(zone);
    return this;
  }

  /** {@code 2024-01-01}, {@code 2024-01-01T06:00} (in the DAG's time zone) or with an offset. */
  public DagBuilder startDate(String date) {
    this.startDate = DagValues.date(key("start_date"), date);
    return this;
  }

  /** Midnight of that day in the DAG's time zone. */
  public DagBuilder startDate(LocalDate date) {
    this.startDate = date == null ? null : new DateValue.Local(date.atStartOfDay());
    return this;
  }

  /** That wall-clock time in the DAG's time zone. */
  public DagBuilder startDate(LocalDateTime dateTime) {
    this.startDate = dateTime == null ? null : new DateValue.Local(dateTime);
    return this;
  }

  public DagBuilder startDate(Instant instant) {
    this.startDate = instant == null ? null : new DateValue.Exact(instant);
    return this;
  }

  /** Inclusive; same forms as {@link #startDate(String)}. */
  public DagBuilder endDate(String date) {
    this.endDate = DagValues.date(key("end_date"), date);
    return this;
  }

  public DagBuilder endDate(LocalDate date) {
    this.endDate = date == null ? null : new DateValue.Local(date.atStartOfDay());
    return this;
  }

  public DagBuilder endDate(LocalDateTime dateTime) {
    this.endDate = dateTime == null ? null : new DateValue.Local(dateTime);
    return this;
  }

  public DagBuilder endDate(Instant instant) {
    this.endDate = instant == null ? null : new DateValue.Exact(instant);
    return this;
  }

  /** Whether every missed interval since start_date gets a run (default false). */
  public DagBuilder catchup(boolean catchup) {
    this.catchup = catchup;
    return this;
  }

  /** Default 16, or 1 for {@code @continuous}. */
  public DagBuilder maxActiveRuns(int maxActiveRuns) {
    this.maxActiveRuns = maxActiveRuns;
    return this;
  }

  /** Per DagRun; default 16. */
  public DagBuilder maxActiveTasks(int maxActiveTasks) {
    this.maxActiveTasks = maxActiveTasks;
    return this;
  }

  public DagBuilder dagrunTimeout(Duration timeout) {
    this.dagrunTimeout = DagValues.duration(key("dagrun_timeout"), timeout);
    return this;
  }

  public DagBuilder dagrunTimeout(String timeout) {
    this.dagrunTimeout = DagValues.duration(key("dagrun_timeout"), timeout);
    return this;
  }

  /** The DAG's tags, replacing any given before. */
  public DagBuilder tags(String... tags) {
    return tags(Arrays.asList(tags));
  }

  /** The DAG's tags, replacing any given before. */
  public DagBuilder tags(Collection<String> tags) {
    this.tags.clear();
    for (String tag : tags) {
      this.tags.add(Objects.requireNonNull(tag, "tag"));
    }
    return this;
  }

  /**
   * Adds a param: a default for run conf. The value is text, a number, a boolean, null, or a list
   * or map of those (copied now).
   */
  public DagBuilder param(String name, Object value) {
    Objects.requireNonNull(name, "param name");
    params.put(name, JsonValues.copy(key("params." + name), value));
    return this;
  }

  /** The params, replacing any given before. */
  public DagBuilder params(Map<String, ?> params) {
    this.params.clear();
    params.forEach(this::param);
    return this;
  }

  /** Sets default_args keys: {@code .defaultArgs(a -> a.retries(2).owner("data-eng"))}. */
  public DagBuilder defaultArgs(Consumer<DefaultArgs> settings) {
    settings.accept(defaultArgs);
    return this;
  }

  /** Uses a copy of shared default_args (from {@link Dags#defaultArgs()}), replacing any set. */
  public DagBuilder defaultArgs(DefaultArgs defaults) {
    this.defaultArgs = defaults == null ? new DefaultArgs() : defaults.copy();
    return this;
  }

  /** Adds a task; it is read when the DAG is built. */
  public DagBuilder task(TaskBuilder task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    return this;
  }

  /** Adds tasks; they are read when the DAG is built. */
  public DagBuilder tasks(TaskBuilder... tasks) {
    for (TaskBuilder t : tasks) {
      task(t);
    }
    return this;
  }

  /**
   * The DAG, checked by {@link DagValidator}.
   *
   * @throws InvalidDagException listing every problem (a cycle, an unknown upstream task, a
   *     duplicate task_id, a trigger timetable without a cron schedule...)
   */
  /** The notifiers run when a run of this DAG succeeds. */
  public DagBuilder onSuccess(io.updraft.dag.Notifier... notifiers) {
    dagCallbacks.put(io.updraft.dag.Callbacks.ON_SUCCESS, List.of(notifiers));
    return this;
  }

  /** The notifiers run when a run of this DAG fails. */
  public DagBuilder onFailure(io.updraft.dag.Notifier... notifiers) {
    dagCallbacks.put(io.updraft.dag.Callbacks.ON_FAILURE, List.of(notifiers));
    return this;
  }

  /**
   * A deadline alert: {@code callback} runs once for a run not ended by its {@code reference}
   * ({@code logical_date}, {@code queued_at} or {@code data_interval_end}) plus {@code interval}.
   */
  public DagBuilder deadline(
      String reference, Duration interval, io.updraft.dag.Notifier... callback) {
    this.deadline =
        new io.updraft.dag.Deadline(
            io.updraft.dag.Deadline.Reference.fromId(reference), interval, List.of(callback));
    return this;
  }

  public Dag build() {
    List<Problem> problems = new ArrayList<>();
    Schedule s = schedule;
    if (trigger) {
      if (s instanceof Schedule.Cron c) {
        s = new Schedule.Cron(c.text(), c.expression(), true);
      } else {
        problems.add(
            new Problem(
                "timetable",
                "timetable: trigger needs a cron schedule (5 fields or a preset such as @daily) —"
                    + " change the schedule or remove timetable"));
      }
    }
    Map<String, Object> defaults = defaultArgs.values;
    DateValue start = startDate != null ? startDate : (DateValue) defaults.get("start_date");
    List<Task> built = new ArrayList<>(tasks.size());
    for (TaskBuilder t : tasks) {
      built.add(t.build(defaults, timezone));
    }
    int runs =
        maxActiveRuns != null
            ? maxActiveRuns
            // @continuous runs one at a time; as the YAML loader, spare users Airflow's error.
            : s instanceof Schedule.Continuous ? 1 : Dag.DEFAULT_MAX_ACTIVE_RUNS;
    Dag dag =
        new Dag(
            dagId,
            description,
            s,
            timezone,
            start == null ? null : start.in(timezone),
            endDate == null ? null : endDate.in(timezone),
            catchup,
            runs,
            maxActiveTasks,
            dagrunTimeout,
            tags,
            params,
            built,
            new io.updraft.dag.Callbacks(dagCallbacks),
            deadline);
    problems.addAll(DagValidator.validate(dag));
    if (!problems.isEmpty()) {
      throw new InvalidDagException(dagId, problems);
    }
    return dag;
  }
}
