package io.updraft.worker.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Sends one HTTP request on the JVM's {@link HttpClient}: one client for the whole process (its
 * connection pool, HTTP/2 and TLS sessions are shared by every try), HTTP/2 when the server offers
 * it and HTTP/1.1 otherwise, redirects followed as a browser does. Used by the {@code http}
 * operator and by webhook notifiers; it knows nothing about tries.
 *
 * <p>A connection ({@link #request}) gives Airflow's HTTP hook's parts: the base URL ({@code
 * schema://host:port}, or a {@code host} that is a whole URL), basic auth from login and password,
 * a bearer token from {@code extra.token}, and default headers from {@code extra.headers}.
 */
public final class HttpRequestRunner {

  /** How long establishing a TCP (and TLS) connection may take. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** A request's default timeout (until the response's headers): safe against a hung server. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpRequestRunner SHARED =
      new HttpRequestRunner(
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_2)
              .connectTimeout(CONNECT_TIMEOUT)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .executor(Executors.newVirtualThreadPerTaskExecutor())
              .build());

  private final HttpClient client;

  private HttpRequestRunner(HttpClient client) {
    this.client = client;
  }

  /** The process's runner, sharing one client. */
  public static HttpRequestRunner shared() {
    return SHARED;
  }

  /**
   * One request, ready to send.
   *
   * @param body the body's bytes as text, or null for none
   */
  public record Request(
      String method, URI uri, Map<String, String> headers, String body, Duration timeout) {
    public Request {
      headers = Map.copyOf(headers);
    }

    /** The request as a log shows it: method and URL without user info or query. */
    public String describe() {
      String query = uri.getRawQuery() == null ? "" : "?…";
      return method
          + " "
          + uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath())
          + query;
    }
  }

  /**
   * The response: status, the start of the body (at most the limit asked for), and whether more
   * came.
   */
  public record Response(
      int status, byte[] body, boolean truncated, String protocol, Map<String, String> headers) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The start of the body for a log line: at most {@code chars} characters, on one line. */
    public String start(int chars) {
      String t = text();
      String s = t.length() > chars ? t.substring(0, chars) + "…" : t;
      return OperatorFailure.oneLine(s);
    }
  }

  /**
   * Builds a request from an operator's or a notifier's keys.
   *
   * @param conn the connection giving base URL, auth and default headers; null for none
   * @param url a whole URL, or a path joined to the connection's base URL
   * @param body a string sent as is, a map or list sent as JSON, or null
   * @throws OperatorFailure if the URL is not usable or the body cannot be written
   */
  public static Request request(
      Connection conn,
      String method,
      String url,
      Map<String, String> headers,
      Object body,
      Duration timeout) {
    String connId = conn == null ? null : conn.connId();
    URI uri = uri(conn, url);
    Map<String, String> all = new LinkedHashMap<>();
    if (conn != null) {
      if (conn.extra().get("headers") instanceof Map<?, ?> h) {
        h.forEach((k, v) -> all.put(String.valueOf(k), String.valueOf(v)));
      }
      if (conn.extra().get("token") instanceof String token && !token.isBlank()) {
        all.put("Authorization", "Bearer " + token);
      } else if (conn.login() != null && !conn.login().isEmpty()) {
        String pair = conn.login() + ":" + (conn.password() == null ? "" : conn.password());
        all.put(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      }
    }
    String text = null;
    if (body instanceof String s) {
      text = s;
    } else if (body != null) {
      try {
        text = JSON.writeValueAsString(body);
      } catch (JsonProcessingException e) {
        throw new OperatorFailure(connId, "the body cannot be written as JSON: " + e.getMessage());
      }
      if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
        all.put("Content-Type", "application/json");
      }
    }
    all.putAll(headers);
    return new Request(
        method.toUpperCase(Locale.ROOT),
        uri,
        all,
        text,
        timeout == null ? DEFAULT_TIMEOUT : timeout);
  }

  /** Airflow's HttpHook: {@code schema://host:port} (schema default http) + "/" + endpoint. */
  private static URI uri(Connection conn, String url) {
    String connId = conn == null ? null : conn.connId();
    String target = url == null ? "" : url.strip();
    if (!target.contains("://") && conn != null) {
      String host = conn.host() == null ? "" : conn.host().strip();
      if (host.isEmpty()) {
        throw new OperatorFailure(
            connId, "the connection has no host — set its host (the base URL) or give a whole url");
      }
      String base;
      if (host.contains("://")) {
        base = host;
      } else {
        String schema =
            conn.schema() == null || conn.schema().isBlank() ? "http" : conn.schema().strip();
        base = schema + "://" + host + (conn.port() == null ? "" : ":" + conn.port());
      }
      target =
          target.isEmpty() ? base : base.replaceAll("/+$", "") + "/" + target.replaceAll("^/+", "");
    }
    try {
      URI uri = new URI(target);
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        throw new OperatorFailure(
            connId,
            "'"
                + target
                + "' is not an http(s) URL — give url: https://host/path, or conn: with endpoint:");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new OperatorFailure(connId, "'" + target + "' is not a URL: " + e.getReason());
    }
  }

  /**
   * Sends the request and reads at most {@code maxBody} bytes of the response's body.
   *
   * @param onAbort receives an action that cancels the exchange; call it from another thread
   * @throws IOException when the host cannot be reached or the exchange breaks
   * @throws InterruptedException when the calling thread is interrupted (the exchange is cancelled)
   */
  public Response send(Request r, int maxBody, Consumer<Runnable> onAbort)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(r.uri())
            .timeout(r.timeout())
            .method(
                r.method(),
                r.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(r.body()));
    r.headers().forEach(b::header);
    CompletableFuture<HttpResponse<InputStream>> future =
        client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    onAbort.accept(() -> future.cancel(true));
    HttpResponse<InputStream> response;
    try {
      response = future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new InterruptedException("the request was cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    }
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(maxBody);
      boolean truncated = in.read() >= 0;
      Map<String, String> headers = new LinkedHashMap<>();
      response.headers().map().forEach((k, v) -> headers.put(k, String.join(", ", v)));
      return new Response(
          response.statusCode(),
          body,
          truncated,
          response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
          headers);
    }
  }
}
