package io.updraft.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.updraft.UpdraftException;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionActions;
import io.updraft.connections.ConnectionIds;
import io.updraft.connections.ConnectionJson;
import io.updraft.connections.ConnectionUri;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Masking;
import io.updraft.connections.SecretMasker;
import io.updraft.store.Database;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/v2/connections}: the stored connections with Airflow's fields, and adding, changing
 * and deleting them through {@link ConnectionActions}, the code {@code updraft connections} runs
 * (same id rule, same encryption, same audit record). A password is taken on a write and never
 * returned, not even masked (decisions/0105); secret-looking fields of the extra are {@code ***},
 * and the password is masked wherever else it appears.
 */
final class ConnectionRoutes {
  private ConnectionRoutes() {}

  /** {@code extra} is JSON text, as Airflow returns it. */
  public record ConnectionResponse(
      String connectionId,
      String connType,
      String description,
      String host,
      String login,
      String schema,
      Integer port,
      String extra) {}

  public record ConnectionCollection(List<ConnectionResponse> connections, int totalEntries) {}

  /**
   * {@code POST}'s body (Airflow's {@code ConnectionBody}). {@code extra} is a JSON object or its
   * text.
   */
  public record ConnectionBody(
      String connectionId,
      String connType,
      String description,
      String host,
      String login,
      String schema,
      Integer port,
      String password,
      JsonNode extra) {
    public ConnectionBody {
      if (connectionId == null || connectionId.isBlank()) {
        throw ApiException.unprocessable("connection_id: required");
      }
      if (connType == null || connType.isBlank()) {
        throw ApiException.unprocessable("conn_type: required (postgres, http, smtp, jdbc, ...)");
      }
    }
  }

  /** {@code PATCH}'s body: the fields to change; {@code connection_id} must be the path's. */
  public record ConnectionPatchBody(
      String connectionId,
      String connType,
      String description,
      String host,
      String login,
      String schema,
      Integer port,
      String password,
      JsonNode extra) {}

  private static final List<String> PATCHABLE =
      List.of("conn_type", "description", "host", "login", "schema", "port", "password", "extra");

  private static final Map<String, Comparator<ConnectionResponse>> ORDERS =
      Map.of(
          "connection_id", Comparator.comparing(ConnectionResponse::connectionId),
          "conn_type", Comparator.comparing(ConnectionResponse::connType),
          "host",
              Comparator.comparing(
                  ConnectionResponse::host, Comparator.nullsFirst(Comparator.naturalOrder())));

