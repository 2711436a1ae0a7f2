package io.updraft.chaos;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the runs of a chaos run that did not succeed failed: for each of their task instances that
 * did not succeed, every try as the tables record it, the processes the traces show for it (how
 * long each ran, whether it wrote its end line), and the last lines of each try's log. Printed by
 * the chaos test and the chaos bench when a run failed, to tell a task that honestly used up its
 * retries from a try spent without a process.
 */
public final class FailedRuns {
  private static final int LOG_LINES = 4;

  private FailedRuns() {}

  /** One block of lines per task instance of a run that did not succeed; empty when all did. */
  public static List<String> explain(Database db, Path traces, Path logsRoot) {
    TryTraces t = TryTraces.read(traces);
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    TaskInstanceTries tries = new TaskInstanceTries(db);
    List<String> out = new ArrayList<>();
    for (DagRunRow r : new DagRunRepository(db).list(ChaosDag.DAG_ID, 1_000_000)) {
      if (r.state() == DagRunState.SUCCESS) {
        continue;
      }
      for (TaskInstanceRow ti : repo.listForRun(ChaosDag.DAG_ID, r.runId())) {
        if (ti.state() == TaskInstanceState.SUCCESS) {
          continue;
        }
        StringBuilder b = new StringBuilder();
        b.append(r.runId())
            .append(' ')
            .append(ti.taskId())
            .append(": ")
            .append(ti.state().id())
            .append(" at try ")
            .append(ti.tryNumber());
        for (TaskInstanceTries.Try a : tries.all(ti)) {
          b.append("\n  try ")
              .append(a.tryNumber())
              .append(' ')
              .append(a.state() == null ? "-" : a.state().id())
              .append(' ')
              .append(a.startDate())
              .append(" .. ")
              .append(a.endDate())
              .append(" on ")
              .append(a.hostname());
          t.spans().stream()
              .filter(
                  s ->
                      s.runId().equals(ti.runId())
                          && s.taskId().equals(ti.taskId())
                          && s.tryNumber() == a.tryNumber())
              .forEach(
                  s ->
                      b.append("\n    process ")
                          .append(s.pid())
                          .append(
                              s.ended()
                                  ? " ran " + (s.end() - s.start()) / 1000 + " ms"
                                  : " wrote no end line"));
          for (String line : tail(logsRoot, ti, a.tryNumber())) {
            b.append("\n    log: ").append(line);
          }
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  private static List<String> tail(Path logsRoot, TaskInstanceRow ti, int tryNumber) {
    Path log = TryLog.path(logsRoot, ti.dagId(), ti.runId(), ti.taskId(), tryNumber);
    if (!Files.isRegularFile(log)) {
      return List.of("(no log file)");
    }
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
