package io.updraft.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.updraft.api.ApiException;
import io.updraft.api.Params;
import io.updraft.api.Role;
import io.updraft.connections.SensitiveKeys;
import io.updraft.dag.Task;
import io.updraft.logs.LogChunk;
import io.updraft.logs.LogFollower;
import io.updraft.logs.LogReader;
import io.updraft.logs.TryStates;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /dags/{dag_id}/runs/{run_id}/tasks/{task_id}}: one task instance — its tries, its
 * arguments as the DAG defines them, its XComs and the log of a try ({@code ?try=N}, the latest by
 * default); and {@code …/log?try=N&offset=B}: what the log has from byte {@code B} on, which the
 * page asks for every second (htmx) and appends, until the try has ended and its log is read to the
 * end. Logs are read by {@link LogReader} under the logs folder only ({@link TryLog#path}).
 */
final class TaskInstancePages {
  /** What a page or one poll reads of a log at most (a page stays light). */
  static final int CHUNK = 256 * 1024;

  static final int VALUE_CHARS = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskInstancePages() {}

  /** One try in the list of tries. */
  public record Try(
      int number,
      String state,
      String startDate,
      String endDate,
      String duration,
      String hostname,
      boolean shown) {}

  /** A key and its value as shown: cut, or {@code ***} when the key looks secret. */
  public record Field(String key, String value) {}

  /**
   * The log of one try from an offset: its text, where the next poll reads from, and whether to
   * poll (the try runs or waits to start, or there is more to read).
   */
  public record Log(
      int tryNumber,
      String text,
      long from,
      long next,
      boolean follow,
      String status,
      String url) {}

  static List<Page> pages(Ui ui) {
    Lookup find = new Lookup(ui);
    return List.of(
        Page.get(
            "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              DagRunRow run = find.run(dag.dagId(), ctx.pathParam("run_id"));
              int mapIndex = Params.integer(ctx, "map_index", -1);
              TaskInstanceRow ti =
                  find.instance(dag.dagId(), run.runId(), ctx.pathParam("task_id"), mapIndex);
              int shown = tryToShow(ctx, ti);
              Map<String, Object> model = new HashMap<>();
              model.put("dag", dag);
              model.put("run", run);
              model.put("ti", ti);
              model.put("tiRef", ti.runId() + "|" + ti.taskId() + "|" + ti.mapIndex());
              model.put("tries", tries(ui, ti, shown));
              model.put("args", args(find.dagOf(run).task(ti.taskId())));
              model.put("xcoms", xcoms(ui, ti));
              model.put("log", log(ui, ti, shown, null));
              return View.of("task_instance", model);
            }),
        Page.get(
            "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}/log",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              DagRunRow run = find.run(dag.dagId(), ctx.pathParam("run_id"));
              int mapIndex = Params.integer(ctx, "map_index", -1);
              TaskInstanceRow ti =
                  find.instance(dag.dagId(), run.runId(), ctx.pathParam("task_id"), mapIndex);
              int shown = tryToShow(ctx, ti);
              long offset = Params.integer(ctx, "offset", 0);
              if (offset < 0) {
                throw ApiException.badRequest("offset " + offset + " is negative");
              }
              if (ctx.header("HX-Request") == null) {
                plain(ctx, ui, ti, shown, offset); // opened by itself: the log as text
                return null;
              }
              return View.of("log_chunk", Map.of("log", log(ui, ti, shown, offset)));
            }));
  }

  /**
   * {@code ?try=N}, else the running try, else — when the instance waits to run again — the try it
   * will run next, else the latest (the CLI's {@code tasks logs --follow} rule).
   */
  private static int tryToShow(Context ctx, TaskInstanceRow ti) {
    String asked = ctx.queryParam("try");
    if (asked != null && !asked.isEmpty()) {
      int n = Params.integer(ctx, "try", 0);
      if (n < 1 || n > Math.max(1, ti.tryNumber() + 1)) {
        throw ApiException.badRequest(
            "try "
                + n
                + " does not exist: "
                + ti.taskId()
                + " has "
                + ti.tryNumber()
                + " tr"
                + (ti.tryNumber() == 1 ? "y" : "ies"));
      }
      return n;
    }
    if (ti.tryNumber() == 0
        || (!ti.state().isFinished()
            && ti.state() != TaskInstanceState.RUNNING
            && ti.state() != TaskInstanceState.RESTARTING)) {
      return ti.tryNumber() + 1;
    }
    return ti.tryNumber();
  }

  private static List<Try> tries(Ui ui, TaskInstanceRow ti, int shown) {
    List<Try> out = new ArrayList<>();
    for (TaskInstanceTries.Try t : new TaskInstanceTries(ui.db()).all(ti)) {
      out.add(
          new Try(
              t.tryNumber(),
              t.state() == null ? "none" : t.state().id(),
              text(t.startDate()),
              text(t.endDate()),
              Formats.duration(t.duration()),
              t.hostname() == null ? "" : t.hostname(),
              t.tryNumber() == shown));
    }
    return out;
  }

  /** The task's arguments as its DAG version defines them (templates not rendered). */
  private static List<Field> args(Optional<Task> task) {
    if (task.isEmpty()) {
      return List.of();
    }
    List<Field> out = new ArrayList<>();
    new TreeMap<>(task.get().args())
        .forEach((k, v) -> out.add(new Field(k, shown(k, v instanceof String s ? s : json(v)))));
    return out;
  }

  private static List<Field> xcoms(Ui ui, TaskInstanceRow ti) {
    List<Field> out = new ArrayList<>();
    for (XComRepository.Entry e :
        new XComRepository(ui.db()).entries(ti.dagId(), ti.runId(), ti.taskId(), ti.mapIndex())) {
      out.add(new Field(e.key(), shown(e.key(), e.valueJson())));
    }
    return out;
  }

  /** A value as a page shows it: masked when its key looks secret, else cut. */
  static String shown(String key, String value) {
    return SensitiveKeys.isSensitive(key) ? "***" : Formats.cut(value, VALUE_CHARS);
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  /** The whole log of a try from {@code offset}, as {@code text/plain}. */
  private static void plain(Context ctx, Ui ui, TaskInstanceRow ti, int n, long offset)
      throws IOException {
    if (ui.logsFolder() == null) {
      throw ApiException.notFound("this server was started without a logs folder");
    }
    Path path = TryLog.path(ui.logsFolder(), ti.dagId(), ti.runId(), ti.taskId(), n);
    java.io.InputStream in;
    try {
      in = java.nio.file.Files.newInputStream(path);
    } catch (java.nio.file.NoSuchFileException e) {
      throw ApiException.notFound("no log for try " + n + " of " + ti.taskId());
    }
    in.skipNBytes(Math.min(offset, java.nio.file.Files.size(path)));
    ctx.contentType("text/plain; charset=utf-8").result(in);
  }

  /**
   * The log of try {@code n} from {@code offset} (null: the last {@value #CHUNK} bytes, from a line
   * start), whether to poll on, and the URL of the next poll.
   */
  static Log log(Ui ui, TaskInstanceRow ti, int n, Long offset) throws IOException {
    String base =
        "/dags/"
            + Formats.url(ti.dagId())
            + "/runs/"
            + Formats.url(ti.runId())
            + "/tasks/"
            + Formats.url(ti.taskId())
            + "/log?try="
            + n
            + (ti.mapIndex() >= 0 ? "&map_index=" + ti.mapIndex() : "");
    if (ui.logsFolder() == null) {
      return new Log(n, "", 0, 0, false, "this server was started without a logs folder", base);
    }
    Path path = TryLog.path(ui.logsFolder(), ti.dagId(), ti.runId(), ti.taskId(), n);
    // the state first: a try seen ended before the read means the read reached its last line
    LogFollower.TryState state = TryStates.of(ti, n);
    long from = offset != null ? offset : LogReader.tailOffset(path, CHUNK);
    Optional<LogChunk> chunk =
        LogReader.read(path, from, CHUNK, state == LogFollower.TryState.ENDED);
    if (chunk.isEmpty()) {
      return switch (state) {
        case WAITING -> new Log(n, "", 0, 0, true, "waiting for try " + n + " to start…", base);
        case RUNNING -> new Log(n, "", 0, 0, true, "running; no log yet…", base);
        case ENDED ->
            new Log(
                n,
                "",
                0,
                0,
                false,
                "no log for try " + n + ": it has not run here, or ran on another machine",
                base);
      };
    }
    LogChunk c = chunk.get();
    boolean follow = state != LogFollower.TryState.ENDED || !c.atEnd();
    String status =
        state == LogFollower.TryState.ENDED
            ? (c.atEnd() ? "" : "reading…")
            : state == LogFollower.TryState.RUNNING ? "running…" : "waiting…";
    return new Log(n, c.text(), c.from(), c.next(), follow, status, base);
  }
}
