package io.updraft.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.Notifier;
import java.util.List;

/** Notifiers as JSON in their written form, as the callback and deadline rows keep them. */
public final class NotifierJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NotifierJson() {}

  public static String write(Notifier notifier) {
    return write((Object) notifier.toMap());
  }

  public static String writeAll(List<Notifier> notifiers) {
    return write(notifiers.stream().map(Notifier::toMap).toList());
  }

  /** One notifier, or every notifier of a list. */
  public static List<Notifier> read(String json) {
    try {
      return Notifier.parseAll(JSON.readValue(json, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "a stored notifier is not JSON: " + e.getOriginalMessage());
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a notifier cannot be written as JSON", e);
    }
  }
}
