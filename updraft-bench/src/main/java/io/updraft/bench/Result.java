package io.updraft.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The measured runs of one workload, summarised: median, min and max of each figure. */
public record Result(Workload workload, DbKind db, List<Sample> samples) {
  public Result {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one sample");
    }
    samples = List.copyOf(samples);
  }

  public double medianSeconds() {
    return median(samples.stream().map(Sample::seconds).toList());
  }

  public double minSeconds() {
    return Collections.min(samples.stream().map(Sample::seconds).toList());
  }

  public double maxSeconds() {
    return Collections.max(samples.stream().map(Sample::seconds).toList());
  }

  /** Task instances per second at the median time, or null where it does not apply. */
  public Double tisPerSecond() {
    double median = medianSeconds();
    return workload.reportsThroughput() && median > 0
        ? workload.runs() * (double) workload.tasks() / median
        : null;
  }

  /** The median of each extra figure over the samples, by name, in name order. */
  public Map<String, Double> extras() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : new TreeSet<>(samples.get(0).extras().keySet())) {
      out.put(name, median(samples.stream().map(s -> s.extras().get(name)).toList()));
    }
    return out;
  }

  /**
   * The median of an odd count is the middle value; of an even count the mean of the two middle
   * ones.
   */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