  static List<Route> routes(Database db, FernetKeys keys, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/connections",
                Role.VIEWER,
                "List connections",
                ConnectionCollection.class,
                (ctx, caller) -> list(new ConnectionActions(db, keys), ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "connection_id (default), conn_type, host; -: desc")
            .withQuery("connection_id_pattern", "string", "SQL LIKE pattern on the id (% and _)"),
        Route.post(
                "/api/v2/connections",
                Role.OP,
                "Create a connection",
                ConnectionBody.class,
                ConnectionResponse.class,
                (ctx, caller) -> {
                  ConnectionBody b = Bodies.read(ctx, ConnectionBody.class);
                  requireId(b.connectionId());
                  Connection c =
                      new Connection(
                          b.connectionId(),
                          type(b.connType()),
                          emptyIsNone(b.host()),
                          port(b.port()),
                          emptyIsNone(b.login()),
                          emptyIsNone(b.password()),
                          emptyIsNone(b.schema()),
                          extra(b.extra()),
                          emptyIsNone(b.description()));
                  ConnectionActions connections = new ConnectionActions(db, keys);
                  if (!connections.add(c, caller.username(), clock.instant())) {
                    throw ApiException.conflict(
                        "connection '"
                            + c.connId()
                            + "' exists already: change it with PATCH /api/v2/connections/"
                            + c.connId());
                  }
                  return response(require(connections, c.connId()));
                })
            .withStatus(201),
        Route.get(
            "/api/v2/connections/{connection_id}",
            Role.VIEWER,
            "Get a connection",
            ConnectionResponse.class,
            (ctx, caller) ->
                response(require(new ConnectionActions(db, keys), ctx.pathParam("connection_id")))),
        Route.patch(
                "/api/v2/connections/{connection_id}",
                Role.OP,
                "Change a connection's fields",
                ConnectionPatchBody.class,
                ConnectionResponse.class,
                (ctx, caller) -> {
                  String id = ctx.pathParam("connection_id");
                  ConnectionPatchBody b = Bodies.read(ctx, ConnectionPatchBody.class);
                  List<String> mask = UpdateMask.of(ctx, PATCHABLE);
                  if (b.connectionId() != null && !b.connectionId().equals(id)) {
                    throw ApiException.badRequest(
                        "connection_id: a connection cannot be renamed ('"
                            + b.connectionId()
                            + "' is not '"
                            + id
                            + "'): create a new one and delete this one");
                  }
                  ConnectionActions connections = new ConnectionActions(db, keys);
                  Connection c = patched(require(connections, id), b, mask);
                  connections.set(c, caller.username(), clock.instant());
                  return response(require(connections, id));
                })
            .withQuery(
                "update_mask", "string", "change only these fields (comma separated or repeated)"),
        Route.delete(
            "/api/v2/connections/{connection_id}",
            Role.OP,
            "Delete a connection",
            (ctx, caller) -> {
              String id = ctx.pathParam("connection_id");
              if (!new ConnectionActions(db, keys).delete(id, caller.username(), clock.instant())) {
                throw notFound(id);
              }
              return null;
            }));
  }

  private static ConnectionCollection list(ConnectionActions connections, Context ctx) {
    Paging paging = Paging.of(ctx, "connection_id", List.copyOf(ORDERS.keySet()));
    String pattern = ctx.queryParam("connection_id_pattern");
    Pattern like = pattern == null || pattern.isEmpty() ? null : DagRoutes.like(pattern);
    List<ConnectionResponse> all =
        connections.list().stream()
            .filter(c -> like == null || like.matcher(c.connId()).matches())
            .map(ConnectionRoutes::response)
            .toList();
    return new ConnectionCollection(paging.page(all, ORDERS), all.size());
  }

  /**
   * The stored connection with the body's changes: without a mask every field the body gives (not
   * null); with one, the fields it names, a null one cleared. {@code conn_type} is never cleared.
   */
  private static Connection patched(Connection s, ConnectionPatchBody b, List<String> mask) {
    if (mask.contains("conn_type") && (b.connType() == null || b.connType().isBlank())) {
      throw ApiException.unprocessable("conn_type: cannot be empty");
    }
    return new Connection(
        s.connId(),
        changes(mask, "conn_type", b.connType()) ? type(b.connType()) : s.connType(),
        changes(mask, "host", b.host()) ? emptyIsNone(b.host()) : s.host(),
        changes(mask, "port", b.port()) ? port(b.port()) : s.port(),
        changes(mask, "login", b.login()) ? emptyIsNone(b.login()) : s.login(),
        changes(mask, "password", b.password()) ? emptyIsNone(b.password()) : s.password(),
        changes(mask, "schema", b.schema()) ? emptyIsNone(b.schema()) : s.schema(),
        changes(mask, "extra", b.extra()) ? extra(b.extra()) : s.extra(),
        changes(mask, "description", b.description())
            ? emptyIsNone(b.description())
            : s.description());
  }

  private static boolean changes(List<String> mask, String field, Object value) {
    return mask.isEmpty()
        ? value != null && !(value instanceof JsonNode n && n.isNull())
        : mask.contains(field);
  }

  private static void requireId(String id) {
    try {
      ConnectionIds.require(id);
    } catch (UpdraftException e) {
      throw ApiException.unprocessable("connection_id: " + e.getMessage());
    }
  }

  private static String type(String connType) {
    if (!connType.trim().matches("[A-Za-z0-9_.\\-]{1,500}")) {
      throw ApiException.unprocessable(
          "conn_type: '"
              + connType
              + "' is not a connection type (letters, digits, _ . -: postgres, http, ...)");
    }
    return ConnectionUri.normalizeType(connType.trim());
  }

  private static Integer port(Integer port) {
    if (port != null && (port < 0 || port > 65_535)) {
      throw ApiException.unprocessable("port: must be 0 to 65535, not " + port);
    }
    return port;
  }

  /** Airflow's extra: a JSON object, or its text; null, "" or {} is none. */
  private static Map<String, Object> extra(JsonNode extra) {
    if (extra == null || extra.isNull()) {
      return Map.of();
    }
    try {
      if (extra.isTextual()) {
        return ConnectionJson.extra(extra.asText());
      }
      if (extra.isObject()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(extra, Map.class);
        return ConnectionJson.extra(map);
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.unprocessable(
          "extra: " + e.getMessage().replaceFirst("^its extra ", "it ") + "");
    }
    throw ApiException.unprocessable("extra: must be a JSON object or its text");
  }

  private static String emptyIsNone(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Connection require(ConnectionActions connections, String id) {
    return connections.get(id).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound(
        "there is no connection '" + id + "' (GET /api/v2/connections lists them)");
  }

  static ConnectionResponse response(Connection c) {
    SecretMasker masker = Masking.of(c);
    Map<String, Object> extra = Masking.fields(c.extra(), masker);
    return new ConnectionResponse(
        c.connId(),
        c.connType(),
        masker.mask(c.description()),
        masker.mask(c.host()),
        masker.mask(c.login()),
        masker.mask(c.schema()),
        c.port(),
        extra.isEmpty() ? null : Json.write(extra));
  }
}
