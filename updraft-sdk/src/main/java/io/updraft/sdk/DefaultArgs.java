package io.updraft.sdk;

/**
 * A DAG's {@code default_args}: common task keys applied to every task of the DAG that does not set
 * the key itself. Operator keys ({@code command}, {@code url}...) cannot be defaulted; as in the
 * YAML format, only the keys of SPEC §1.2 can.
 *
 * <p>A {@code start_date} here also starts the DAG when the DAG sets none (Airflow's rule).
 */
public final class DefaultArgs extends TaskArgs<DefaultArgs> {
  DefaultArgs() {}

  @Override
  String where() {
    return "default_args";
  }

  /** A copy, so one set of defaults can be shared by several DAGs and then changed for one. */
  DefaultArgs copy() {
    DefaultArgs c = new DefaultArgs();
    values.forEach((k, v) -> c.values.put(k, TaskBuilder.copyValue(v)));
    return c;
  }
}
