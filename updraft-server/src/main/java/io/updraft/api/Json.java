package io.updraft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The API's JSON: records with snake_case fields (Airflow's names), strict on input — an unknown
 * field, a string where a number or boolean belongs, or a null for a primitive is an error, never
 * silently dropped or coerced — and instants as ISO-8601 UTC strings with milliseconds, as the CLI
 * prints them (SPEC §2.1).
 */
public final class Json implements io.javalin.json.JsonMapper {
  static final ObjectMapper MAPPER = mapper();

  private static final DateTimeFormatter INSTANT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private static ObjectMapper mapper() {
    ObjectMapper m =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean}) {
      m.coercionConfigFor(t)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    return m;
  }

  /** An instant as the API writes it ({@code 2024-01-01T00:00:00.000Z}); null stays null. */
  public static String instant(Instant t) {
    return t == null ? null : INSTANT.format(t);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON response", e);
    }
  }

  @Override
  public String toJsonString(Object obj, Type type) {
    return write(obj);
  }

  @Override
  public <T> T fromJsonStream(InputStream json, Type targetType) {
    throw new UnsupportedOperationException("request bodies are read through Bodies.read");
  }

  @Override
  public <T> T fromJsonString(String json, Type targetType) {
    throw new UnsupportedOperationException("request bodies are read through Bodies.read");
  }
}
