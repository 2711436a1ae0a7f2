package io.updraft.sdk;

/**
 * Where a Java DAG starts:
 *
 * <pre>{@code
 * Dag dag =
 *     Dags.dag("orders_daily")
 *         .schedule("0 2 * * *")
 *         .timezone("Europe/Amsterdam")
 *         .startDate("2024-01-01")
 *         .defaultArgs(a -> a.retries(2).retryDelay("5m"))
 *         .task(Tasks.shell("extract", "./extract.sh {{ ds }}"))
 *         .task(Tasks.shell("load", "./load.sh {{ ds }}").upstream("extract"))
 *         .build();
 * }</pre>
 *
 * Every value means what the same key means in a YAML DAG file (SPEC §1), so the two give equal
 * DAGs.
 */
public final class Dags {
  private Dags() {}

  /** A new DAG with every key at its default: manual schedule, UTC, catchup off, no tasks. */
  public static DagBuilder dag(String dagId) {
    return new DagBuilder(dagId);
  }

  /**
   * A set of default_args to share between DAGs with {@link DagBuilder#defaultArgs(DefaultArgs)}.
   */
  public static DefaultArgs defaultArgs() {
    return new DefaultArgs();
  }
}
