package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.scheduler.DagActions;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAG list, the grid, the trigger form and the run and task instance actions, over real HTTP to
 * a real server on H2: each page renders, each action changes the database through {@link
 * DagActions} and is audited with the signed-in user, a Viewer sees no action and is refused each,
 * a POST without the CSRF token is refused, bad input is a 4xx with the reason on the page.
 */
class WebUiPagesTest extends WebUiTestBase {
  @TempDir static Path dir;
  private static final AtomicInteger DAYS = new AtomicInteger(10);

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  /** A fresh run of orders (its own logical date), its task instances created. */
  DagRunRow newRun(String runId) {
    Instant date =
        Instant.parse("2024-02-01T00:00:00Z").plus(Duration.ofDays(DAYS.incrementAndGet()));
    return DagActions.trigger(db, "orders", date, runId, null, "t", NOW);
  }

  void setState(String runId, String taskId, TaskInstanceState to) {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow ti =
        tis.listForRun("orders", runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
    tis.setStates(List.of(new StateChange(ti.id(), ti.state(), to)), NOW.plusSeconds(1));
  }

  TaskInstanceState state(String runId, String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun("orders", runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow()
            .state();
  }

  LogRow lastAudit(String dagId, String event) {
    return new LogRepository(db)
        .recentForDag(dagId, 50).stream()
            .filter(l -> l.event().equals(event))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no audit event " + event));
  }

  /**
   * The files the layout loads come from the class path without signing in (the sign-in page needs
   * them), with their types and caching; nothing outside the two folders is served.
   */
  @Test
  void theLayoutsFilesAreServedFromTheClassPath() throws Exception {
    HttpClient anonymous = HttpClient.newHttpClient();
    String layout = get(Role.VIEWER, "/dags").body();
    for (String path :
        List.of(
            "/static/updraft.css",
            "/static/updraft.js",
            "/webjars/htmx.org/2.0.8/dist/htmx.min.js",
            "/webjars/htmx-ext-sse/2.2.2/sse.js")) {
      assertThat(layout).contains("\"" + path + "\"");
      HttpResponse<String> r =
          anonymous.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isNotBlank();
      assertThat(r.headers().firstValue("Content-Type").orElseThrow())
          .as(path)
          .startsWith(path.endsWith(".css") ? "text/css" : "text/javascript");
      assertThat(r.headers().firstValue("Cache-Control").orElseThrow())
          .as(path)
          .startsWith("max-age=");
    }
    for (String path :
        List.of(
            "/static/nothing.css",
            "/static/..%2Fui%2Fstatic%2Fupdraft.css",
            "/webjars/../../io/updraft/ui/static/updraft.css",
            "/static/.hidden.js",
            "/webjars/htmx.org/2.0.8/package.json")) {
      HttpResponse<String> r =
          anonymous.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Jetty refuses a path with '..' (400) before any handler sees it
      assertThat(r.statusCode()).as(path).isIn(400, 404);
    }
  }

  @Test
  void theDagListShowsTagsRecentRunsAndTheFilters() throws Exception {
    HttpResponse<String> r = get(Role.VIEWER, "/dags");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("id=\"dags\"")
        .contains(">orders</a>")
        .contains(">cleanup</a>")
        .contains("data-dag=\"orders\"")
        .contains(">sales</a>")
        .contains("data-run=\"" + RUN + "\"");
    assertThat(get(Role.VIEWER, "/dags?q=ORD").body())
        .contains(">orders</a>")
        .doesNotContain(">cleanup</a>");
    assertThat(get(Role.VIEWER, "/dags?tags=ops").body())
        .contains(">cleanup</a>")
        .doesNotContain(">orders</a>");
    assertThat(get(Role.VIEWER, "/dags?paused=false").body())
        .contains(">orders</a>")
        .doesNotContain(">cleanup</a>");
    HttpResponse<String> bad = get(Role.VIEWER, "/dags?paused=maybe");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("paused must be true, false or empty");
    assertThat(get(Role.VIEWER, "/dags?page=0").statusCode()).isEqualTo(400);
  }

  @Test
  void theDagListPagesByAHundredAndReadsTagsInBulk() throws Exception {
    for (int i = 0; i < 120; i++) {
      Dag d =
          Dags.dag(String.format("bulk_%03d", i))
              .tags("bulk")
              .task(Tasks.shell("t", "true"))
              .build();
      store(d);
    }
    HttpResponse<String> first = get(Role.VIEWER, "/dags?tags=bulk");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body())
        .contains("120 DAGs")
        .contains("page 1 of 2")
        .contains(">bulk_099</a>")
        .doesNotContain(">bulk_100</a>")
        .contains("rel=\"next\"");
    HttpResponse<String> second = get(Role.VIEWER, "/dags?tags=bulk&page=2");
    assertThat(second.body()).contains(">bulk_119</a>").doesNotContain(">bulk_000</a>");
  }

  @Test
  void importErrorsShowABannerLinkingTheirPage() throws Exception {
    assertThat(get(Role.VIEWER, "/dags").body()).doesNotContain("import-errors-banner");
    new ImportErrorRepository(db)
        .replaceForFile(
            "broken.yaml", List.of(new ImportErrorRepository.Problem(1, 1, "bad", null)), NOW);
    try {
      assertThat(get(Role.VIEWER, "/dags").body())
          .contains("import-errors-banner")
          .contains("href=\"/import-errors\"");
    } finally {
      new ImportErrorRepository(db).clearForFile("broken.yaml");
    }
  }

  @Test
  void pauseAndUnpauseAreAuditedWithTheUser() throws Exception {
    assertThat(get(Role.USER, "/dags").body()).contains(">Unpause</button>");
    HttpResponse<String> r =
        post(Role.USER, "/dags/cleanup/pause", "paused", "false", "next", "/dags?q=c");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/dags?q=c");
    assertThat(new DagRepository(db).get("cleanup").orElseThrow().paused()).isFalse();
    assertThat(lastAudit("cleanup", "unpause").owner()).isEqualTo("user");
    // htmx: the new button comes back, nothing else.
    HttpResponse<String> hx =
        send(
            "POST",
            "/dags/cleanup/pause",
            browsers.get(Role.USER).cookie(),
            form("paused", "true", "next", "/dags"),
            Map.of("HX-Request", "true", "X-CSRF-Token", browsers.get(Role.USER).csrf()));
    assertThat(hx.statusCode()).isEqualTo(200);
    assertThat(hx.body()).contains(">Unpause</button>").doesNotContain("<html");
    assertThat(new DagRepository(db).get("cleanup").orElseThrow().paused()).isTrue();
    assertThat(lastAudit("cleanup", "pause").owner()).isEqualTo("user");
    assertThat(post(Role.USER, "/dags/cleanup/pause", "paused", "soon").statusCode())
        .isEqualTo(400);
    assertThat(post(Role.USER, "/dags/nope/pause", "paused", "true").statusCode()).isEqualTo(404);
  }

  @Test
  void theGridShowsRunsByTasksInTheDagsOrder() throws Exception {
    HttpResponse<String> r = get(Role.VIEWER, "/dags/orders/grid");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body)
        .contains("id=\"grid\"")
        .contains("data-dag=\"orders\"")
        .contains("data-run=\"" + RUN + "\"")
        .contains("data-ti=\"" + RUN + "|extract|-1\"")
        .contains("href=\"/dags/orders/runs/" + RUN + "/tasks/load\"")
        .contains("href=\"/dags/orders/runs/" + RUN + "\"");
    assertThat(body.indexOf(">extract</th>")).isLessThan(body.indexOf(">load</th>"));
    assertThat(body.indexOf(">load</th>")).isLessThan(body.indexOf(">report</th>"));
    assertThat(get(Role.VIEWER, "/dags/orders/grid?runs=0").statusCode()).isEqualTo(400);
    assertThat(get(Role.VIEWER, "/dags/orders/grid?runs=101").statusCode()).isEqualTo(400);
    assertThat(get(Role.VIEWER, "/dags/nope/grid").statusCode()).isEqualTo(404);
  }

