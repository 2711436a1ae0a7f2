package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.UpdraftException;
import io.updraft.connections.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's execution endpoints (decisions/0148) as a remote worker or a pod calls them: the
 * only way it reaches the metadata, as it holds no database credentials.
 */
public final class ExecutionClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http;

  /** An answer of the API server that is not a success. */
  public static final class Refused extends UpdraftException {
    private final int status;
    private final String detail;

    Refused(int status, String message, String detail) {
      super(message);
      this.status = status;
      this.detail = detail;
    }

    public int status() {
      return status;
    }

    /** The API server's own words ({@code detail}), without the method and path. */
    public String detail() {
      return detail;
    }
  }

  /**
   * @param apiUrl the API server, as {@code http://host:8080} (a trailing {@code /api/v2} is
   *     ignored)
   */
  public ExecutionClient(String apiUrl) {
    String url = apiUrl.strip();
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new UpdraftException(
          "--api-url must be the API server's http:// or https:// URL, not '" + apiUrl + "'");
    }
    url = url.replaceAll("/+$", "").replaceAll("/api/v2$", "");
    this.base = url;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Claims up to {@code limit} task instances of {@code queues}, waiting at most {@code wait}. */
  public List<JsonNode> claim(
      String token, List<String> queues, String hostname, int pid, int limit, Duration wait) {
    ObjectNode body = JSON.createObjectNode();
    body.putPOJO("queues", queues);
    body.put("hostname", hostname);
    body.put("pid", pid);
    body.put("limit", limit);
    body.put("wait_seconds", wait.toMillis() / 1000.0);
    JsonNode r = send("POST", "/execution/task-instances/claim", token, body, wait.plusSeconds(30));
    List<JsonNode> out = new ArrayList<>();
    r.path("workloads").forEach(out::add);
    return out;
  }

  /**
   * Starts the queued try a task token was made for ({@code tasks run}); its workload. The API
   * refuses (422) when the token's task instance is not {@code dagId runId taskId mapIndex}.
   */
  public JsonNode run(
      String token,
      long taskInstanceId,
      String hostname,
      int pid,
      String dagId,
      String runId,
      String taskId,
      int mapIndex) {
    ObjectNode body = JSON.createObjectNode();
    body.put("hostname", hostname);
    body.put("pid", pid);
    body.put("dag_id", dagId);
    body.put("run_id", runId);
    body.put("task_id", taskId);
    body.put("map_index", mapIndex);
    return send("PATCH", ti(taskInstanceId, "run"), token, body, null);
  }

  /** Heartbeats a try; returns its renewed token. A {@link Refused} 409 means: stop the try. */
  public String heartbeat(String token, long taskInstanceId) {
    return send("PUT", ti(taskInstanceId, "heartbeat"), token, JSON.createObjectNode(), null)
        .path("token")
        .asText(token);
  }

  /** Appends {@code text} at byte {@code offset} of the try's log; returns the log's size. */
  public long appendLog(String token, long taskInstanceId, long offset, String text) {
    ObjectNode body = JSON.createObjectNode();
    body.put("offset", offset);
    body.put("text", text);
    return send("POST", ti(taskInstanceId, "logs"), token, body, null).path("size").asLong();
  }

  /** Ends the try; returns the answer ({@code state}, {@code handed_back}). */
  public JsonNode end(String token, long taskInstanceId, ObjectNode body) {
    return send("PATCH", ti(taskInstanceId, "state"), token, body, null);
  }

  public Optional<Object> xcom(
      String token, String dagId, String runId, String taskId, String key) {
    return optional(
            "GET",
            "/execution/xcoms/"
                + seg(dagId)
                + "/"
                + seg(runId)
                + "/"
                + seg(taskId)
                + "/"
                + seg(key),
            token)
        .map(
            j -> {
              try {
                return JSON.treeToValue(j.get("value"), Object.class);
              } catch (IOException e) {
                return j.get("value").toString();
              }
            });
  }

  /** Registers this worker's job (decisions/0169); returns its id. */
  public long registerWorker(
      String token, String hostname, int pid, List<String> queues, int concurrency) {
    ObjectNode body = JSON.createObjectNode();
    body.put("hostname", hostname);
    body.put("pid", pid);
    body.putPOJO("queues", queues);
    body.put("concurrency", concurrency);
    return send("POST", "/execution/workers", token, body, null).path("id").asLong();
  }

  /** Heartbeats the worker's job; a {@link Refused} 409 or 404: it ended, register again. */
  public void heartbeatWorker(String token, long jobId) {
    send("PUT", "/execution/workers/" + jobId + "/heartbeat", token, null, null);
  }

  /** Ends the worker's job as it stops. */
  public void endWorker(String token, long jobId) {
    send("DELETE", "/execution/workers/" + jobId, token, null, null);
  }

  /** A fresh token for the worker's user (decisions/0168). */
  public String renewToken(String token) {
    return send("POST", "/execution/token", token, JSON.createObjectNode(), null)
        .path("access_token")
        .asText();
  }

  /**
   * Creates a manual run of {@code dagId} for the try of {@code token} ({@code trigger_dag});
   * returns its run_id.
   *
   * @throws UpdraftException with the API server's reason (unknown DAG, a bad or taken run_id)
   */
  public String triggerRun(
      String token, String dagId, Instant logicalDate, String runId, Map<String, Object> conf) {
    ObjectNode body = JSON.createObjectNode();
    if (runId != null) {
      body.put("run_id", runId);
    }
    body.put("logical_date", logicalDate.toString());
    if (conf != null && !conf.isEmpty()) {
      body.set("conf", JSON.valueToTree(conf));
    }
    try {
      return send("POST", "/execution/dag-runs/" + seg(dagId), token, body, null)
          .path("run_id")
          .asText();
    } catch (Refused e) {
      throw new UpdraftException(e.detail(), e);
    }
  }

  /** A DAG run's state; empty when there is no such run. */
  public Optional<String> runState(String token, String dagId, String runId) {
    return optional("GET", "/execution/dag-runs/" + seg(dagId) + "/" + seg(runId) + "/state", token)
        .map(j -> j.path("state").asText());
  }

  public Optional<Connection> connection(String token, String connId) {
    return optional("GET", "/execution/connections/" + seg(connId), token)
        .map(
            j -> {
              Map<String, Object> extra = new LinkedHashMap<>();
              j.path("extra")
                  .fields()
                  .forEachRemaining(e -> extra.put(e.getKey(), plain(e.getValue())));
              return new Connection(
                  j.path("conn_id").asText(connId),
                  text(j, "conn_type"),
                  text(j, "host"),
                  j.path("port").isNumber() ? j.path("port").asInt() : null,
                  text(j, "login"),
                  text(j, "password"),
                  text(j, "schema"),
                  extra,
                  null);
            });
  }

  public Optional<String> variable(String token, String key) {
    return optional("GET", "/execution/variables/" + seg(key), token).map(j -> text(j, "value"));
  }

  public Optional<byte[]> bundle(String token, String hash) {
    return optional("GET", "/execution/dag-bundles/" + seg(hash), token)
        .map(j -> Base64.getDecoder().decode(j.path("content").asText()));
  }

  private static Object plain(JsonNode n) {
    try {
      return JSON.treeToValue(n, Object.class);
    } catch (IOException e) {
      return n.toString();
    }
  }

  private static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String ti(long id, String what) {
    return "/execution/task-instances/" + id + "/" + what;
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Optional<JsonNode> optional(String method, String path, String token) {
    try {
      return Optional.of(send(method, path, token, null, null));
    } catch (Refused e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private JsonNode send(String method, String path, String token, JsonNode body, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout == null ? Duration.ofSeconds(60) : timeout)
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UpdraftException(
          "cannot reach the API server at " + base + " (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpdraftException("interrupted while calling the API server", e);
    }
    JsonNode json;
    try {
      json =
          r.body() == null || r.body().isEmpty()
              ? JSON.createObjectNode()
              : JSON.readTree(r.body());
    } catch (IOException e) {
      json = JSON.createObjectNode().put("detail", r.body());
    }
    if (r.statusCode() >= 300) {
      String detail = json.path("detail").asText(r.body());
      throw new Refused(
          r.statusCode(), method + " " + path + ": " + r.statusCode() + " " + detail, detail);
    }
    return json;
  }
}
