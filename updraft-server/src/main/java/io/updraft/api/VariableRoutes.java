package io.updraft.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.updraft.UpdraftException;
import io.updraft.connections.ConnectionIds;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Masking;
import io.updraft.connections.VariableActions;
import io.updraft.connections.VariableActions.Variable;
import io.updraft.store.Database;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/v2/variables}: the stored variables, a secret-looking one's value (or field of a JSON
 * value) as {@code ***} (SPEC §1.7), and creating, changing and deleting them through {@link
 * VariableActions}, the code {@code updraft variables} runs (same key rule, same encryption, same
 * audit record).
 */
final class VariableRoutes {
  private VariableRoutes() {}

  public record VariableResponse(
      String key, String value, String description, boolean isEncrypted) {}

  public record VariableCollection(List<VariableResponse> variables, int totalEntries) {}

  /**
   * {@code POST}'s body. {@code value} may be any JSON: a string is stored as it is, anything else
   * as its JSON text (as Airflow 3 stores it).
   */
  public record VariableBody(String key, JsonNode value, String description) {
    public VariableBody {
      if (key == null || key.isBlank()) {
        throw ApiException.unprocessable("key: required");
      }
      if (value == null || value.isNull()) {
        throw ApiException.unprocessable("value: required");
      }
    }
  }

  /** {@code PATCH}'s body; {@code key}, when given, must be the variable's own. */
  public record VariablePatchBody(String key, JsonNode value, String description) {}

  private static final Map<String, Comparator<VariableResponse>> ORDERS =
      Map.of(
          "key", Comparator.comparing(VariableResponse::key),
          "description",
              Comparator.comparing(
                  VariableResponse::description, Comparator.nullsFirst(Comparator.naturalOrder())),
          "is_encrypted", Comparator.comparing(VariableResponse::isEncrypted));

  static List<Route> routes(Database db, FernetKeys keys, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/variables",
                Role.VIEWER,
                "List variables",
                VariableCollection.class,
                (ctx, caller) -> list(new VariableActions(db, keys), ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "key (default), description, is_encrypted; -: desc")
            .withQuery("variable_key_pattern", "string", "SQL LIKE pattern on the key (% and _)"),
        Route.post(
                "/api/v2/variables",
                Role.OP,
                "Create a variable",
                VariableBody.class,
                VariableResponse.class,
                (ctx, caller) -> {
                  VariableBody body = Bodies.read(ctx, VariableBody.class);
                  requireKey(body.key());
                  VariableActions variables = new VariableActions(db, keys);
                  if (!variables.create(
                      body.key(),
                      text(body.value()),
                      emptyIsNone(body.description()),
                      caller.username(),
                      clock.instant())) {
                    throw ApiException.conflict(
                        "variable '"
                            + body.key()
                            + "' exists already: change it with PATCH /api/v2/variables/"
                            + body.key());
                  }
                  return response(require(variables, body.key()));
                })
            .withStatus(201),
        Route.get(
            "/api/v2/variables/{variable_key}",
            Role.VIEWER,
            "Get a variable",
            VariableResponse.class,
            (ctx, caller) ->
                response(require(new VariableActions(db, keys), ctx.pathParam("variable_key")))),
        Route.patch(
                "/api/v2/variables/{variable_key}",
                Role.OP,
                "Change a variable's value or description",
                VariablePatchBody.class,
                VariableResponse.class,
                (ctx, caller) -> {
                  String key = ctx.pathParam("variable_key");
                  VariablePatchBody body = Bodies.read(ctx, VariablePatchBody.class);
                  List<String> mask = UpdateMask.of(ctx, List.of("value", "description"));
                  if (body.key() != null && !body.key().equals(key)) {
                    throw ApiException.badRequest(
                        "key: a variable cannot be renamed ('"
                            + body.key()
                            + "' is not '"
                            + key
                            + "'): create a new one and delete this one");
                  }
                  VariableActions variables = new VariableActions(db, keys);
                  Variable stored = require(variables, key);
                  JsonNode value = UpdateMask.pick(mask, "value", body.value());
                  if (mask.contains("value") && (value == null || value.isNull())) {
                    throw ApiException.unprocessable("value: cannot be null");
                  }
                  String description =
                      UpdateMask.pickClearable(mask, "description", body.description());
                  variables.set(
                      key,
                      value == null || value.isNull() ? stored.value() : text(value),
                      description,
                      caller.username(),
                      clock.instant());
                  return response(require(variables, key));
                })
            .withQuery(
                "update_mask", "string", "change only these fields (comma separated or repeated)"),
        Route.delete(
            "/api/v2/variables/{variable_key}",
            Role.OP,
            "Delete a variable",
            (ctx, caller) -> {
              String key = ctx.pathParam("variable_key");
              if (!new VariableActions(db, keys).delete(key, caller.username(), clock.instant())) {
                throw notFound(key);
              }
              return null;
            }));
  }

  private static VariableCollection list(VariableActions variables, Context ctx) {
    Paging paging = Paging.of(ctx, "key", List.copyOf(ORDERS.keySet()));
    String pattern = ctx.queryParam("variable_key_pattern");
    Pattern like = pattern == null || pattern.isEmpty() ? null : DagRoutes.like(pattern);
    List<VariableResponse> all =
        variables.list().stream()
            .filter(v -> like == null || like.matcher(v.key()).matches())
            .map(VariableRoutes::response)
            .toList();
    return new VariableCollection(paging.page(all, ORDERS), all.size());
  }

  /** The key rule as a 422 naming the field (the CLI's words). */
  private static void requireKey(String key) {
    try {
      ConnectionIds.require(key);
    } catch (UpdraftException e) {
      throw ApiException.unprocessable("key: " + e.getMessage());
    }
  }

  private static Variable require(VariableActions variables, String key) {
    return variables.get(key).orElseThrow(() -> notFound(key));
  }

  private static ApiException notFound(String key) {
    return ApiException.notFound(
        "there is no variable '" + key + "' (GET /api/v2/variables lists them)");
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  /** An empty description is none; null stays null (for PATCH: left as it is). */
  private static String emptyIsNone(String description) {
    return description == null || description.isEmpty() ? null : description;
  }

  private static VariableResponse response(Variable v) {
    return new VariableResponse(
        v.key(), Masking.variable(v.key(), v.value()), v.description(), v.isEncrypted());
  }
}
