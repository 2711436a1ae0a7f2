package io.updraft.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** The {@code extra} of an audit record: ids and names as compact JSON, never a value. */
final class Audits {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Audits() {}

  static String json(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an audit record", e);
    }
  }
}
