package io.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The machine-readable output of SPEC §2.1: objects are written from ordered maps, so fields come
 * out in the documented order; instants are ISO-8601 UTC with millisecond precision.
 */
final class JsonOutput {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter INSTANT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private JsonOutput() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON output", e);
    }
  }

  /** An instant as SPEC §2.1 writes it ({@code 2024-01-01T00:00:00.000Z}); null stays null. */
  static String instant(Instant t) {
    return t == null ? null : INSTANT.format(t);
  }
}
