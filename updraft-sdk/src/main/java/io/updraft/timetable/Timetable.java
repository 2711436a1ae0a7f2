package io.updraft.timetable;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides when a DAG's runs happen and what data interval each covers: Airflow's Timetable
 * protocol, pure and clock-free (the current instant is passed in).
 */
public interface Timetable {

  /**
   * The next run to create automatically.
   *
   * @param lastAutomated the data interval of the last automated (scheduled/backfill) run, or null
   *     if there has been none
   * @param restriction start/end dates and catchup
   * @param now the current instant (used only when catchup is off, or by @continuous)
   * @return empty when the schedule will create no more runs
   */
  Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now);

  /** The data interval of a manual run triggered with the given logical date. */
  DataInterval inferManualDataInterval(Instant runAfter);

  /** Whether runs recur at fixed times (cron or delta), as Airflow's {@code periodic}. */
  boolean periodic();

  /** A short human description, e.g. {@code 0 2 * * *} or {@code @once}. */
  String summary();
}
