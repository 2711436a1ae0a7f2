package io.updraft.e2e.cluster;

import io.updraft.chaos.Intervals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tasks' own processes say they did: each appends {@code start} and {@code end} lines
 * ({@code <event> <run_id> <task_id> <try> <epoch nanos>}) to one shared file. This is evidence
 * from outside the database, so a task run twice shows even if the database were to hide it.
 */
record TaskEvents(List<Event> events) {
  record Event(boolean start, String runId, String taskId, int tryNumber, long nanos) {
    String key() {
      return runId + " " + taskId + " " + tryNumber;
    }
  }

  /** The shell to append one event for the running try; {@code kind} is start or end. */
  static String shell(Path file, String kind) {
    return "echo \""
        + kind
        + " {{ run_id }} {{ ti.task_id }} {{ ti.try_number }} $(date +%s%N)\""
        + " >> "
        + file;
  }

  static TaskEvents read(Path file) {
    List<Event> events = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          String[] f = line.trim().split(" ");
          events.add(
              new Event(
                  f[0].equals("start"), f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TaskEvents(events);
  }

  /** How many times each try ({@code run task try}) started. */
  Map<String, Integer> startsPerTry() {
    Map<String, Integer> starts = new HashMap<>();
    events.stream().filter(Event::start).forEach(e -> starts.merge(e.key(), 1, Integer::sum));
    return starts;
  }

  /**
   * The most tries, among those whose task id {@code taskIdContains}, that were between their start
   * and end at one instant. A try that started but never ended counts as running until {@code
   * unfinishedEnd} (epoch nanos).
   */
  int maxConcurrent(String taskIdContains, long unfinishedEnd) {
    Map<String, long[]> spans = new HashMap<>();
    for (Event e : events) {
      if (!e.taskId().contains(taskIdContains)) {
        continue;
      }
      long[] span = spans.computeIfAbsent(e.key(), k -> new long[] {Long.MIN_VALUE, unfinishedEnd});
      span[e.start() ? 0 : 1] = e.nanos();
    }
    return Intervals.maxAtOnce(
        spans.values().stream().filter(span -> span[0] != Long.MIN_VALUE).toList());
  }
}
