package io.updraft.timetable;

import io.updraft.dag.Dag;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runs a DAG's schedule would create, for {@code updraft dags next-runs}: pure, no clock.
 *
 * <p>Runs are those of catchup on, from the start date, honouring the end date. {@code @once} gives
 * its one run; manual and {@code @continuous} DAGs give none (a continuous run depends on when the
 * previous one finishes, so it cannot be listed ahead).
 */
public final class NextRuns {
  /** A guard for timetables we cannot fast-forward: never loop longer than this. */
  private static final int MAX_SKIPPED = 1_000_000;

  private NextRuns() {}

  /**
   * @param count how many runs to list; 0 gives none
   * @param since null: from the start date; else only runs whose data interval starts at or after
   *     it (found without walking every earlier interval)
   */
  public static List<DagRunInfo> of(Dag dag, int count, Instant since) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, not " + count);
    }
    Timetable timetable = Timetables.of(dag);
    if (timetable instanceof ContinuousTimetable || timetable instanceof NullTimetable) {
      return List.of();
    }
    TimeRestriction restriction = TimeRestriction.of(dag).withCatchup(true);
    if (since != null && restriction.earliest() != null) {
      restriction = fastForward(timetable, restriction, since);
    }
    List<DagRunInfo> runs = new ArrayList<>();
    DataInterval last = null;
    int skipped = 0;
    // 'now' is unused with catchup on; pass the start date to keep this function clock-free.
    Instant now = restriction.earliest() == null ? Instant.EPOCH : restriction.earliest();
    while (runs.size() < count) {
      Optional<DagRunInfo> next = timetable.nextDagRunInfo(last, restriction, now);
      if (next.isEmpty()) {
        break;
      }
      DagRunInfo info = next.get();
      if (last != null && !info.dataInterval().start().isAfter(last.start())) {
        break; // a timetable that does not advance would loop forever
      }
      last = info.dataInterval();
      if (since == null || !info.dataInterval().start().isBefore(since)) {
        runs.add(info);
      } else if (++skipped > MAX_SKIPPED) {
        break;
      }
    }
    return List.copyOf(runs);
  }

  /**
   * Moves the restriction's earliest to the first run the timetable would create at or after {@code
   * since}, for the timetables whose runs we know how to locate directly.
   */
  private static TimeRestriction fastForward(
      Timetable timetable, TimeRestriction restriction, Instant since) {
    Instant earliest = restriction.earliest();
    if (!since.isAfter(earliest)) {
      return restriction;
    }
    Instant moved =
        switch (timetable) {
          // Cron boundaries are absolute: the first one at or after 'since' is where to start.
          case CronDataIntervalTimetable c -> since;
          case CronTriggerTimetable t -> since.plus(t.interval());
          // Delta intervals count from the start date: skip whole intervals.
          case DeltaDataIntervalTimetable d ->
              earliest.plus(wholeIntervalsUpTo(earliest, since, d));
          default -> earliest;
        };
    return new TimeRestriction(moved, restriction.latest(), restriction.catchup());
  }

  /**
   * The smallest multiple of the interval that reaches from {@code from} to at least {@code to}.
   */
  private static Duration wholeIntervalsUpTo(
      Instant from, Instant to, DeltaDataIntervalTimetable delta) {
    BigInteger gap = nanos(Duration.between(from, to));
    BigInteger step = nanos(delta.interval());
    BigInteger[] qr = gap.divideAndRemainder(step);
    BigInteger steps = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    BigInteger total = steps.multiply(step);
    BigInteger[] secondsAndNanos = total.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
  }

  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano()));
  }
}
