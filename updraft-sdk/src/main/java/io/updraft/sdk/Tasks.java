package io.updraft.sdk;

import io.updraft.dag.CustomOperators;
import java.util.List;
import java.util.Map;

/**
 * Starts a task: {@link #task} for any operator by name, and one factory per built-in operator of
 * SPEC §1.3 taking that operator's required keys. Optional operator keys are set with {@link
 * TaskBuilder#arg}, common task keys with the builder's setters:
 *
 * <pre>{@code
 * Tasks.shell("load", "./load.sh {{ ds }}").arg("cwd", "/opt/etl").upstream("extract").retries(3)
 * }</pre>
 */
public final class Tasks {
  public static final String SHELL = "shell";
  public static final String EMPTY = "empty";
  public static final String HTTP = "http";
  public static final String SQL = "sql";
  public static final String BRANCH = "branch";
  public static final String SHORT_CIRCUIT = "short_circuit";
  public static final String TRIGGER_DAG = "trigger_dag";
  public static final String EMAIL = "email";
  public static final String SENSOR = "sensor";

  private Tasks() {}

  /** A task of any operator, built-in or custom; its keys are set with {@link TaskBuilder#arg}. */
  public static TaskBuilder task(String taskId, String operator) {
    return new TaskBuilder(taskId, operator);
  }

  /**
   * A task run by a custom {@link Operator} defined in the same Java file or jar as the DAG; its
   * args ({@link TaskBuilder#arg}) are free-form and arrive rendered in {@link TaskContext#args()}.
   * The worker runs each try in a JVM of its own, with the operator's code in its own class loader.
   */
  public static TaskBuilder custom(String taskId, Class<? extends Operator> operator) {
    if (!CustomOperators.isCustom(operator.getName())) {
      throw new IllegalArgumentException(
          "operator class "
              + operator.getName()
              + " is in no package — put it in a package, or nest it in another class");
    }
    return new TaskBuilder(taskId, operator.getName());
  }

  /**
   * Runs {@code bash -c command}; exit 0 succeeds, {@code skip_on_exit_code} (default 99) skips.
   * Optional args: {@code cwd}, {@code skip_on_exit_code}.
   */
  public static TaskBuilder shell(String taskId, String command) {
    return task(taskId, SHELL).arg("command", command);
  }

  /** Succeeds at once without taking a worker slot. */
  public static TaskBuilder empty(String taskId) {
    return task(taskId, EMPTY);
  }

  /** An HTTP request with the operator's default method. Optional args: headers, body... */
  public static TaskBuilder http(String taskId, String url) {
    return task(taskId, HTTP).arg("url", url);
  }

  /** An HTTP request. Optional args: {@code headers}, {@code body}, {@code expect_status}. */
  public static TaskBuilder http(String taskId, String method, String url) {
    return task(taskId, HTTP).arg("method", method).arg("url", url);
  }

  /** Runs SQL on the named connection. */
  public static TaskBuilder sql(String taskId, String conn, String sql) {
    return task(taskId, SQL).arg("conn", conn).arg("sql", sql);
  }

  /** Runs a command whose last stdout line names the downstream task_ids to follow. */
  public static TaskBuilder branch(String taskId, String command) {
    return task(taskId, BRANCH).arg("command", command);
  }

  /** Runs a command: exit 0 continues, anything else skips all downstream tasks. */
  public static TaskBuilder shortCircuit(String taskId, String command) {
    return task(taskId, SHORT_CIRCUIT).arg("command", command);
  }

  /**
   * Triggers a run of another DAG. Optional args: {@code conf} (a map), {@code logical_date},
   * {@code trigger_run_id}, {@code wait_for_completion}, {@code allowed_states}, {@code
   * failed_states}, {@code poke_interval}.
   */
  public static TaskBuilder triggerDag(String taskId, String dagId) {
    return task(taskId, TRIGGER_DAG).arg("trigger_dag_id", dagId);
  }

  /**
   * Sends a mail through the SMTP connection {@code smtp_default} (or {@code conn}). Optional args:
   * {@code cc}, {@code bcc}, {@code from}, {@code conn}.
   */
  public static TaskBuilder email(String taskId, String to, String subject, String htmlContent) {
    return task(taskId, EMAIL)
        .arg("to", to)
        .arg("subject", subject)
        .arg("html_content", htmlContent);
  }

  /**
   * Waits for one condition (SPEC §1.9), e.g. {@code Map.of("file", "/data/ready.csv")}. Kinds and
   * their keys: {@code file} (a path or glob, relative to the DAG file's folder); {@code sql} with
   * {@code conn} (holds when the first cell of the first row is truthy); {@code http} with {@code
   * conn}, {@code method}, {@code headers}, {@code expect_status}, {@code json} ({@code
   * Map.of("pointer", "/status", "equals", "ready")}) and {@code timeout}; {@code time} ({@code
   * "06:00"}, in the DAG's zone on the day the data interval ends); {@code time_delta}; {@code
   * external_task} (a map: {@code dag_id}, {@code task_id}, {@code logical_date} or {@code
   * execution_delta}, {@code allowed_states}, {@code failed_states}); {@code command}. An unknown
   * key is an error when the DAG is built.
   *
   * <p>Optional args: {@code mode} ({@code defer}, the default, {@code reschedule} or {@code poke};
   * written out, not a template), {@code poke_interval}, {@code exponential_backoff}, {@code
   * timeout} (not shorter than {@code poke_interval}), {@code soft_fail}.
   */
  public static TaskBuilder sensor(String taskId, Map<String, ?> condition) {
    return task(taskId, SENSOR).arg("wait", condition);
  }

  /** Waits on several conditions (a {@code wait} list). */
  public static TaskBuilder sensor(String taskId, List<? extends Map<String, ?>> conditions) {
    return task(taskId, SENSOR).arg("wait", conditions);
  }
}
