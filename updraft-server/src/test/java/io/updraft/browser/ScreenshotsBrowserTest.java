package io.updraft.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * The screenshots of docs/ui.md, at 1280×800: only when {@code UPDRAFT_SCREENSHOTS} names the
 * folder to write them to ({@code bin/updraft-screenshots} does), otherwise skipped.
 */
@EnabledIfEnvironmentVariable(named = "UPDRAFT_SCREENSHOTS", matches = ".+")
class ScreenshotsBrowserTest extends BrowserTest {
  static final long MAX_BYTES = 150 * 1024;

  @Test
  void theMainPages() throws Exception {
    Path out = Files.createDirectories(Path.of(System.getenv("UPDRAFT_SCREENSHOTS")));
    String runId = threeFinishedRuns();
    signInAsAdmin();
    String run = "/dags/" + DEMO + "/runs/" + runId;
    shoot("/dags", out.resolve("dag-list.png"));
    shoot("/dags/" + DEMO + "/grid", out.resolve("grid.png"));
    shoot(
        "/dags/" + DEMO + "/graph?run_id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8),
        out.resolve("graph.png"));
    shoot(run, out.resolve("run-details.png"));
    open(run + "/tasks/extract");
    // the log, scrolled to
    ((JavascriptExecutor) driver)
        .executeScript("document.getElementById('log-text').scrollIntoView(false);");
    shoot(null, out.resolve("task-instance-log.png"));
  }

  /** Opens the path (null: stays on the page) and shoots what the window shows. */
  private void shoot(String path, Path file) throws Exception {
    if (path != null) {
      open(path);
    }
    Thread.sleep(500); // the live feed's first update, fonts
    Screenshots.write(((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES), file);
    System.out.println("Screenshot: " + file + " (" + Files.size(file) / 1024 + " KB)");
    assertThat(Files.size(file)).as(file.toString()).isLessThan(MAX_BYTES);
  }

  /** Three runs of ui_demo on three days, finished; returns the newest's id. */
  private String threeFinishedRuns() throws InterruptedException {
    List<String> ids;
    try (Database db = server.openDatabase()) {
      Instant day = Instant.parse("2026-12-01T00:00:00Z");
      ids =
          List.of(0, 1, 2).stream()
              .map(
                  i ->
                      DagActions.trigger(
                              db,
                              DEMO,
                              day.plus(Duration.ofDays(i)),
                              null,
                              null,
                              "admin",
                              Instant.now())
                          .runId())
              .toList();
      DagRunRepository runs = new DagRunRepository(db);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline
          && !ids.stream()
              .allMatch(
                  id -> runs.get(DEMO, id).map(DagRunRow::state).orElseThrow().isFinished())) {
        Thread.sleep(100);
      }
    }
    return ids.get(2);
  }
}
