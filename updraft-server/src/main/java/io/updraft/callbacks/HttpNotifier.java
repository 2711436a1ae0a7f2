package io.updraft.callbacks;

import io.updraft.dag.Notifier;
import io.updraft.worker.operators.HttpRequestRunner;
import io.updraft.worker.operators.OperatorFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code {http: {url, method, headers, body}}}: one request through the {@code http} operator's
 * {@link HttpRequestRunner} (the process's shared client, its timeouts and redirects); a 2xx status
 * is delivered. A map or list body is sent as JSON (a Slack or Teams incoming webhook takes exactly
 * that), a string as it is.
 */
final class HttpNotifier {
  private static final int BODY_START = 500;

  private final Duration timeout;

  HttpNotifier(Duration timeout) {
    this.timeout = timeout;
  }

  void send(Notifier.Http h, PrintWriter log) throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(h.url());
    } catch (IllegalArgumentException e) {
      throw new NotifierFailure("url '" + h.url() + "' is not a valid URL: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new NotifierFailure("url '" + h.url() + "' must start with http:// or https://");
    }
    HttpRequestRunner.Request request;
    try {
      request =
          HttpRequestRunner.request(
              null,
              h.method(),
              h.url(),
              h.headers() == null ? Map.of() : h.headers(),
              h.body(),
              timeout);
    } catch (OperatorFailure e) {
      throw new NotifierFailure(e.getMessage());
    }
    log.println(h.method() + " " + h.url());
    HttpRequestRunner.Response response;
    try {
      response = HttpRequestRunner.shared().send(request, BODY_START, abort -> {});
    } catch (IOException e) {
      throw new NotifierFailure(
          h.method()
              + " "
              + h.url()
              + " failed: "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
    String start = response.text() + (response.truncated() ? "…" : "");
    log.println("status " + response.status() + ": " + start);
    if (response.status() / 100 != 2) {
      throw new NotifierFailure(
          h.method()
              + " "
              + h.url()
              + " answered "
              + response.status()
              + ": "
              + response.start(BODY_START));
    }
  }
}
