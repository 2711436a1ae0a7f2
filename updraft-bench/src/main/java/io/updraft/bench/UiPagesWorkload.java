package io.updraft.bench;

import io.updraft.api.ApiServer;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.dag.Dag;
import io.updraft.sdk.DagBuilder;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.NewTaskInstance;
import io.updraft.store.RunType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.ui.WebUi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The web UI's and the API's heaviest reads (issue 13: ≤ 100 ms server time, < 300 KB transferred)
 * on a database of {@code dags} DAGs and one DAG {@code wide} of {@code tasks} tasks × {@code runs}
 * finished runs: {@code /dags} (first page, and a search), {@code /dags/wide/grid?runs=N}, {@code
 * /api/v2/dags?limit=100}. Each is asked {@value #REQUESTS} times over HTTP on loopback, signed in,
 * with {@code Accept-Encoding: gzip}, after {@value #WARM_UP} warm-up requests. Main figure: the
 * slowest page's median; per page {@code <page>_ms} (median), {@code <page>_kb} (bytes on the wire)
 * and {@code <page>_raw_kb} (uncompressed). A page the server does not have (404) reports -1.
 */
record UiPagesWorkload(int dagCount, int tasks, int runCount) implements Workload {
  static final int REQUESTS = 30;
  static final int WARM_UP = 10;
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final Pattern COOKIE = Pattern.compile("(updraft_session=[^;]+)");
  private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  @Override
  public String scenario() {
    return "ui-pages";
  }

  @Override
  public String label() {
    return dagCount + "-dags-" + tasks + "x" + runCount;
  }

  @Override
  public int runs() {
    return runCount;
  }

  @Override
  public int dags() {
    return dagCount;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Database db = fresh.database();
      seed(db);
      new UserAccounts(db).create("bench", Role.ADMIN, "bench-password", "bench", Instant.now());
      try (ApiServer server =
          ApiServer.start(
              db,
              new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30)),
              Clock.systemUTC(),
              List.of(new WebUi()))) {
        return measure("http://127.0.0.1:" + server.port(), window);
      }
    }
  }

  /** The DAGs ({@code dag_0000}… with 3 tasks each, tagged) and {@code wide}'s runs. */
  private void seed(Database db) {
    SerializedDagRepository serialized = new SerializedDagRepository(db);
    DagRepository dagRows = new DagRepository(db);
    Instant now = Instant.now();
    for (int i = 0; i < dagCount; i++) {
      String id = String.format(Locale.ROOT, "dag_%04d", i);
      Dag dag =
          Dags.dag(id)
              .schedule("@daily")
              .startDate(START)
              .tags(List.of("team_" + i % 10, "bench"))
              .task(Tasks.shell("extract", "true"))
              .task(Tasks.shell("transform", "true").upstream("extract"))
              .task(Tasks.shell("load", "true").upstream("transform"))
              .build();
      store(serialized, dagRows, dag, now);
    }
    DagBuilder wide = Dags.dag("wide").schedule("@daily").startDate(START);
    for (int t = 0; t < tasks; t++) {
      wide.task(
          t == 0
              ? Tasks.shell("task_000", "true")
              : Tasks.shell(String.format(Locale.ROOT, "task_%03d", t), "true")
                  .upstream(String.format(Locale.ROOT, "task_%03d", (t - 1) / 2)));
    }
    Dag dag = wide.build();
    store(serialized, dagRows, dag, now);
    String hash = serialized.latestHash("wide").orElseThrow();
    DagRunRepository runRepo = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<NewTaskInstance> newTis = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      newTis.add(
          new NewTaskInstance(
              String.format(Locale.ROOT, "task_%03d", t),
              -1,
              1,
              "default_pool",
              1,
              "default",
              "shell",
              1));
    }
    for (int r = 0; r < runCount; r++) {
      Instant logical = START.plus(Duration.ofDays(r));
      String runId = "scheduled__" + logical;
      boolean failed = r % 7 == 3;
      long id =
          runRepo.create(
              new NewDagRun(
                  "wide",
                  runId,
                  RunType.SCHEDULED,
                  DagRunState.RUNNING,
                  logical,
                  logical,
                  logical.plus(Duration.ofDays(1)),
                  logical.plus(Duration.ofDays(1)),
                  null,
                  hash,
                  null),
              now);
      tis.createForRun("wide", runId, newTis, now);
      List<StateChange> changes = new ArrayList<>();
      for (TaskInstanceRow ti : tis.listForRun("wide", runId)) {
        changes.add(
            new StateChange(
                ti.id(),
                TaskInstanceState.NONE,
                failed && ti.taskId().endsWith("7")
                    ? TaskInstanceState.FAILED
                    : TaskInstanceState.SUCCESS));
      }
      tis.setStates(changes, now);
      runRepo.setState(
          id, DagRunState.RUNNING, failed ? DagRunState.FAILED : DagRunState.SUCCESS, now);
    }
  }

  private static void store(
      SerializedDagRepository serialized, DagRepository dagRows, Dag dag, Instant now) {
    serialized.store(dag.dagId(), DagSerializer.serialize(dag), dag.dagId() + ".yaml", now);
    dagRows.upsert(dag, dag.dagId() + ".yaml", false, now);
  }

  private Sample measure(String base, Window window) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String cookie = signIn(http, base);
    String token = token(http, base);
    Map<String, HttpRequest> pages = new LinkedHashMap<>();
    pages.put("dags", get(base + "/dags").header("Cookie", cookie).build());
    pages.put("dags_search", get(base + "/dags?q=dag_01").header("Cookie", cookie).build());
    pages.put(
        "grid", get(base + "/dags/wide/grid?runs=" + runCount).header("Cookie", cookie).build());
    pages.put(
        "api_dags",
        get(base + "/api/v2/dags?limit=100").header("Authorization", "Bearer " + token).build());
    Map<String, Double> extras = new LinkedHashMap<>();
    double slowest = 0;
    window.open();
    try {
      for (Map.Entry<String, HttpRequest> page : pages.entrySet()) {
        Figures f = figures(http, page.getValue());
        extras.put(page.getKey() + "_ms", f.medianMs());
        extras.put(page.getKey() + "_kb", f.wireBytes() / 1024.0);
        extras.put(page.getKey() + "_raw_kb", f.rawBytes() / 1024.0);
        slowest = Math.max(slowest, Math.max(0, f.medianMs()) / 1000);
      }
    } finally {
      window.close();
    }
    return new Sample(slowest, extras);
  }

  /** A page's median time and size; -1 each when the server has no such page. */
  private record Figures(double medianMs, double wireBytes, double rawBytes) {}

  private static Figures figures(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<byte[]> first = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (first.statusCode() == 404) {
      return new Figures(-1, -1, -1);
    }
    if (first.statusCode() != 200) {
      throw new IllegalStateException(
          request.uri() + " answered " + first.statusCode() + ": " + new String(first.body()));
    }
    for (int i = 0; i < WARM_UP; i++) {
      http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    long[] nanos = new long[REQUESTS];
    HttpResponse<byte[]> last = first;
    for (int i = 0; i < REQUESTS; i++) {
      long t0 = System.nanoTime();
      last = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    byte[] wire = last.body();
    boolean gzip = last.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
    long raw = wire.length;
    if (gzip) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
        raw = in.readAllBytes().length;
      }
    }
    return new Figures(nanos[REQUESTS / 2] / 1e6, wire.length, raw);
  }

  private static HttpRequest.Builder get(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Accept-Encoding", "gzip")
        .timeout(Duration.ofSeconds(60));
  }

  private static String signIn(HttpClient http, String base)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=bench&password=bench-password"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElse(""));
    if (!m.find()) {
      throw new IllegalStateException("signing in to the UI failed: " + r.statusCode());
    }
    return m.group(1);
  }

  private static String token(HttpClient http, String base)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"bench\", \"password\": \"bench-password\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = TOKEN.matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException("no API token: " + r.statusCode() + " " + r.body());
    }
    return m.group(1);
  }
}
