package io.updraft.sensors;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing a sensor waits for, with its templates rendered and its times resolved to instants. A
 * sensor's {@code wait} list is a multi-wait: it holds when every condition holds at one check.
 */
public sealed interface Condition {

  /** One line for logs: the kind and what it names, never a secret. */
  String describe();

  /**
   * {@code file}: a path or a glob ({@code *}, {@code ?}, {@code [..]}, {@code **}); relative paths
   * are under the DAG file's folder. Holds when at least one file matches.
   */
  record File(String pattern) implements Condition {
    @Override
    public String describe() {
      return "file " + pattern;
    }
  }

  /** {@code sql}: holds when the query returns a row (Airflow's SqlSensor: a truthy first cell). */
  record Sql(String connId, String sql) implements Condition {
    @Override
    public String describe() {
      return "sql on " + connId;
    }
  }

  /**
   * {@code http}: holds when the response status is one of {@code expectStatus} (empty: any 2xx)
   * and, when {@code jsonPointer} is set, the JSON body's value there equals {@code jsonEquals} (or
   * is present and not false/null when {@code jsonEquals} is null).
   *
   * @param connId null: {@code url} is a whole URL
   * @param timeout of one request; null: the checker's default
   */
  record Http(
      String connId,
      String url,
      String method,
      Map<String, String> headers,
      List<Integer> expectStatus,
      String jsonPointer,
      Object jsonEquals,
      Duration timeout)
      implements Condition {
    @Override
    public String describe() {
      return "http " + (connId == null ? "" : connId + " ") + url;
    }
  }

  /**
   * {@code time} and {@code time_delta}: holds from {@code at} on.
   *
   * @param source what the DAG file said ({@code time 06:00}, {@code time_delta 2h})
   */
  record At(Instant at, String source) implements Condition {
    @Override
    public String describe() {
      return source + " (" + at + ")";
    }
  }

  /**
   * {@code external_task}: a task (or, with {@code taskId} null, the whole run) of another DAG.
   * Exactly one of {@code logicalDate} and {@code runId} is set; {@code runId} is what {@code
   * trigger_dag}'s wait uses. Holds when the state is in {@code allowedStates}; fails the sensor at
   * once when it is in {@code failedStates}.
   */
  record ExternalTask(
      String dagId,
      String taskId,
      Instant logicalDate,
      String runId,
      List<String> allowedStates,
      List<String> failedStates)
      implements Condition {
    @Override
    public String describe() {
      return "external_task "
          + dagId
          + (taskId == null ? "" : "." + taskId)
          + (runId != null ? " run " + runId : " at " + logicalDate);
    }
  }

  /** {@code command}: holds when {@code bash -c command} exits 0 (run in the DAG file's folder). */
  record Command(String command) implements Condition {
    @Override
    public String describe() {
      return "command " + command;
    }
  }
}