  @Test
  void theGridServesAHundredRunsOfAHundredTasks() throws Exception {
    var b = Dags.dag("wide");
    for (int t = 0; t < 100; t++) {
      b.task(Tasks.shell(String.format("task_%02d", t), "true"));
    }
    Dag wide = b.build();
    store(wide);
    for (int i = 0; i < 100; i++) {
      DagActions.trigger(
          db, "wide", NOW.plus(Duration.ofDays(i)), String.format("run_%03d", i), null, "t", NOW);
    }
    get(Role.VIEWER, "/dags/wide/grid?runs=100"); // warm up
    List<Long> millis = new ArrayList<>();
    HttpResponse<String> r = null;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      r = get(Role.VIEWER, "/dags/wide/grid?runs=100");
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    System.out.println("grid of 100 runs x 100 tasks, ms per request: " + millis);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body().split("data-ti=\"", -1)).hasSize(100 * 100 + 1);
    // What travels is compressed: well under the 300 KB a page may weigh.
    HttpResponse<byte[]> gz =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url("/dags/wide/grid?runs=100")))
                .header("Cookie", browsers.get(Role.VIEWER).cookie())
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.body().length).isLessThan(300 * 1024);
  }

  @Test
  void theTriggerFormHasAFieldPerParamAndCreatesTheRun() throws Exception {
    HttpResponse<String> form = get(Role.USER, "/dags/orders/trigger");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body())
        .contains("id=\"trigger-form\"")
        .contains(
            "type=\"number\" step=\"any\" id=\"param.limit\" name=\"param.limit\" value=\"10\"")
        .contains("name=\"param.region\" value=\"eu\"")
        .contains("type=\"checkbox\" id=\"param.dry\"")
        .contains("[1,2]");
    HttpResponse<String> r =
        post(
            Role.USER,
            "/dags/orders/trigger",
            "param.limit",
            "25",
            "param.region",
            "us",
            "param.ids",
            "[3]",
            "conf",
            "{\"extra\": true}",
            "logical_date",
            "2024-03-01T00:00:00Z",
            "run_id",
            "from_ui");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/dags/orders/grid?run_id=from_ui");
    DagRunRow run = new DagRunRepository(db).get("orders", "from_ui").orElseThrow();
    assertThat(run.conf())
        .contains("\"limit\":25")
        .contains("\"region\":\"us\"")
        .contains("\"dry\":false")
        .contains("\"ids\":[3]")
        .contains("\"extra\":true");
    assertThat(lastAudit("orders", "trigger").owner()).isEqualTo("user");
    HttpResponse<String> again = post(Role.USER, "/dags/orders/trigger", "run_id", "from_ui");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("id=\"trigger-form\"").contains("trigger-error");
  }

  @Test
  void badTriggerInputIsShownOnTheForm() throws Exception {
    HttpResponse<String> json = post(Role.USER, "/dags/orders/trigger", "conf", "{oops");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body())
        .contains("id=\"trigger-form\"")
        .contains("conf is not valid JSON")
        .contains("{oops");
    HttpResponse<String> array = post(Role.USER, "/dags/orders/trigger", "conf", "[1]");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(array.body()).contains("conf must be a JSON object");
    HttpResponse<String> number =
        post(Role.USER, "/dags/orders/trigger", "param.limit", "ten", "param.ids", "[1]");
    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(number.body()).contains("limit must be a number, not &#39;ten&#39;");
    HttpResponse<String> date =
        post(
            Role.USER,
            "/dags/orders/trigger",
            "param.limit",
            "1",
            "param.ids",
            "[]",
            "logical_date",
            "yesterday");
    assertThat(date.statusCode()).isEqualTo(400);
    assertThat(date.body()).contains("logical_date must be a date and time");
    HttpResponse<String> runId =
        post(
            Role.USER,
            "/dags/orders/trigger",
            "param.limit",
            "1",
            "param.ids",
            "[]",
            "run_id",
            "bad id/with slash");
    assertThat(runId.statusCode()).isEqualTo(400);
    assertThat(runId.body()).contains("trigger-error");
    assertThat(get(Role.USER, "/dags/nope/trigger").statusCode()).isEqualTo(404);
  }

  @Test
  void clearingARunPreviewsFirstThenClearsAndAudits() throws Exception {
    newRun("to_clear");
    setState("to_clear", "extract", TaskInstanceState.SUCCESS);
    setState("to_clear", "load", TaskInstanceState.FAILED);
    HttpResponse<String> preview =
        post(Role.USER, "/dags/orders/runs/to_clear/clear", "only_failed", "true");
    assertThat(preview.statusCode()).isEqualTo(200);
    assertThat(preview.body())
        .contains("id=\"clear-preview\"")
        .contains("<td>load</td>")
        .doesNotContain("<td>extract</td>")
        .contains(">Clear</button>");
    assertThat(state("to_clear", "load")).isEqualTo(TaskInstanceState.FAILED);
    HttpResponse<String> done =
        post(
            Role.USER,
            "/dags/orders/runs/to_clear/clear",
            "only_failed",
            "true",
            "confirmed",
            "true",
            "next",
            "/dags/orders/grid?run_id=to_clear");
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location")).hasValue("/dags/orders/grid?run_id=to_clear");
    assertThat(state("to_clear", "load")).isEqualTo(TaskInstanceState.NONE);
    assertThat(state("to_clear", "extract")).isEqualTo(TaskInstanceState.SUCCESS);
    LogRow audit = lastAudit("orders", "clear");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(audit.runId()).isEqualTo("to_clear");
  }

  @Test
  void clearingATaskInstanceTakesItsDownstream() throws Exception {
    newRun("ti_clear");
    for (String t : List.of("extract", "load", "report")) {
      setState("ti_clear", t, TaskInstanceState.SUCCESS);
    }
    HttpResponse<String> preview =
        post(Role.USER, "/dags/orders/runs/ti_clear/tasks/load/clear", "downstream", "true");
    assertThat(preview.body())
        .contains("<td>load</td>")
        .contains("<td>report</td>")
        .doesNotContain("<td>extract</td>");
    assertThat(
            post(
                    Role.USER,
                    "/dags/orders/runs/ti_clear/tasks/load/clear",
                    "downstream",
                    "true",
                    "confirmed",
                    "true")
                .statusCode())
        .isEqualTo(303);
    assertThat(state("ti_clear", "load")).isEqualTo(TaskInstanceState.NONE);
    assertThat(state("ti_clear", "report")).isEqualTo(TaskInstanceState.NONE);
    assertThat(state("ti_clear", "extract")).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(post(Role.USER, "/dags/orders/runs/ti_clear/tasks/nope/clear").statusCode())
        .isEqualTo(404);
    assertThat(post(Role.USER, "/dags/orders/runs/nope/clear").statusCode()).isEqualTo(404);
  }

  @Test
  void markingRunsAndTaskInstancesIsAudited() throws Exception {
    newRun("to_mark");
    assertThat(post(Role.USER, "/dags/orders/runs/to_mark/mark", "state", "failed").statusCode())
        .isEqualTo(303);
    assertThat(new DagRunRepository(db).get("orders", "to_mark").orElseThrow().state())
        .isEqualTo(DagRunState.FAILED);
    assertThat(lastAudit("orders", "dagrun_failed").owner()).isEqualTo("user");
    assertThat(
            post(
                    Role.USER,
                    "/dags/orders/runs/to_mark/tasks/extract/mark",
                    "state",
                    "success",
                    "map_index",
                    "-1")
                .statusCode())
        .isEqualTo(303);
    assertThat(state("to_mark", "extract")).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(lastAudit("orders", "mark_success").owner()).isEqualTo("user");
    assertThat(post(Role.USER, "/dags/orders/runs/to_mark/mark", "state", "success").statusCode())
        .isEqualTo(303);
    assertThat(new DagRunRepository(db).get("orders", "to_mark").orElseThrow().state())
        .isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void badMarkInputIsA4xx() throws Exception {
    newRun("bad_mark");
    HttpResponse<String> r = post(Role.USER, "/dags/orders/runs/bad_mark/mark", "state", "bogus");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("state must be success or failed");
    assertThat(
            post(
                    Role.USER,
                    "/dags/orders/runs/bad_mark/tasks/extract/mark",
                    "state",
                    "success",
                    "map_index",
                    "x")
                .statusCode())
        .isEqualTo(400);
    assertThat(post(Role.USER, "/dags/orders/runs/nope/mark", "state", "success").statusCode())
        .isEqualTo(404);
    assertThat(
            post(Role.USER, "/dags/orders/runs/bad_mark/tasks/nope/mark", "state", "failed")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void deletingARunAsksFirstThenDeletesAndAudits() throws Exception {
    newRun("to_delete");
    HttpResponse<String> ask = post(Role.USER, "/dags/orders/runs/to_delete/delete");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.body()).contains("id=\"delete-confirm\"").contains(">Delete run</button>");
    assertThat(new DagRunRepository(db).get("orders", "to_delete")).isPresent();
    HttpResponse<String> done =
        post(Role.USER, "/dags/orders/runs/to_delete/delete", "confirmed", "true");
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location")).hasValue("/dags/orders/grid");
    assertThat(new DagRunRepository(db).get("orders", "to_delete")).isEmpty();
    assertThat(lastAudit("orders", "delete_dag_run").owner()).isEqualTo("user");
    assertThat(post(Role.USER, "/dags/orders/runs/to_delete/delete").statusCode()).isEqualTo(404);
  }

  static final List<String> ACTIONS =
      List.of(
          "/dags/orders/pause",
          "/dags/orders/trigger",
          "/dags/orders/runs/" + RUN + "/clear",
          "/dags/orders/runs/" + RUN + "/mark",
          "/dags/orders/runs/" + RUN + "/delete",
          "/dags/orders/runs/" + RUN + "/tasks/extract/clear",
          "/dags/orders/runs/" + RUN + "/tasks/extract/mark");

  @Test
  void aViewerSeesNoActionAndIsRefusedEach() throws Exception {
    String grid = get(Role.VIEWER, "/dags/orders/grid?run_id=" + RUN + "&task_id=extract").body();
    String list = get(Role.VIEWER, "/dags").body();
    for (String button :
        List.of(
            ">Trigger<",
            ">Clear<",
            ">Mark success<",
            ">Mark failed<",
            ">Delete run<",
            ">Pause<",
            ">Unpause<")) {
      assertThat(grid).doesNotContain(button);
      assertThat(list).doesNotContain(button);
    }
    String userGrid = get(Role.USER, "/dags/orders/grid?run_id=" + RUN + "&task_id=extract").body();
    assertThat(userGrid)
        .contains(">Trigger</a>")
        .contains(">Clear</button>")
        .contains(">Mark success</button>")
        .contains(">Mark failed</button>")
        .contains(">Delete run</button>")
        .contains("id=\"ti-actions\"");
    assertThat(get(Role.VIEWER, "/dags/orders/trigger").statusCode()).isEqualTo(403);
    for (String path : ACTIONS) {
      HttpResponse<String> r =
          post(Role.VIEWER, path, "state", "success", "paused", "true", "confirmed", "true");
      assertThat(r.statusCode()).as(path).isEqualTo(403);
    }
    assertThat(new DagRunRepository(db).get("orders", RUN)).isPresent();
    assertThat(new DagRepository(db).get("orders").orElseThrow().paused()).isFalse();
  }

  @Test
  void anActionWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    String cookie = browsers.get(Role.ADMIN).cookie();
    for (String path : ACTIONS) {
      HttpResponse<String> r =
          send(
              "POST", path, cookie, form("_csrf", "forged", "paused", "true", "confirmed", "true"));
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(send("POST", path, cookie, form("confirmed", "true")).statusCode())
          .as(path)
          .isEqualTo(403);
    }
    assertThat(new DagRunRepository(db).get("orders", RUN)).isPresent();
    assertThat(new DagRepository(db).get("orders").orElseThrow().paused()).isFalse();
  }

  @Test
  void signedOutActionsAreRefused() throws Exception {
    for (String path : ACTIONS) {
      assertThat(send("POST", path, null, form("confirmed", "true")).statusCode())
          .as(path)
          .isEqualTo(401);
    }
    assertThat(send("GET", "/ui/events", null, null).statusCode()).isEqualTo(401);
  }
}
