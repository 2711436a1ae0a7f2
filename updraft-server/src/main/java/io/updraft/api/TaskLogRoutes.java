package io.updraft.api;

import io.javalin.http.Context;
import io.updraft.logs.LogFollower;
import io.updraft.logs.LogReader;
import io.updraft.logs.TryStates;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET .../taskInstances/{task_id}/logs/{try_number}}: a try's log, read in pieces with a
 * continuation token (decisions/0103). The first request (no {@code token}) reads from the start;
 * the answer's {@code continuation_token} says where the next read starts, so a client tails a
 * running try by polling with it. A piece ends at a line end (a line still being written waits for
 * the next read) and holds at most {@link #MAX_BYTES}. The token is signed and bound to the try,
 * and the file's path comes from the ids through {@link TryLog#path} ({@code SafePaths}), so no
 * token or id reads outside the try's log file.
 */
final class TaskLogRoutes {
  /** The most one answer holds; a client asks again with the token for the rest. */
  static final int MAX_BYTES = 1 << 20;

  private TaskLogRoutes() {}

  /**
   * One line of the log, as Airflow 3's structured log lines: {@code event} is the line's text,
   * {@code timestamp} the time an Updraft line starts with ({@code null} for the command's output).
   */
  public record LogLine(String timestamp, String event) {}

  /**
   * @param endOfLog the try has ended and everything it wrote has been read: stop polling
   */
  public record TaskLogResponse(
      List<LogLine> content, String continuationToken, boolean endOfLog) {}

  static List<Route> routes(Database db, Tokens tokens, Path logsRoot) {
    return List.of(
        Route.get(
                TaskInstanceRoutes.BASE + "/{task_id}/logs/{try_number}",
                Role.VIEWER,
                "Get a try's log",
                TaskLogResponse.class,
                (ctx, caller) -> read(db, tokens, logsRoot, ctx))
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)")
            .withQuery("token", "string", "the continuation_token of the previous answer")
            .withQuery(
                "full_content", "boolean", "ignored: every answer is the next piece (1 MiB)"));
  }

  private static Object read(Database db, Tokens tokens, Path logsRoot, Context ctx) {
    int tryNumber = tryNumber(ctx.pathParam("try_number"));
    int mapIndex = TaskInstanceRoutes.mapIndex(ctx);
    Params.bool(ctx, "full_content"); // checked; every answer is one piece
    TaskInstanceRow ti = TaskInstanceRoutes.require(db, ctx, mapIndex);
    if (tryNumber > ti.tryNumber() + 1 || (tryNumber > ti.tryNumber() && ti.state().isFinished())) {
      throw ApiException.notFound(
          ti.taskId()
              + " in run '"
              + ti.runId()
              + "' has "
              + ti.tryNumber()
              + " tr"
              + (ti.tryNumber() == 1 ? "y" : "ies")
              + ", not a try "
              + tryNumber);
    }
    if (logsRoot == null) {
      throw ApiException.notFound("this API server was started without a logs folder");
    }
    String key =
        ti.dagId() + "/" + ti.runId() + "/" + ti.taskId() + "/" + ti.mapIndex() + "/" + tryNumber;
    String token = ctx.queryParam("token");
    long from = token == null || token.isBlank() ? 0 : tokens.logPosition(token.trim(), key);
    boolean over = over(ti, tryNumber);
    Path file = TryLog.path(logsRoot, ti.dagId(), ti.runId(), ti.taskId(), tryNumber);
    Piece piece = piece(file, from, over);
    String next = tokens.logToken(key, piece.end());
    boolean endOfLog = over && piece.atEnd();
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/plain") && !accept.contains("application/json")) {
      ctx.header("X-Continuation-Token", next);
      ctx.header("X-End-Of-Log", Boolean.toString(endOfLog));
      return new Route.Text("text/plain; charset=utf-8", piece.text());
    }
    return new TaskLogResponse(lines(piece.text()), next, endOfLog);
  }

  private static int tryNumber(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw ApiException.unprocessable(
        "try_number must be a whole number from 1, not '" + text + "'");
  }

  /** Whether try {@code n} has ended: the rule {@code tasks logs --follow} stops by. */
  private static boolean over(TaskInstanceRow ti, int n) {
    return TryStates.of(ti, n) == LogFollower.TryState.ENDED;
  }

  /**
   * @param end where the next read starts
   * @param atEnd nothing is left after {@code end}
   */
  private record Piece(String text, long end, boolean atEnd) {}

  /**
   * The bytes from {@code from}, read by {@link LogReader} (the UI's live tail reads by it too). A
   * missing file is an empty piece (the try has not written yet).
   */
  private static Piece piece(Path file, long from, boolean over) {
    try {
      return LogReader.read(file, from, MAX_BYTES, over)
          .map(c -> new Piece(c.text(), c.next(), c.atEnd()))
          .orElse(new Piece("", 0, true));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the log " + file, e);
    }
  }

  private static List<LogLine> lines(String text) {
    List<LogLine> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String line : text.split("\n", -1)) {
      out.add(new LogLine(timestamp(line), line));
    }
    if (text.endsWith("\n")) {
      out.remove(out.size() - 1); // the empty "line" after the last line end
    }
    return out;
  }

  /** The instant an Updraft line starts with ({@code [2024-01-31T02:00:00.123Z] [updraft] ...}). */
  private static String timestamp(String line) {
    if (!line.startsWith("[")) {
      return null;
    }
    int close = line.indexOf(']');
    if (close < 2) {
      return null;
    }
    try {
      return Json.instant(Instant.parse(line.substring(1, close)));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
