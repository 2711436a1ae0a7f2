package io.updraft.dag;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a DAG's {@code schedule} (and {@code timetable}) keys say, parsed but not yet evaluated. The
 * timetables in {@code io.updraft.timetable} turn a schedule into runs.
 */
public sealed interface Schedule {

  /** Airflow's cron presets and their cron equivalents. */
  Map<String, String> CRON_PRESETS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@quarterly", "0 0 1 */3 *",
          "@yearly", "0 0 1 1 *");

  /** The schedule as the user wrote it ({@code null} for manual-only DAGs). */
  String text();

  /** {@code schedule: null}: runs only when triggered. */
  record Manual() implements Schedule {
    @Override
    public String text() {
      return null;
    }
  }

  /** {@code @once}: one run at the start date. */
  record Once() implements Schedule {
    @Override
    public String text() {
      return "@once";
    }
  }

  /** {@code @continuous}: a new run as soon as the previous one ends (max_active_runs 1). */
  record Continuous() implements Schedule {
    @Override
    public String text() {
      return "@continuous";
    }
  }

  /**
   * A cron expression (5 fields) or a cron preset. {@code expression} is always the 5-field form;
   * {@code text} what the user wrote (e.g. {@code @daily}).
   *
   * @param trigger false: data-interval runs (the run for [start, end) is created at end); true
   *     ({@code timetable: trigger}): fires at its time, logical date = that time.
   */
  record Cron(String text, String expression, boolean trigger) implements Schedule {
    public Cron {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(expression, "expression");
    }

    public static Cron of(String textOrPreset, boolean trigger) {
      return new Cron(textOrPreset, CRON_PRESETS.getOrDefault(textOrPreset, textOrPreset), trigger);
    }
  }

  /** A fixed duration between data-interval boundaries (Airflow's DeltaDataIntervalTimetable). */
  record Delta(String text, Duration interval) implements Schedule {
    public Delta {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("a schedule interval must be positive: " + text);
      }
    }
  }
}
