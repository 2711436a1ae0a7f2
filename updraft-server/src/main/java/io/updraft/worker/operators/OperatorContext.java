package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.UnknownConnectionException;
import io.updraft.sensors.ExternalStates;
import io.updraft.sensors.SensorSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What an in-JVM operator gets for one try: its rendered arguments, a way to write log lines, the
 * connections, the DAG file's folder, the metadata services it may use, and the abort hooks.
 *
 * @param taskId the task, for messages
 * @param args the task's operator keys, every template rendered
 * @param log writes one Updraft line to the try's log
 * @param connections where {@code conn} ids are looked up
 * @param dagFolder the folder of the DAG file ({@code sql_file} is read under it); null if unknown
 * @param dagRuns creates and reads DAG runs ({@code trigger_dag})
 * @param clock the try's clock
 * @param timeout the task's {@code execution_timeout}, or null (operators bound their own waits by
 *     it, as a second line behind the runner's deadline)
 * @param maxResultBytes the largest return value that can be stored ({@code core.max_xcom_size})
 * @param templates renders a template read at run time: (key, source) to text, with the try's
 *     context; an {@link OperatorFailure} when it does not render
 * @param aborts the abort actions registered so far; null for a new list
 * @param runDates the run's time zone, logical date and data interval end (a sensor's {@code time},
 *     {@code time_delta} and {@code external_task} conditions); null when unknown
 * @param firstCheck when a {@code reschedule} sensor made its first check (its timeout counts from
 *     there); null for the first check and for every other operator
 * @param env the environment a sensor's {@code command} condition runs with (the task's, as a
 *     {@code shell} task gets it)
 * @param external the states of other DAGs' tasks and runs ({@code external_task})
 */
public record OperatorContext(
    String taskId,
    Map<String, Object> args,
    Consumer<String> log,
    ConnectionLookup connections,
    Path dagFolder,
    DagRuns dagRuns,
    Clock clock,
    Duration timeout,
    int maxResultBytes,
    java.util.function.BinaryOperator<String> templates,
    List<Runnable> aborts,
    SensorSpec.RunDates runDates,
    Instant firstCheck,
    Map<String, String> env,
    ExternalStates external) {

  public OperatorContext {
    args = args == null ? Map.of() : args;
    templates = templates == null ? (key, source) -> source : templates;
    aborts = aborts == null ? new CopyOnWriteArrayList<>() : aborts;
    env = env == null ? Map.of() : env;
    external = external == null ? OperatorServices.NO_EXTERNAL_STATES : external;
  }

  /**
   * Registers what cuts this try's blocking call short; the runner calls it (and interrupts the
   * operator's thread) on timeout or cancel.
   */
  public void onAbort(Runnable abort) {
    aborts.add(abort);
  }

  /** Writes an Updraft line to the try's log. */
  public void note(String line) {
    log.accept(line);
  }

  /** The connection {@code connId}; an {@link OperatorFailure} naming it when there is none. */
  public Connection connection(String connId) {
    try {
      return connections.get(connId);
    } catch (UnknownConnectionException e) {
      throw new OperatorFailure(connId, e.getMessage());
    }
  }

  /** The rendered value of an operator key, or null. */
  public Object arg(String key) {
    return args.get(key);
  }
}
