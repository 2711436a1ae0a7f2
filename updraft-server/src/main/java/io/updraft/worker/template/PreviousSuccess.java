package io.updraft.worker.template;

import java.time.Instant;

/**
 * The DAG's latest successful run before this one (by logical date, of any run type, as Airflow's
 * {@code get_previous_dagrun(state=SUCCESS)}), for the {@code prev_*_success} template values.
 * Every part is null when there is none, or when the try runs without a database ({@code tasks
 * test}).
 *
 * @param dataIntervalStart {@code prev_data_interval_start_success}
 * @param dataIntervalEnd {@code prev_data_interval_end_success}
 * @param startDate {@code prev_start_date_success}: when that run started
 */
public record PreviousSuccess(
    Instant dataIntervalStart, Instant dataIntervalEnd, Instant startDate) {

  /** No earlier successful run. */
  public static PreviousSuccess none() {
    return new PreviousSuccess(null, null, null);
  }
}
