package io.updraft.timetable;

import java.time.Instant;

/**
 * Bounds on the runs a timetable may produce, as Airflow's TimeRestriction.
 *
 * @param earliest the DAG's start_date (null: none)
 * @param latest the DAG's end_date, inclusive (null: none)
 * @param catchup whether missed intervals are all created (true) or only the newest (false)
 */
public record TimeRestriction(Instant earliest, Instant latest, boolean catchup) {}
