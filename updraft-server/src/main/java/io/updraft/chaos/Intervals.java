package io.updraft.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sweeps over time intervals, for the tests that judge a pool from the tasks' own times. */
public final class Intervals {
  private Intervals() {}

  /**
   * The most intervals ({@code {start, end}}) open at one instant. At equal instants an end comes
   * before a start: a slot is freed only after its process has exited.
   */
  public static int maxAtOnce(List<long[]> spans) {
    List<long[]> points = new ArrayList<>();
    for (long[] span : spans) {
      points.add(new long[] {span[0], 1});
      points.add(new long[] {span[1], -1});
    }
    points.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    int running = 0;
    int max = 0;
    for (long[] p : points) {
      running += (int) p[1];
      max = Math.max(max, running);
    }
    return max;
  }
}
