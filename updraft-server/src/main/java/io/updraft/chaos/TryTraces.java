package io.updraft.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tasks' own processes wrote: each try appends {@code start <run> <task> <try> <pid>
 * <epoch µs>} when it begins and {@code end …} when it ends or is terminated (a {@code TERM} trap),
 * one {@code O_APPEND} line each, to one file shared by every process on the machine. Evidence from
 * outside Updraft's tables: the chaos tests judge the engine by it.
 */
public record TryTraces(List<Span> spans) {
  /** One try's process: from its start line to its end line ({@code end} -1: none written). */
  public record Span(String runId, String taskId, int tryNumber, long pid, long start, long end) {
    public String taskInstance() {
      return runId + " " + taskId;
    }

    public boolean ended() {
      return end >= 0;
    }

    @Override
    public String toString() {
      return taskInstance() + " try " + tryNumber + " pid " + pid + " [" + start + ", " + end + "]";
    }
  }

  /**
   * The shell lines of a {@code shell} task that traces its try into {@code file} and sleeps {@code
   * nap} (a template) in between: a SIGTERM ends it at once, with its end line. Epoch microseconds
   * from bash's {@code EPOCHREALTIME}: no process started to read the clock.
   */
  public static String command(Path file, String nap) {
    String key = "{{ run_id }} {{ ti.task_id }} {{ ti.try_number }} $$";
    return String.join(
        "\n",
        "t=" + file,
        "trap 'echo \"end " + key + " ${EPOCHREALTIME/./}\" >> $t; exit 143' TERM",
        "echo \"start " + key + " ${EPOCHREALTIME/./}\" >> $t",
        "sleep " + nap + " & wait $!",
        "echo \"end " + key + " ${EPOCHREALTIME/./}\" >> $t");
  }

  public static TryTraces read(Path file) {
    Map<String, long[]> byProcess = new LinkedHashMap<>();
    Map<String, String[]> fields = new LinkedHashMap<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          String[] f = line.trim().split(" ");
          if (f.length != 6) {
            throw new IllegalStateException("a torn trace line: '" + line + "'");
          }
          String key = f[1] + " " + f[2] + " " + f[3] + " " + f[4];
          long[] span = byProcess.computeIfAbsent(key, k -> new long[] {-1, -1});
          span[f[0].equals("start") ? 0 : 1] = Long.parseLong(f[5]);
          fields.put(key, f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Span> spans = new ArrayList<>();
    byProcess.forEach(
        (key, span) -> {
          String[] f = fields.get(key);
          if (span[0] >= 0) {
            spans.add(
                new Span(
                    f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]), span[0], span[1]));
          }
        });
    return new TryTraces(spans);
  }

  /** Pairs of processes of one task instance that ran at one instant (an open span runs on). */
  public List<String> overlaps() {
    Map<String, List<Span>> byTi = new LinkedHashMap<>();
    spans.forEach(s -> byTi.computeIfAbsent(s.taskInstance(), k -> new ArrayList<>()).add(s));
    List<String> found = new ArrayList<>();
    for (List<Span> tries : byTi.values()) {
      tries.sort(Comparator.comparingLong(Span::start));
      for (int i = 1; i < tries.size(); i++) {
        Span before = tries.get(i - 1);
        if (!before.ended() || before.end() > tries.get(i).start()) {
          found.add(before + " overlaps " + tries.get(i));
        }
      }
    }
    return found;
  }

  /**
   * The most processes of tasks whose id contains {@code pooled} that ran at one instant; an open
   * span runs on to the end. At equal instants an end comes before a start: a slot is freed only
   * after the process has exited.
   */
  public int maxConcurrent(String pooled) {
    return Intervals.maxAtOnce(
        spans.stream()
            .filter(s -> s.taskId().contains(pooled))
            .map(s -> new long[] {s.start(), s.ended() ? s.end() : Long.MAX_VALUE})
            .toList());
  }

  /** Spans without an end line whose process is still alive: a try left running. */
  public List<Span> stillRunning() {
    return spans.stream()
        .filter(s -> !s.ended())
        .filter(s -> ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false))
        .toList();
  }

  /** Spans without an end line (the process was killed with SIGKILL, or runs on). */
  public List<Span> unended() {
    return spans.stream().filter(s -> !s.ended()).toList();
  }
}
