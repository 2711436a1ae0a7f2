package io.updraft.worker.operators;

import io.updraft.sensors.Checks;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in operators that run in the worker's JVM, by name; the sensor's checks share the
 * worker's JDBC pools and HTTP client.
 */
public final class InJvmOperators {

  private static final Map<String, InJvmOperator> OPERATORS =
      Map.of(
          "http", new HttpOperator(HttpRequestRunner.shared()),
          "sql", new SqlOperator(JdbcPools.shared()),
          "email", new EmailOperator(MailSender.shared()),
          "trigger_dag", new TriggerDagOperator(),
          "sensor", new SensorOperator(new Checks()));

  private InJvmOperators() {}

  /** The operator called {@code name}, if it runs in the JVM. */
  public static Optional<InJvmOperator> get(String name) {
    return Optional.ofNullable(OPERATORS.get(name));
  }
}
