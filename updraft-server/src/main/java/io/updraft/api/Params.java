package io.updraft.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query parameters and values read strictly, with a 422 that names the parameter. */
public final class Params {
  private Params() {}

  public static int integer(Context ctx, String name, int absent) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return absent;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.unprocessable(name + " must be a whole number, not '" + text + "'");
    }
  }

  /** An integer query parameter; null when absent. */
  public static Integer optionalInteger(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isBlank() ? null : integer(ctx, name, 0);
  }

  /** An instant query parameter (as {@link #instant(String, String)}); null when absent. */
  public static Instant optionalInstant(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isBlank() ? null : instant(name, text.trim());
  }

  /** A numeric id in a path: a 422 naming it when it is not one (as FastAPI answers). */
  public static long id(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.unprocessable(name + " must be a whole number, not '" + text + "'");
    }
  }

  /** A boolean parameter; null when absent. */
  public static Boolean bool(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw ApiException.unprocessable(name + " must be true or false, not '" + text + "'");
    };
  }

  /**
   * An instant as Airflow's API takes it: ISO-8601 with an offset, or a date or date-time without
   * one, read as UTC (as the CLI reads {@code --logical-date}, decisions/0048).
   */
  public static Instant instant(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).atZone(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw ApiException.unprocessable(
              field
                  + ": '"
                  + text
                  + "' is not a date-time; write ISO-8601 such as 2024-01-01T00:00:00Z");
        }
      }
    }
  }
}
