package io.updraft.bench;

import io.updraft.scheduler.Backfills;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's backfills and bulk triggers: creating {@code runs} runs while {@code updraft
 * standalone} (a child process) is busy on the same database, or idle as the baseline.
 *
 * <ul>
 *   <li>Backfill: what {@code dags backfill} runs ({@link DagVersions#latest}, then {@link
 *       Backfills#create}) for {@code runs} hourly runs, from this process. On H2 the child opened
 *       the file first and serves it (AUTO_SERVER), so this process reaches it over TCP exactly as
 *       the CLI beside a running standalone does. Main figure, seconds.
 *   <li>Triggers: {@code runs} {@code POST /api/v2/dags/bf/dagRuns} to the child's API server from
 *       {@value #CLIENTS} concurrent clients, each with its own logical date ({@code triggers_s}).
 *   <li>Bulk triggers: {@code runs} runs by {@code PATCH /api/v2/dags/bf/dagRuns} (Airflow 3's bulk
 *       body, decisions/0175), as one request ({@code bulk_s}) and as {@value #BULK_CLIENTS}
 *       concurrent requests of a share each ({@code bulk3_s}).
 * </ul>
 *
 * CPU per run of each ({@code *_cpu_ms}): the child's {@code utime + stime} from {@code /proc} over
 * the phase, divided by the runs (for the backfill, the bench process's CPU too, as it is the
 * client). Under {@code busy} the child's figure includes the busy DAG's work meanwhile.
 *
 * <p>{@code busy}: before measuring, {@value #BUSY_RUNS} runs of a 10-task DAG of {@code shell}
 * tasks are triggered and the backfilled DAG is unpaused, so its runs start executing as they are
 * created; the measurement starts once tasks are running. {@code idle}: nothing runs.
 */
record BulkRunsWorkload(boolean busy, int runs, boolean smoke) implements Workload {
  private static final int CLIENTS = 16;
  private static final int BULK_CLIENTS = 3;
  private static final int BUSY_RUNS = 60;
  private static final Instant BACKFILL_FROM = Instant.parse("2024-02-01T00:00:00Z");
  private static final Instant TRIGGER_FROM = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant BULK_FROM = Instant.parse("2025-06-01T00:00:00Z");
  private static final Instant BULK3_FROM = Instant.parse("2025-09-01T00:00:00Z");
  static final Pattern API = Pattern.compile("API:\\s+(http://\\S+)/api/v2");

  @Override
  public String scenario() {
    return "bulk-runs";
  }

  @Override
  public String label() {
    return busy ? "busy" : "idle";
  }

  @Override
  public int runs() {
    return runs;
  }

  @Override
  public int tasks() {
    return 3;
  }

  @Override
  public int dags() {
    return 2;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Path dags = Files.createDirectories(fresh.folder().resolve("dags"));
      Files.writeString(dags.resolve("bf.yaml"), dag("bf", "\"@hourly\"", 3, "true"));
      Files.writeString(dags.resolve("busy.yaml"), dag("busy", "null", 10, "true"));
      ProcessBuilder pb =
          UpdraftChild.command(
              fresh,
              databases.kind(),
              Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"),
              "--dags-folder",
              dags.toString(),
              "standalone",
              "--port",
              "0");
      pb.redirectErrorStream(true);
      Process child = pb.start();
      try {
        UpdraftChild.Output out = new UpdraftChild.Output(child, "sign in:");
        out.awaitLine(Duration.ofMinutes(smoke ? 2 : 5));
        Matcher api = API.matcher(out.tail());
        if (!api.find()) {
          throw new IllegalStateException("standalone printed no API address: " + out.tail());
        }
        String base = api.group(1);
        String password =
            Files.readString(UpdraftChild.home(fresh).resolve("standalone_admin_password.txt"))
                .strip();
        // Opened after the child: on H2 the child serves the file and this is a TCP client.
        try (Database db = Database.open(fresh.url())) {
          if (busy) {
            makeBusy(db);
          } else {
            DagActions.setPaused(db, "bf", true, "bench", Instant.now());
          }
          HttpClient http = client();
          String token = token(http, base, password);
          window.open();
          long self = ProcessHandle.current().pid();
          double c0 = ProcStatus.cpuSeconds(child.pid());
          double s0 = ProcStatus.cpuSeconds(self);
          long t0 = System.nanoTime();
          DagVersions.Versioned latest =
              new DagVersions(new SerializedDagRepository(db)).latest("bf");
          Backfills.Result result =
              Backfills.create(
                  db,
                  latest,
                  BACKFILL_FROM,
                  BACKFILL_FROM.plus(Duration.ofHours(runs - 1)),
                  Instant.now());
          long t1 = System.nanoTime();
          double c1 = ProcStatus.cpuSeconds(child.pid());
          double s1 = ProcStatus.cpuSeconds(self);
          triggerAll(http, base, token, "bf", runs, TRIGGER_FROM);
          long t2 = System.nanoTime();
          double c2 = ProcStatus.cpuSeconds(child.pid());
          // Fresh clients: the server may have closed the previous phase's idle connections, and
          // a request sent on one just closed fails ("header parser received no bytes").
          bulkTrigger(client(), base, token, "bf", "b1_", runs, 1, BULK_FROM);
          long t3 = System.nanoTime();
          double c3 = ProcStatus.cpuSeconds(child.pid());
          bulkTrigger(client(), base, token, "bf", "b3_", runs, BULK_CLIENTS, BULK3_FROM);
          long t4 = System.nanoTime();
          double c4 = ProcStatus.cpuSeconds(child.pid());
          window.close();
          if (result.created().size() != runs) {
            throw new IllegalStateException(
                "the backfill created " + result.created().size() + " runs, not " + runs);
          }
          long running =
              db.jdbc()
                  .queryOne(
                      "running",
                      "SELECT COUNT(*) FROM task_instance WHERE state = 'running'",
                      ps -> {},
                      rs -> rs.getLong(1))
                  .orElse(0L);
          double perRun = 1000.0 / runs;
          return new Sample(
              (t1 - t0) / 1e9,
              Map.of(
                  "triggers_s",
                  (t2 - t1) / 1e9,
                  "bulk_s",
                  (t3 - t2) / 1e9,
                  "bulk3_s",
                  (t4 - t3) / 1e9,
                  "backfill_cpu_ms",
                  (c1 - c0 + s1 - s0) * perRun,
                  "trigger_cpu_ms",
                  (c2 - c1) * perRun,
                  "bulk_cpu_ms",
                  (c3 - c2) * perRun,
                  "bulk3_cpu_ms",
                  (c4 - c3) * perRun,
                  "running_after",
                  (double) running));
        }
      } finally {
        UpdraftChild.stop(child);
      }
    }
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Triggers the busy DAG's runs and waits until its tasks run. */
  private void makeBusy(Database db) throws InterruptedException {
    int n = smoke ? 2 : BUSY_RUNS;
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      DagActions.trigger(db, "busy", now.minusSeconds(i), "busy_" + i, null, "bench", now);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (db.jdbc()
            .queryOne(
                "running",
                "SELECT COUNT(*) FROM task_instance WHERE state = 'running'",
                ps -> {},
                rs -> rs.getLong(1))
            .orElse(0L)
        == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no task of the busy DAG started within 2 minutes");
      }
      Thread.sleep(20);
    }
  }

  /**
   * {@code runs} {@code POST /api/v2/dags/DAG/dagRuns} from {@value #CLIENTS} concurrent clients,
   * run ids {@code t_0...}, logical dates a second apart from {@code from}; each must answer 200.
   */
  static void triggerAll(
      HttpClient http, String base, String token, String dagId, int runs, Instant from)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String body =
            "{\"dag_run_id\":\"t_" + i + "\",\"logical_date\":\"" + from.plusSeconds(i) + "\"}";
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + "/api/v2/dags/" + dagId + "/dagRuns"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        done.add(
            pool.submit(
                () -> {
                  HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException(
                        "trigger answered " + r.statusCode() + ": " + r.body());
                  }
                  return r.statusCode();
                }));
      }
      for (Future<Integer> f : done) {
        f.get();
      }
    }
  }

  /**
   * {@code runs} runs of {@code dagId} created by {@code clients} concurrent {@code PATCH
   * /api/v2/dags/DAG/dagRuns} bulk requests of an equal share each, run ids {@code prefix0...},
   * logical dates a second apart from {@code from}; each must create its whole share.
   */
  static void bulkTrigger(
      HttpClient http,
      String base,
      String token,
      String dagId,
      String prefix,
      int runs,
      int clients,
      Instant from)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<Integer>> done = new ArrayList<>();
      int share = (runs + clients - 1) / clients;
      for (int first = 0; first < runs; first += share) {
        StringBuilder body =
            new StringBuilder("{\"actions\":[{\"action\":\"create\",\"entities\":[");
        int last = Math.min(runs, first + share);
        for (int i = first; i < last; i++) {
          body.append(i == first ? "" : ",")
              .append("{\"dag_run_id\":\"")
              .append(prefix)
              .append(i)
              .append("\",\"logical_date\":\"")
              .append(from.plusSeconds(i))
              .append("\"}");
        }
        body.append("]}]}");
        int expected = last - first;
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(base + "/api/v2/dags/" + dagId + "/dagRuns"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        done.add(
            pool.submit(
                () -> {
                  HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200
                      || r.body().split("\"" + prefix, -1).length - 1 != expected) {
                    throw new IllegalStateException(
                        "bulk trigger answered " + r.statusCode() + ": " + r.body());
                  }
                  return r.statusCode();
                }));
      }
      for (Future<Integer> f : done) {
        f.get();
      }
    }
  }

  static String token(HttpClient http, String base, String password) throws Exception {
    return token(http, base, "admin", password);
  }

  /** An access token of {@code user} from the API server at {@code base} ({@code /auth/token}). */
  static String token(HttpClient http, String base, String user, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException("no token from /auth/token: " + r.body());
    }
    return m.group(1);
  }

  /** A DAG of {@code tasks} {@code shell} tasks in a line running {@code command}. */
  private static String dag(String dagId, String schedule, int tasks, String command) {
    StringBuilder y = new StringBuilder();
    y.append("dag_id: ").append(dagId).append('\n');
    y.append("schedule: ").append(schedule).append('\n');
    y.append("start_date: 2024-01-01\ncatchup: false\nmax_active_runs: 64\n");
    y.append("tasks:\n");
    for (int i = 1; i <= tasks; i++) {
      y.append("  - {task_id: t").append(i).append(", operator: shell, command: \"");
      y.append(command).append('"');
      if (i > 1) {
        y.append(", upstream: [t").append(i - 1).append(']');
      }
      y.append("}\n");
    }
    return y.toString();
  }
}
