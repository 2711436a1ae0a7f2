package io.updraft.sdk;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * What an {@link Operator} knows about the try it runs: which task of which run, the run's dates,
 * its params and the task's rendered args, and where to log. The names match Airflow's template
 * context ({@code dag_id}, {@code run_id}, {@code logical_date}, {@code data_interval_start}...).
 */
public interface TaskContext {
  String dagId();

  String taskId();

  /** E.g. {@code scheduled__2024-01-01T00:00:00+00:00}. */
  String runId();

  /** The run's logical date: its data interval's start (for a trigger run, its fire time). */
  Instant logicalDate();

  Instant dataIntervalStart();

  Instant dataIntervalEnd();

  /** 1 for the first try, 2 for the first retry, and so on. */
  int tryNumber();

  /** The DAG's params overlaid with the run's conf, as templates see {@code params}. */
  Map<String, Object> params();

  /** The task's operator args with every template rendered for this try. */
  Map<String, Object> args();

  /** The try's log: what is printed here shows in the task log of this try. */
  PrintStream log();
}
