package io.updraft.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3 document of {@code GET /openapi.json}, built from the route table and the request
 * and response records it names, so it lists exactly the endpoints that exist with the fields they
 * read and write. Every operation documents the {@code {"detail"}} errors it may answer.
 */
final class OpenApiDocument {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private final Map<String, Object> schemas = new LinkedHashMap<>();

  private OpenApiDocument() {}

  static Map<String, Object> of(List<Route> routes, String version) {
    return new OpenApiDocument().build(routes, version);
  }

  private Map<String, Object> build(List<Route> routes, String version) {
    schemas.put(
        "HTTPExceptionResponse",
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("detail", Map.of("type", "string")),
            "required",
            List.of("detail")));
    Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
    for (Route r : routes) {
      paths
          .computeIfAbsent(r.path(), p -> new LinkedHashMap<>())
          .put(r.method().name().toLowerCase(Locale.ROOT), operation(r));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "Updraft REST API",
            "version",
            version,
            "description",
            "Airflow 3's public REST API shape (/api/v2). Sign in with POST /auth/token and send"
                + " Authorization: Bearer TOKEN."));
    doc.put("paths", paths);
    doc.put(
        "components",
        Map.of(
            "schemas",
            schemas,
            "securitySchemes",
            Map.of(
                "HTTPBearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"))));
    return doc;
  }

  private Map<String, Object> operation(Route r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("summary", r.summary());
    op.put("operationId", operationId(r));
    op.put(
        "description",
        r.role() == null
            ? "No sign-in needed."
            : "Needs the role " + r.role().id() + " or a role that includes it.");
    List<Map<String, Object>> params = new ArrayList<>();
    for (String p : r.pathParams()) {
      params.add(
          Map.of("name", p, "in", "path", "required", true, "schema", Map.of("type", "string")));
    }
    for (Route.QueryParam q : r.query()) {
      params.add(
          Map.of(
              "name",
              q.name(),
              "in",
              "query",
              "required",
              false,
              "description",
              q.description(),
              "schema",
              q.name().equals("tags")
                  ? Map.of("type", "array", "items", Map.of("type", "string"))
                  : Map.of("type", q.type())));
    }
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }
    if (r.body() != null) {
      op.put(
          "requestBody",
          Map.of(
              "required",
              true,
              "content",
              Map.of("application/json", Map.of("schema", schema(r.body())))));
    }
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put(
        Integer.toString(r.status()),
        r.response() == null
            ? Map.of("description", "Successful Response")
            : Map.of(
                "description",
                "Successful Response",
                "content",
                Map.of("application/json", Map.of("schema", schema(r.response())))));
    List<Integer> errors = new ArrayList<>();
    if (r.body() != null) {
      errors.add(400);
    }
    if (r.role() != null) {
      errors.add(401);
      errors.add(403);
    } else if (r.body() != null) {
      errors.add(401);
    }
    if (!r.pathParams().isEmpty()) {
      errors.add(404);
    }
    if (conflicts(r)) {
      errors.add(409);
    }
    if (r.body() != null || !r.query().isEmpty()) {
      errors.add(422);
    }
    for (int status : errors) {
      responses.put(
          Integer.toString(status),
          Map.of(
              "description",
              reason(status),
              "content",
              Map.of(
                  "application/json",
                  Map.of("schema", Map.of("$ref", "#/components/schemas/HTTPExceptionResponse")))));
    }
    op.put("responses", responses);
    if (r.role() != null) {
      op.put("security", List.of(Map.of("HTTPBearer", List.of())));
    }
    return op;
  }

  /** Creating what exists (a run, a pool, a user...) or deleting what may not be is a 409. */
  private static boolean conflicts(Route r) {
    String last = r.path().substring(r.path().lastIndexOf('/') + 1);
    return r.method().name().equals("POST")
            && List.of("dagRuns", "pools", "variables", "connections", "users").contains(last)
        || r.method().name().equals("DELETE") && last.equals("{pool_name}");
  }

  static String operationId(Route r) {
    return r.method().name().toLowerCase(Locale.ROOT)
        + r.path().replaceAll("[{}]", "").replace('/', '_');
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 422 -> "Validation Error";
      default -> "Error";
    };
  }

  /** A schema for a Java type: a {@code $ref} for a record, inline for the rest. */
  private Map<String, Object> schema(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (List.class.isAssignableFrom(raw)) {
        return Map.of("type", "array", "items", schema(p.getActualTypeArguments()[0]));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of("type", "object", "additionalProperties", true);
      }
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return Map.of("type", "string");
    }
    if (c == boolean.class || c == Boolean.class) {
      return Map.of("type", "boolean");
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return Map.of("type", "integer");
    }
    if (c == double.class || c == Double.class) {
      return Map.of("type", "number");
    }
    if (c.isRecord()) {
      String name = c.getSimpleName();
      if (!schemas.containsKey(name)) {
        schemas.put(name, Map.of()); // a placeholder while its fields are described
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent rc : c.getRecordComponents()) {
          JsonProperty named = rc.getAccessor().getAnnotation(JsonProperty.class);
          String field = named != null ? named.value() : SNAKE.translate(rc.getName());
          props.put(field, schema(rc.getGenericType()));
          if (rc.getType().isPrimitive()) {
            required.add(field);
          }
        }
        schemas.put(
            name,
            required.isEmpty()
                ? Map.of("type", "object", "properties", props, "additionalProperties", false)
                : Map.of(
                    "type",
                    "object",
                    "properties",
                    props,
                    "required",
                    required,
                    "additionalProperties",
                    false));
      }
      return Map.of("$ref", "#/components/schemas/" + name);
    }
    return Map.of("type", "object"); // JSON values such as a run's conf
  }
}
