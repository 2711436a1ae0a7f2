package io.updraft.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * A User's day in a real browser, in order: trigger {@code ui_demo} with the form, watch its run
 * finish on the grid without reloading (the live feed turns the {@code data-run}/{@code data-ti}
 * classes), read a task's log, clear a task and watch it run again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunLifecycleBrowserTest extends BrowserTest {
  /** Long enough for a loaded machine; the live feed's own latency is printed, not asserted. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

  String runId;

  @Test
  @Order(1)
  void aUserTriggersTheDagWithTheForm() {
    signIn(USER, PASSWORD);
    Set<String> before = runIds();
    open("/dags/" + DEMO + "/grid");
    driver.findElement(By.linkText("Trigger")).click();
    WebElement form = find("#trigger-form");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitUpTo(Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().endsWith("/trigger"));
    List<String> created = runIds().stream().filter(r -> !before.contains(r)).toList();
    assertThat(created).hasSize(1);
    runId = created.get(0);
    assertThat(runId).startsWith("manual__");
  }

  @Test
  @Order(2)
  void theRunFinishesOnTheGridWithoutAReload() {
    open("/dags/" + DEMO + "/grid");
    WebElement run = runHeader();
    markPage();
    waitUpTo(RUN_TIMEOUT).until(d -> classes(run).contains("success"));
    Instant seen = Instant.now();
    assertThat(pageIsTheSame()).as("the page was not reloaded").isTrue();
    for (String task : List.of("extract", "transform", "load")) {
      assertThat(classes(cell(task))).as(task).contains("state", "success");
    }
    DagRunRow row = run(runId);
    assertThat(row.state()).isEqualTo(DagRunState.SUCCESS);
    System.out.println(
        "Browser tests: the grid showed the run's end "
            + Duration.between(row.endDate(), seen).toMillis()
            + " ms after the database had it");
  }

  @Test
  @Order(3)
  void aTaskInstanceShowsItsLog() {
    open("/dags/" + DEMO + "/grid");
    cell("extract").click();
    waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/tasks/extract"));
    waitUpTo(Duration.ofSeconds(10))
        .until(d -> find("#log-text").getText().contains("extracted 42 rows"));
    assertThat(find("#log-text").getText()).contains("extracting rows");
  }

  @Test
  @Order(4)
  void aClearedTaskRunsAgainLive() {
    open(
        "/dags/"
            + DEMO
            + "/grid?run_id="
            + URLEncoder.encode(runId, StandardCharsets.UTF_8)
            + "&task_id=load");
    find("#ti-actions form.clear button[type=submit]").click();
    // a confirmation lists what will be cleared (the click's page load may still be under way)
    waitUpTo(Duration.ofSeconds(10))
        .until(d -> !d.findElements(By.cssSelector("#clear-confirm")).isEmpty());
    WebElement confirm = find("#clear-confirm");
    assertThat(confirm.getText()).contains("load");
    confirm.findElement(By.cssSelector("form button[type=submit]")).click();
    waitUpTo(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/grid"));
    WebElement load = cell("load");
    markPage();
    waitUpTo(RUN_TIMEOUT).until(d -> tryNumber("load") == 2 && classes(load).contains("success"));
    // the run ends in the scheduler's next pass, after its last task: the feed brings it later
    waitUpTo(RUN_TIMEOUT).until(d -> classes(runHeader()).contains("success"));
    assertThat(pageIsTheSame()).isTrue();
    assertThat(tryNumber("extract")).as("only load was cleared").isEqualTo(1);
  }

  private WebElement runHeader() {
    return find("[data-dag='" + DEMO + "'] [data-run='" + runId + "']");
  }

  private WebElement cell(String task) {
    return find("[data-dag='" + DEMO + "'] [data-ti='" + runId + "|" + task + "|-1']");
  }

  private static List<String> classes(WebElement e) {
    return List.of(e.getDomAttribute("class").split("\\s+"));
  }

  /** Leaves a mark in the page's window: a reload would remove it. */
  private void markPage() {
    ((JavascriptExecutor) driver).executeScript("window.updraftTestMark = 42;");
  }

  private boolean pageIsTheSame() {
    return Long.valueOf(42)
        .equals(((JavascriptExecutor) driver).executeScript("return window.updraftTestMark;"));
  }

  private Set<String> runIds() {
    try (Database db = server.openDatabase()) {
      return new DagRunRepository(db)
          .list(DEMO, 1000).stream().map(DagRunRow::runId).collect(Collectors.toSet());
    }
  }

  private DagRunRow run(String id) {
    try (Database db = server.openDatabase()) {
      return new DagRunRepository(db).get(DEMO, id).orElseThrow();
    }
  }

  private int tryNumber(String task) {
    try (Database db = server.openDatabase()) {
      return new TaskInstanceRepository(db)
          .listForRun(DEMO, runId).stream()
              .filter(t -> t.taskId().equals(task))
              .mapToInt(TaskInstanceRow::tryNumber)
              .findFirst()
              .orElseThrow();
    }
  }
}
