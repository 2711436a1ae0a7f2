package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** standalone in-process: a DAG in the folder is synced, scheduled and run with real processes. */
class StandaloneTest {
  @TempDir Path home;

  @Test
  void runsTheNewestIntervalOfAnUnpausedDag() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("h.yaml"),
        """
        dag_id: h
        schedule: "@hourly"
        start_date: 2024-01-01
        tasks:
          - {task_id: a, operator: shell, command: "echo {{ ds }}"}
          - {task_id: b, operator: shell, command: "true", upstream: [a]}
        """);
    Settings settings =
        Settings.resolve(
            home, null, null, Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"));
    StringWriter banner = new StringWriter();
    List<DagRunRow> runs;
    try (SchedulerService standalone =
        new SchedulerService(
            settings, Clock.systemUTC(), new SchedulerService.Mode("standalone", true, true))) {
      standalone.start(new PrintWriter(banner, true));
      try (Database db = settings.openDatabase()) {
        DagRunRepository repo = new DagRunRepository(db);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        runs = repo.list("h", 10);
        while ((runs.isEmpty() || !runs.get(0).state().isFinished())
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
          runs = repo.list("h", 10);
        }
      }
    }
    assertThat(banner.toString()).contains("Updraft standalone is running").contains("1 DAGs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).runId()).startsWith("scheduled__");
    assertThat(runs.get(0).state()).isEqualTo(DagRunState.SUCCESS);
  }
}
