package io.updraft.timetable;

import io.updraft.dag.Dag;

/** Builds the timetable a DAG's schedule describes. */
public final class Timetables {
  private Timetables() {}

  /** The timetable of a DAG, evaluated in the DAG's time zone. */
  public static Timetable of(Dag dag) {
    // TODO(foundation): cron data-interval / trigger, delta, once, continuous, null.
    throw new UnsupportedOperationException("timetables are not built yet");
  }
}
