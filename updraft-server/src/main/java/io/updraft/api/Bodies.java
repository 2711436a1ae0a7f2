package io.updraft.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a request's JSON body into its request record. What is wrong with a body is one line that
 * names the field: malformed JSON and an oversized body are 400 and 413, an unknown field, a
 * missing required field or a value of the wrong type are 422 (FastAPI's status for a body that
 * parses but does not validate, so Airflow clients see the same).
 */
public final class Bodies {
  /** The largest body the API reads; JSON requests are small, and anything larger is refused. */
  public static final int MAX_BYTES = 1 << 20;

  private Bodies() {}

  public static <T> T read(Context ctx, Class<T> type) {
    long length = ctx.req().getContentLengthLong();
    if (length > MAX_BYTES) {
      throw tooLarge(length);
    }
    byte[] bytes;
    try {
      bytes = ctx.req().getInputStream().readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw ApiException.badRequest("could not read the request body: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(bytes.length);
    }
    if (bytes.length == 0) {
      throw ApiException.unprocessable("the request needs a JSON object body");
    }
    try {
      T value = Json.MAPPER.readValue(bytes, type);
      if (value == null) {
        throw ApiException.unprocessable("the request body must be a JSON object, not null");
      }
      return value;
    } catch (JsonParseException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON: "
              + plain(e.getOriginalMessage())
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.unprocessable(
          "unknown field '"
              + e.getPropertyName()
              + "'"
              + where(e)
              + ": the fields are "
              + e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    } catch (MismatchedInputException e) {
      String field = field(e);
      if (e.getOriginalMessage().startsWith("Trailing token")) {
        throw ApiException.badRequest(
            "the request body is not valid JSON: it goes on after its object ends");
      }
      if (field.isEmpty()) {
        throw ApiException.unprocessable(
            "the request body must be a JSON object (" + e.getOriginalMessage() + ")");
      }
      throw ApiException.unprocessable(
          "field '" + field + "' must be " + expected(e.getTargetType()));
    } catch (DatabindException e) {
      // A record's constructor refused a value: its message names the field.
      Throwable cause = e.getCause();
      if (cause instanceof ApiException api) {
        // Refused inside a list or an object (a bulk body's entities): say which one.
        String at = field((JsonMappingException) e);
        throw at.isEmpty() ? api : new ApiException(api.status(), at + "." + api.getMessage());
      }
      throw ApiException.unprocessable(
          "field '" + field((JsonMappingException) e) + "': " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("could not read the request body: " + e.getMessage());
    }
  }

  /** What a JSON value of this Java type looks like, for a person who sent the wrong one. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    return "of another type";
  }

  /** A parser's message without its source excerpt and the parts that only make sense in Java. */
  private static String plain(String message) {
    String m = message == null ? "" : message;
    for (String cut : new String[] {"\n", " (start marker", " at [Source", " (for "}) {
      int i = m.indexOf(cut);
      if (i > 0) {
        m = m.substring(0, i);
      }
    }
    return m;
  }

  private static ApiException tooLarge(long bytes) {
    return new ApiException(
        413,
        "the request body is larger than "
            + MAX_BYTES
            + " bytes ("
            + bytes
            + "): send a smaller one (a run's conf belongs in a variable or a file when it is"
            + " this large)");
  }

  private static String where(JsonMappingException e) {
    String path = field(e);
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : " in '" + path.substring(0, dot) + "'";
  }

  /** The dotted path of the field a mapping error is about ({@code conf.x}, {@code tags[0]}). */
  private static String field(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }
}
