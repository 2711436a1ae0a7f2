package io.updraft.ui;

import io.updraft.api.Role;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.WorkerJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /workers}: the remote workers (decisions/0169) that heartbeat last — live ones first, then
 * those stopped or taken for dead — with their queues, concurrency and the tries running on each.
 */
final class WorkersPage {
  /** How many workers the page shows at the most. */
  static final int SHOWN = 200;

  private WorkersPage() {}

  /** One worker as the page shows it; {@code running} counts the tries on it now. */
  record Row(
      long id,
      String hostname,
      int pid,
      String queues,
      int concurrency,
      String state,
      String latestHeartbeat,
      String ago,
      int running) {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/workers",
            Role.VIEWER,
            (ctx, session) -> View.of("workers", Map.of("workers", rows(ui)))));
  }

  private static List<Row> rows(Ui ui) {
    Map<TaskInstanceRepository.Process, Integer> running =
        new TaskInstanceRepository(ui.db()).runningPerProcess();
    Instant now = ui.clock().instant();
    return new WorkerJobs(ui.db())
        .recent(SHOWN).stream()
            .map(
                w ->
                    new Row(
                        w.id(),
                        w.hostname(),
                        w.pid(),
                        String.join(", ", w.queues()),
                        w.concurrency(),
                        w.state(),
                        Times.show(w.latestHeartbeat()),
                        ago(w.latestHeartbeat(), now),
                        "running".equals(w.state())
                            ? running.getOrDefault(
                                new TaskInstanceRepository.Process(w.hostname(), w.pid()), 0)
                            : 0))
            .toList();
  }

  /** {@code 4 s ago}, {@code 3 min ago}, {@code 2 h ago}, {@code 5 d ago}; "" for none. */
  static String ago(Instant at, Instant now) {
    if (at == null) {
      return "";
    }
    long s = Math.max(0, Duration.between(at, now).toSeconds());
    if (s < 120) {
      return s + " s ago";
    }
    if (s < 7200) {
      return s / 60 + " min ago";
    }
    return s < 172800 ? s / 3600 + " h ago" : s / 86400 + " d ago";
  }
}
