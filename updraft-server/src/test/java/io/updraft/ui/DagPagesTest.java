package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.scheduler.DagActions;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.TryLog;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DAG pages over real HTTP on H2: graph, source, runs, a run, a task instance and its log's
 * live tail — for a viewer, escaped, 404 for what does not exist, 400 for bad input.
 */
class DagPagesTest extends UiServerTestBase {
  static final String ODD = "x<y>&\"z";
  static final String LINE_ONE = "[2024-01-05T00:00:00Z] [updraft] try 1 of a <b>\n";

  long tiA;
  Path logA;

  @Override
  void seed() throws Exception {
    Dag dag = GraphLayoutTest.diamond();
    List<Task> tasks = new ArrayList<>(dag.tasks());
    tasks.add(Task.of(ODD, "shell", Map.of("command", "echo hi", "api_token", "s3cr3t")));
    dag = dag.withTasks(tasks);
    store(dag, "dag_id: diamond\n# <script>alert(1)</script>\n");
    DagActions.trigger(
        db, "diamond", Instant.parse("2024-01-04T00:00:00Z"), "r1", "{\"k\": \"<v>\"}", "t", NOW);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow a =
        tis.listForRun("diamond", "r1").stream()
            .filter(t -> t.taskId().equals("a"))
            .findFirst()
            .orElseThrow();
    tiA = a.id();
    tis.setStates(List.of(new StateChange(tiA, a.state(), TaskInstanceState.SCHEDULED)), NOW);
    tis.setStates(
        List.of(new StateChange(tiA, TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED)), NOW);
    new TaskInstanceTries(db).start(tiA, "host-1", 42, NOW);
    logA = TryLog.path(logsFolder, "diamond", "r1", "a", 1);
    Files.createDirectories(logA.getParent());
    Files.writeString(logA, LINE_ONE);
    long runId = new DagRunRepository(db).get("diamond", "r1").orElseThrow().id();
    new XComRepository(db).put(runId, "diamond", "r1", "a", "return_value", "\"<xv>\"", NOW);
  }

  @Test
  void theGraphDrawsEveryTaskWithItsStateInTheNewestRun() throws Exception {
    HttpResponse<String> r = get(Role.VIEWER, "/dags/diamond/graph");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).contains("<svg").contains("data-dag=\"diamond\"");
    assertThat(body).contains("class=\"node state running\" data-ti=\"r1|a|-1\"");
    assertThat(body).contains("class=\"node state none\" data-ti=\"r1|d|-1\"");
    assertThat(body).contains("class=\"edge\" d=\"M");
    assertThat(body).contains("x&lt;y&gt;&amp;&quot;z").doesNotContain("x<y>");
    assertThat(get(Role.VIEWER, "/dags/diamond/graph?run_id=r1").statusCode()).isEqualTo(200);
    assertThat(get(Role.VIEWER, "/dags/diamond/graph?run_id=nope").statusCode()).isEqualTo(404);
    assertThat(get(Role.VIEWER, "/dags/nope/graph").statusCode()).isEqualTo(404);
  }

  @Test
  void theSourceIsNumberedAndEscaped() throws Exception {
    HttpResponse<String> r = get(Role.VIEWER, "/dags/diamond/source");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("<span class=\"line\" id=\"L2\"># &lt;script&gt;alert(1)&lt;/script&gt;</span>")
        .doesNotContain("<script>alert");
  }

  @Test
  void theRunsAndARunShowStatesTheLiveFeedUpdates() throws Exception {
    HttpResponse<String> runs = get(Role.VIEWER, "/dags/diamond/runs");
    assertThat(runs.statusCode()).isEqualTo(200);
    assertThat(runs.body()).contains("data-run=\"r1\"").contains("1–1 of 1");
    assertThat(get(Role.VIEWER, "/dags/diamond/runs?offset=-1").statusCode()).isEqualTo(400);
    assertThat(get(Role.VIEWER, "/dags/diamond/runs?offset=x").statusCode()).isEqualTo(422);
    HttpResponse<String> run = get(Role.VIEWER, "/dags/diamond/runs/r1");
    assertThat(run.statusCode()).isEqualTo(200);
    assertThat(run.body())
        .contains("data-ti=\"r1|a|-1\"")
        .contains("data-ti=\"r1|d|-1\"")
        .contains("&lt;v&gt;")
        .doesNotContain("<v>");
    assertThat(run.body().indexOf("r1|a|-1")).isLessThan(run.body().indexOf("r1|d|-1"));
    assertThat(get(Role.VIEWER, "/dags/diamond/runs/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void aTaskInstanceShowsItsTriesArgumentsXcomsAndLog() throws Exception {
    HttpResponse<String> r = get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("host-1")
        .contains("try 1 of a &lt;b&gt;")
        .contains("&quot;&lt;xv&gt;&quot;")
        .contains("hx-trigger=\"every 1s\"");
    HttpResponse<String> odd = get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/" + url(ODD));
    assertThat(odd.statusCode()).isEqualTo(200);
    assertThat(odd.body()).contains("api_token").doesNotContain("s3cr3t");
    assertThat(get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a?map_index=x").statusCode())
        .isEqualTo(422);
    assertThat(get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a?try=9").statusCode()).isEqualTo(400);
    assertThat(get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/zz").statusCode()).isEqualTo(404);
  }

  @Test
  void theLogTailAnswersOnlyTheBytesAfterTheOffset() throws Exception {
    long offset = Files.size(logA);
    Files.writeString(logA, "second line é\n", StandardOpenOption.APPEND);
    HttpResponse<String> r =
        htmx(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a/log?try=1&offset=" + offset);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("hx-swap-oob=\"beforeend:#log-text\">second line é\n</div>")
        .doesNotContain("try 1 of a")
        .contains("data-offset=\"" + Files.size(logA) + "\"")
        .contains("hx-trigger=\"every 1s\"");
    // nothing new: no text, the same offset, still polling while the try runs
    HttpResponse<String> none =
        htmx(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a/log?try=1&offset=" + Files.size(logA));
    assertThat(none.body()).doesNotContain("hx-swap-oob").contains("hx-trigger");
    // the whole log as text when opened by itself
    HttpResponse<String> plain = get(Role.VIEWER, "/dags/diamond/runs/r1/tasks/a/log?try=1");
    assertThat(plain.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(plain.body()).isEqualTo(Files.readString(logA));
  }

  @Test
  void aSignedOutBrowserSeesNoDagPage() throws Exception {
    for (String path :
        List.of(
            "/dags/diamond/graph",
            "/dags/diamond/source",
            "/dags/diamond/runs",
            "/dags/diamond/runs/r1",
            "/dags/diamond/runs/r1/tasks/a",
            "/dags/diamond/runs/r1/tasks/a/log?try=1")) {
      assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(302);
      assertThat(get(Role.VIEWER, path).statusCode()).as(path).isEqualTo(200);
    }
  }
}
