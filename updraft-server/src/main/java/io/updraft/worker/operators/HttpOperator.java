package io.updraft.worker.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.Connection;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code http} (SPEC §1.3): one request; an unexpected status fails the try, and the log shows the
 * status and the start of the body. The body (or its parsed JSON, or nothing) is the return value.
 */
final class HttpOperator implements InJvmOperator {

  /** How much of an unexpected response's body the log and the error show. */
  static final int BODY_START = 500;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> RESPONSE_XCOM = List.of("body", "json", "none");

  private final HttpRequestRunner runner;

  HttpOperator(HttpRequestRunner runner) {
    this.runner = runner;
  }

  @Override
  public Object execute(OperatorContext ctx) throws InterruptedException {
    String connId = new Args(null, ctx.args()).text("conn", null);
    Args args = new Args(connId, ctx.args());
    Connection conn = connId == null ? null : ctx.connection(connId);
    String url = args.text("url", args.text("endpoint", null));
    if (url == null) {
      throw args.fail("set url: (a whole URL) or endpoint: (a path under the connection's host)");
    }
    String xcom = args.text("response_xcom", "body").toLowerCase(Locale.ROOT);
    if (!RESPONSE_XCOM.contains(xcom)) {
      throw args.fail("response_xcom must be body, json or none, not '" + xcom + "'");
    }
    List<Integer> expected = args.ints("expect_status");
    HttpRequestRunner.Request request =
        HttpRequestRunner.request(
            conn,
            args.text("method", "GET"),
            url,
            args.stringMap("headers"),
            args.raw("body"),
            args.duration("timeout", HttpRequestRunner.DEFAULT_TIMEOUT));
    ctx.note("request: " + request.describe() + " (timeout " + request.timeout() + ")");
    long start = System.nanoTime();
    HttpRequestRunner.Response response;
    try {
      response = runner.send(request, Math.max(ctx.maxResultBytes(), BODY_START), ctx::onAbort);
    } catch (IOException e) {
      throw args.fail("cannot reach " + request.describe() + ": " + OperatorFailure.causeOf(e));
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    int status = response.status();
    ctx.note(
        "response: "
            + status
            + " ("
            + response.protocol()
            + ", "
            + (response.truncated() ? "over " : "")
            + response.body().length
            + " bytes, "
            + ms
            + "ms)");
    boolean ok = expected.isEmpty() ? status >= 200 && status < 300 : expected.contains(status);
    if (!ok) {
      String body = response.start(BODY_START);
      ctx.note("unexpected status " + status + "; the body starts: " + body);
      throw args.fail(
          "HTTP "
              + status
              + " from "
              + request.describe()
              + " (expected "
              + (expected.isEmpty() ? "2xx" : expected.toString())
              + ")"
              + (body.isEmpty() ? "" : ": " + body));
    }
    if (xcom.equals("none")) {
      return null;
    }
    if (response.truncated()) {
      throw args.fail(
          "the response body is larger than core.max_xcom_size ("
              + ctx.maxResultBytes()
              + " bytes) — set response_xcom: none, ask for less, or raise core.max_xcom_size");
    }
    if (xcom.equals("json")) {
      try {
        return JSON.readValue(response.body(), Object.class);
      } catch (JsonProcessingException | RuntimeException e) {
        throw args.fail(
            "response_xcom is json but the body is not JSON ("
                + OperatorFailure.oneLine(e.getMessage().lines().findFirst().orElse(""))
                + "): "
                + response.start(200));
      } catch (IOException e) {
        throw args.fail("cannot read the body: " + e.getMessage());
      }
    }
    return response.text();
  }
}
