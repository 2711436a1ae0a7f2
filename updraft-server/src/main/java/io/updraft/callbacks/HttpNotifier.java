package io.updraft.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.Notifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code {http: {url, method, headers, body}}}: one request on {@link HttpClient}; a 2xx status is
 * delivered. A map or list body is sent as JSON (a Slack or Teams incoming webhook takes exactly
 * that), a string as it is.
 */
final class HttpNotifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_START = 500;

  private final HttpClient client;
  private final Duration timeout;

  HttpNotifier(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
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
    String body = body(h.body());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    boolean json = h.body() != null && !(h.body() instanceof String);
    if (json && h.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
      b.header("Content-Type", "application/json");
    }
    h.headers().forEach(b::header);
    b.method(
        h.method(),
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    log.println(h.method() + " " + h.url());
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
    String start =
        response.body().length() > BODY_START
            ? response.body().substring(0, BODY_START) + "…"
            : response.body();
    log.println("status " + response.statusCode() + ": " + start);
    if (response.statusCode() / 100 != 2) {
      throw new NotifierFailure(
          h.method()
              + " "
              + h.url()
              + " answered "
              + response.statusCode()
              + ": "
              + oneLine(start));
    }
  }

  private static String body(Object body) {
    if (body == null || body instanceof String) {
      return (String) body;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new NotifierFailure("the body cannot be sent as JSON: " + e.getOriginalMessage());
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
